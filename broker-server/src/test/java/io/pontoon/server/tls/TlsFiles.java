package io.pontoon.server.tls;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

/** Test helpers: a node's TLS folder ({@code cert.pem}, {@code key.pem}, {@code ca.pem}) and JDK SSL contexts. */
public final class TlsFiles {
    private TlsFiles() {
    }

    /** Writes a node's certificate and key, and the CA certificates it trusts, the way an operator would. */
    public static void write(Path dir, DevCertificateAuthority.Issued node, X509Certificate... trusted) throws IOException {
        Files.createDirectories(dir);
        PemFiles.writeAtomically(dir.resolve("key.pem"), PemFiles.pem("PRIVATE KEY", node.pair().getPrivate().getEncoded()), true);
        PemFiles.writeAtomically(dir.resolve("cert.pem"), PemFiles.pem(node.certificate()), false);
        StringBuilder cas = new StringBuilder();
        for (X509Certificate c : trusted) {
            cas.append(PemFiles.pem(c));
        }
        PemFiles.writeAtomically(dir.resolve("ca.pem"), cas.toString(), false);
    }

    /** A JDK SSL context that presents {@code identity} (or nothing) and trusts {@code trusted}. */
    public static SSLContext context(DevCertificateAuthority.Issued identity, X509Certificate trusted) throws GeneralSecurityException, IOException {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", trusted);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ts);
        KeyManagerFactory kmf = null;
        if (identity != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("me", identity.pair().getPrivate(), new char[0], new X509Certificate[]{identity.certificate()});
            kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(ks, new char[0]);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    public static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1");
}

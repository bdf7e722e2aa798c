package io.pontoon.server.tls;

import io.pontoon.server.config.TlsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Principal;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A node's TLS identity and the cluster CA it trusts, read from PEM files and reloaded when they change, without a
 * restart: {@link #poll(long)} looks at the files every {@code tls.reload.interval.ms}; a complete, valid new set
 * replaces the old for the handshakes that follow (open connections keep theirs), and a broken one is logged and
 * ignored, so a half-copied file never takes a node off the network.
 *
 * <p>The key and trust managers handed to gRPC, Ratis and the gateway are stable objects that delegate to the
 * current set. Each set's key entry has its own alias, so that a TLS stack caching key material by alias cannot
 * serve the old certificate after a reload.
 */
public final class NodeCredentials {
    private static final Logger LOG = LoggerFactory.getLogger(NodeCredentials.class);

    private final TlsConfig config;
    private volatile Material current;
    private volatile Material previous;
    private long nextCheckMs;
    private int generation;
    private final X509ExtendedKeyManager keyManager = new CurrentKeyManager();
    private final X509ExtendedTrustManager trustManager = new CurrentTrustManager();

    private NodeCredentials(TlsConfig config, Material first) {
        this.config = config;
        this.current = first;
        this.previous = first;
    }

    /** Reads the files once; a missing, unreadable, mismatched or expired set refuses to start the node. */
    public static NodeCredentials load(TlsConfig config, long nowMs) throws IOException {
        NodeCredentials c = new NodeCredentials(config, Material.read(config, 0, nowMs));
        c.nextCheckMs = nowMs + config.reloadIntervalMs();
        LOG.info("TLS on: certificate {} (serial {}, valid until {}), cluster CA {}", c.current.leaf().getSubjectX500Principal(),
                c.current.leaf().getSerialNumber().toString(16), c.current.leaf().getNotAfter(), config.caFile());
        return c;
    }

    public X509ExtendedKeyManager keyManager() {
        return keyManager;
    }

    public X509ExtendedTrustManager trustManager() {
        return trustManager;
    }

    /** The certificate this node presents now. */
    public X509Certificate certificate() {
        return current.leaf();
    }

    /** Reloads the files if they changed since the last look; at most once per reload interval. */
    public synchronized void poll(long nowMs) {
        if (nowMs < nextCheckMs) {
            return;
        }
        nextCheckMs = nowMs + config.reloadIntervalMs();
        Material now = current;
        try {
            if (Stamp.of(config).equals(now.stamp())) {
                return;
            }
            Material next = Material.read(config, ++generation, nowMs);
            previous = now;
            current = next;
            LOG.info("TLS certificate reloaded: {} (serial {}, valid until {})", next.leaf().getSubjectX500Principal(),
                    next.leaf().getSerialNumber().toString(16), next.leaf().getNotAfter());
        } catch (IOException | RuntimeException e) {
            LOG.error("TLS files changed but cannot be used; keeping certificate serial {}: {}", now.leaf().getSerialNumber().toString(16),
                    e.getMessage());
        }
    }

    /** What identifies a version of the three files: their sizes and modification times. */
    private record Stamp(List<Long> sizesAndTimes) {
        static Stamp of(TlsConfig c) throws IOException {
            return new Stamp(List.of(Files.size(c.certFile()), Files.getLastModifiedTime(c.certFile()).toMillis(),
                    Files.size(c.keyFile()), Files.getLastModifiedTime(c.keyFile()).toMillis(),
                    Files.size(c.caFile()), Files.getLastModifiedTime(c.caFile()).toMillis()));
        }
    }

    /** One loaded set of files. */
    private record Material(Stamp stamp, X509Certificate leaf, X509ExtendedKeyManager keys, X509ExtendedTrustManager trust) {
        static Material read(TlsConfig c, int generation, long nowMs) throws IOException {
            Stamp stamp = Stamp.of(c);
            List<X509Certificate> chain = PemFiles.readCertificates(c.certFile());
            PrivateKey key = PemFiles.readPrivateKey(c.keyFile());
            List<X509Certificate> cas = PemFiles.readCertificates(c.caFile());
            X509Certificate leaf = chain.get(0);
            requireKeyOf(leaf, key, c);
            requireCurrent(leaf, nowMs, c);
            requireIssuedBy(chain, cas, c);
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                char[] none = new char[0];
                ks.setKeyEntry("node-" + generation, key, none, chain.toArray(X509Certificate[]::new));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance("NewSunX509");
                kmf.init(ks, none);
                KeyStore ts = KeyStore.getInstance("PKCS12");
                ts.load(null, null);
                for (int i = 0; i < cas.size(); i++) {
                    ts.setCertificateEntry("ca-" + i, cas.get(i));
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
                tmf.init(ts);
                return new Material(stamp, leaf, (X509ExtendedKeyManager) kmf.getKeyManagers()[0],
                        (X509ExtendedTrustManager) tmf.getTrustManagers()[0]);
            } catch (GeneralSecurityException e) {
                throw new IOException("tls: cannot build key and trust managers: " + e.getMessage(), e);
            }
        }

        private static void requireKeyOf(X509Certificate leaf, PrivateKey key, TlsConfig c) throws IOException {
            try {
                String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
                byte[] probe = "pontoon".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                Signature s = Signature.getInstance(algorithm);
                s.initSign(key);
                s.update(probe);
                byte[] sig = s.sign();
                Signature v = Signature.getInstance(algorithm);
                v.initVerify(leaf.getPublicKey());
                v.update(probe);
                if (v.verify(sig)) {
                    return;
                }
            } catch (GeneralSecurityException e) {
                // falls through: a key of another kind than the certificate's
            }
            throw new IOException("tls.key.file " + c.keyFile() + " is not the key of the certificate in tls.cert.file " + c.certFile());
        }

        private static void requireCurrent(X509Certificate leaf, long nowMs, TlsConfig c) throws IOException {
            if (leaf.getNotAfter().getTime() <= nowMs) {
                throw new IOException("tls.cert.file " + c.certFile() + ": the certificate expired on " + leaf.getNotAfter());
            }
            if (leaf.getNotBefore().getTime() > nowMs) {
                throw new IOException("tls.cert.file " + c.certFile() + ": the certificate is not valid before " + leaf.getNotBefore());
            }
        }

        private static void requireIssuedBy(List<X509Certificate> chain, List<X509Certificate> cas, TlsConfig c) throws IOException {
            X509Certificate top = chain.get(chain.size() - 1);
            for (X509Certificate ca : cas) {
                try {
                    top.verify(ca.getPublicKey());
                    return;
                } catch (GeneralSecurityException e) {
                    // try the next CA
                }
            }
            throw new IOException("tls.cert.file " + c.certFile() + " was not issued by a CA in tls.ca.file " + c.caFile()
                    + ": the other nodes would refuse this node");
        }
    }

    /** The current set's key manager; an alias of the set before it still resolves during a handshake begun before a reload. */
    private final class CurrentKeyManager extends X509ExtendedKeyManager {
        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return current.keys().getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return current.keys().chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return current.keys().chooseEngineClientAlias(keyType, issuers, engine);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return current.keys().getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return current.keys().chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return current.keys().chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            X509Certificate[] chain = current.keys().getCertificateChain(alias);
            return chain != null ? chain : previous.keys().getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            PrivateKey key = current.keys().getPrivateKey(alias);
            return key != null ? key : previous.keys().getPrivateKey(alias);
        }
    }

    /** The current set's trust manager: peers must chain to the cluster CA. */
    private final class CurrentTrustManager extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            current.trust().checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            current.trust().checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            current.trust().checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            current.trust().checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            current.trust().checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            current.trust().checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return current.trust().getAcceptedIssuers();
        }
    }
}

package io.pontoon.server.tls;

import io.pontoon.server.config.TlsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static io.pontoon.server.tls.TlsFiles.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node's certificate files: what is refused at start, and how a change on disk is taken up (or not). */
class NodeCredentialsTest {
    private static final long INTERVAL_MS = 1_000;
    private final DevCertificateAuthority ca = DevCertificateAuthority.create("test CA");

    @TempDir
    Path dir;

    private TlsConfig config() {
        return new TlsConfig(dir.resolve("cert.pem"), dir.resolve("key.pem"), dir.resolve("ca.pem"), INTERVAL_MS);
    }

    @Test
    void aCertificateIssuedByTheClusterCaLoadsAndIsPresented() throws IOException {
        DevCertificateAuthority.Issued node = ca.issue("n1", LOOPBACK);
        TlsFiles.write(dir, node, ca.certificate());
        NodeCredentials c = NodeCredentials.load(config(), System.currentTimeMillis());
        assertEquals(node.certificate(), c.certificate());
        String alias = c.keyManager().chooseServerAlias("EC", null, null);
        assertEquals(node.certificate(), c.keyManager().getCertificateChain(alias)[0]);
        assertEquals(ca.certificate(), c.trustManager().getAcceptedIssuers()[0]);
    }

    @Test
    void anExpiredCertificateStopsTheNodeFromStarting() throws IOException {
        Instant now = Instant.now();
        TlsFiles.write(dir, ca.issue("n1", LOOPBACK, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))), ca.certificate());
        IOException e = assertThrows(IOException.class, () -> NodeCredentials.load(config(), System.currentTimeMillis()));
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
    }

    @Test
    void aCertificateOfAnotherCaStopsTheNodeFromStarting() throws IOException {
        TlsFiles.write(dir, DevCertificateAuthority.create("foreign").issue("n1", LOOPBACK), ca.certificate());
        IOException e = assertThrows(IOException.class, () -> NodeCredentials.load(config(), System.currentTimeMillis()));
        assertTrue(e.getMessage().contains("not issued by a CA in tls.ca.file"), e.getMessage());
    }

    @Test
    void aKeyThatIsNotTheCertificatesStopsTheNodeFromStarting() throws IOException {
        TlsFiles.write(dir, ca.issue("n1", LOOPBACK), ca.certificate());
        Path otherKey = dir.resolve("other");
        TlsFiles.write(otherKey, ca.issue("n2", LOOPBACK), ca.certificate());
        Files.copy(otherKey.resolve("key.pem"), dir.resolve("key.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        IOException e = assertThrows(IOException.class, () -> NodeCredentials.load(config(), System.currentTimeMillis()));
        assertTrue(e.getMessage().contains("is not the key of the certificate"), e.getMessage());
    }

    @Test
    void changedFilesAreTakenUpAtTheNextCheckAndNotBefore() throws IOException {
        TlsFiles.write(dir, ca.issue("n1", LOOPBACK), ca.certificate());
        long t0 = System.currentTimeMillis();
        NodeCredentials c = NodeCredentials.load(config(), t0);
        DevCertificateAuthority.Issued renewed = ca.issue("n1", LOOPBACK);
        TlsFiles.write(dir, renewed, ca.certificate());
        bumpTimes();
        c.poll(t0 + INTERVAL_MS / 2);
        assertTrue(!renewed.certificate().equals(c.certificate()), "checked before the interval was up");
        c.poll(t0 + INTERVAL_MS);
        assertEquals(renewed.certificate(), c.certificate());
        String alias = c.keyManager().chooseServerAlias("EC", null, null);
        assertEquals(renewed.certificate(), c.keyManager().getCertificateChain(alias)[0]);
    }

    @Test
    void aBrokenReplacementIsIgnoredAndTheCurrentCertificateKept() throws IOException {
        DevCertificateAuthority.Issued first = ca.issue("n1", LOOPBACK);
        TlsFiles.write(dir, first, ca.certificate());
        long t0 = System.currentTimeMillis();
        NodeCredentials c = NodeCredentials.load(config(), t0);
        Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\nhalf a file");
        bumpTimes();
        c.poll(t0 + INTERVAL_MS);
        assertEquals(first.certificate(), c.certificate());
        DevCertificateAuthority.Issued fixed = ca.issue("n1", LOOPBACK);
        TlsFiles.write(dir, fixed, ca.certificate());
        bumpTimes();
        c.poll(t0 + 2 * INTERVAL_MS);
        assertEquals(fixed.certificate(), c.certificate());
    }

    /** Files rewritten within one timestamp tick may keep their time; move it on so that the change is visible. */
    private void bumpTimes() throws IOException {
        for (String f : new String[]{"cert.pem", "key.pem", "ca.pem"}) {
            Path p = dir.resolve(f);
            Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(p).toMillis() + 2_000));
        }
    }
}

package io.pontoon.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pontoon.gateway.HttpExchange;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * AWS's own Signature Version 4 test suite (test resources, see its NOTICE): every signed request verifies, its
 * canonical request is the suite's byte for byte, and the same request with one thing changed is refused with the
 * error AWS gives for it.
 */
class SigV4TestSuiteTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    record Case(String name, HttpExchange request, String accessKey, String secret, long signedAtMs, String canonical) {
    }

    @TestFactory
    Stream<DynamicTest> everySignedRequestOfTheSuiteVerifiesWithTheSuitesCanonicalRequest() throws Exception {
        List<Case> cases = cases();
        assertTrue(cases.size() >= 30, "the suite's cases were found: " + cases.size());
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            if (c.canonical() != null) {
                List<String> signed = List.of(c.request().header("authorization").replaceAll(".*SignedHeaders=([^,]+),.*", "$1").split(";"));
                assertEquals(c.canonical(), SigV4.canonicalRequest(c.request(), signed, SigV4.sha256Hex(c.request().body())));
            }
            assertNull(new SigV4Verifier(Map.of(c.accessKey(), c.secret())).verify(c.request(), c.signedAtMs()));
        }));
    }

    @Test
    void aChangedBodyHeaderOrSecretDoesNotMatchTheSignature() throws Exception {
        Case c = byName("post-x-www-form-urlencoded");
        SigV4Verifier verifier = new SigV4Verifier(Map.of(c.accessKey(), c.secret()));
        assertEquals("SignatureDoesNotMatch", verifier.verify(with(c.request(), "Param1=value2".getBytes(StandardCharsets.UTF_8), null, null),
                c.signedAtMs()).code());
        assertEquals("SignatureDoesNotMatch", verifier.verify(with(c.request(), null, "content-type", "text/plain"), c.signedAtMs()).code());
        assertEquals("SignatureDoesNotMatch", new SigV4Verifier(Map.of(c.accessKey(), "another secret")).verify(c.request(), c.signedAtMs()).code());
        assertEquals(403, verifier.verify(with(c.request(), "x".getBytes(StandardCharsets.UTF_8), null, null), c.signedAtMs()).httpStatus());
    }

    @Test
    void aRequestSignedMoreThanFifteenMinutesFromTheServersClockHasExpired() throws Exception {
        Case c = byName("get-vanilla");
        SigV4Verifier verifier = new SigV4Verifier(Map.of(c.accessKey(), c.secret()));
        assertNull(verifier.verify(c.request(), c.signedAtMs() + SigV4Verifier.MAX_CLOCK_SKEW_MS));
        assertNull(verifier.verify(c.request(), c.signedAtMs() - SigV4Verifier.MAX_CLOCK_SKEW_MS));
        assertEquals("RequestExpired", verifier.verify(c.request(), c.signedAtMs() + SigV4Verifier.MAX_CLOCK_SKEW_MS + 1).code());
        assertEquals("RequestExpired", verifier.verify(c.request(), c.signedAtMs() - SigV4Verifier.MAX_CLOCK_SKEW_MS - 1).code());
    }

    @Test
    void anUnknownKeyAMissingOrIncompleteAuthorizationGetTheirOwnErrors() throws Exception {
        Case c = byName("get-vanilla");
        assertEquals("InvalidClientTokenId", new SigV4Verifier(Map.of("OTHERKEY", c.secret())).verify(c.request(), c.signedAtMs()).code());
        SigV4Verifier verifier = new SigV4Verifier(Map.of(c.accessKey(), c.secret()));
        assertEquals("MissingAuthenticationToken", verifier.verify(with(c.request(), null, "authorization", null), c.signedAtMs()).code());
        for (String broken : List.of("Basic dXNlcjpwYXNz", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830, SignedHeaders=host;x-amz-date, Signature=00",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=x-amz-date, Signature=00")) {
            SigV4Verifier.Failure f = verifier.verify(with(c.request(), null, "authorization", broken), c.signedAtMs());
            assertEquals("IncompleteSignature", f.code(), broken);
            assertEquals(400, f.httpStatus());
        }
        assertEquals("IncompleteSignature", verifier.verify(with(c.request(), null, "x-amz-date", null), c.signedAtMs()).code());
    }

    private static HttpExchange with(HttpExchange r, byte[] body, String header, String value) {
        Map<String, String> headers = new LinkedHashMap<>(r.headers());
        if (header != null) {
            if (value == null) {
                headers.remove(header);
            } else {
                headers.put(header, value);
            }
        }
        return new HttpExchange(r.method(), r.path(), r.query(), headers, body == null ? r.body() : body, r.baseUrl());
    }

    private static Case byName(String name) throws Exception {
        return cases().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<Case> cases() throws IOException, URISyntaxException {
        Path suite = Path.of(SigV4TestSuiteTest.class.getResource("/sigv4-test-suite").toURI());
        try (Stream<Path> dirs = Files.list(suite)) {
            return dirs.filter(Files::isDirectory).sorted().map(SigV4TestSuiteTest::load).toList();
        }
    }

    private static Case load(Path dir) {
        try {
            JsonNode context = MAPPER.readTree(dir.resolve("context.json").toFile());
            Path canonical = dir.resolve("header-canonical-request.txt");
            return new Case(dir.getFileName().toString(), parse(Files.readString(dir.resolve("header-signed-request.txt"))),
                    context.at("/credentials/access_key_id").asText(), context.at("/credentials/secret_access_key").asText(),
                    Instant.parse(context.get("timestamp").asText()).toEpochMilli(),
                    Files.exists(canonical) ? Files.readString(canonical) : null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The suite's request files: a request line, headers (folded lines continue a value), a blank line, the body. */
    private static HttpExchange parse(String text) {
        int blank = text.indexOf("\n\n");
        String head = blank < 0 ? text : text.substring(0, blank);
        String body = blank < 0 ? "" : text.substring(blank + 2);
        String[] lines = head.split("\n");
        String target = lines[0].substring(lines[0].indexOf(' ') + 1, lines[0].lastIndexOf(" HTTP/"));
        Map<String, String> headers = new LinkedHashMap<>();
        String last = null;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (Character.isWhitespace(line.charAt(0)) && last != null) {
                headers.put(last, headers.get(last) + " " + line.strip());
                continue;
            }
            last = line.substring(0, line.indexOf(':')).toLowerCase();
            headers.merge(last, line.substring(line.indexOf(':') + 1), (a, b) -> a + "," + b);
        }
        int q = target.indexOf('?');
        return new HttpExchange(lines[0].substring(0, lines[0].indexOf(' ')), q < 0 ? target : target.substring(0, q),
                q < 0 ? "" : target.substring(q + 1), headers, body.getBytes(StandardCharsets.UTF_8), "http://example.amazonaws.com");
    }
}

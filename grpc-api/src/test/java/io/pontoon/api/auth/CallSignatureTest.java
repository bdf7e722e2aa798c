package io.pontoon.api.auth;

import io.grpc.Metadata;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A gRPC call's signature: accepted when it names a known key, the method called and a time within 15 minutes; refused with SigV4's codes otherwise. */
class CallSignatureTest {
    private static final String METHOD = "pontoon.v1.Sqs/SendMessage";
    private static final Map<String, String> KEYS = Map.of("AKIDEXAMPLE00000001", "a-secret-of-some-length");
    private static final long NOW = 1_796_695_000_000L;

    private static Metadata signed(String id, String secret, String method, long atMs) {
        Map.Entry<String, String> s = CallSignature.sign(id, secret, "us-east-1", method, atMs);
        Metadata m = new Metadata();
        m.put(CallSignature.DATE, s.getKey());
        m.put(CallSignature.AUTHORIZATION, s.getValue());
        return m;
    }

    private static String codeOf(Metadata headers) {
        CallSignature.Failure f = CallSignature.verify(headers, METHOD, KEYS, NOW);
        return f == null ? null : f.code();
    }

    @Test
    void aCallSignedByAKnownKeyForThisMethodWithinTheWindowIsAccepted() {
        assertNull(codeOf(signed("AKIDEXAMPLE00000001", "a-secret-of-some-length", METHOD, NOW)));
        assertNull(codeOf(signed("AKIDEXAMPLE00000001", "a-secret-of-some-length", METHOD, NOW - 14 * 60_000)));
        assertEquals("AKIDEXAMPLE00000001", CallSignature.accessKeyId(signed("AKIDEXAMPLE00000001", "x", METHOD, NOW)));
    }

    @Test
    void eachWayOfGettingItWrongHasSigV4sCode() {
        assertEquals("MissingAuthenticationToken", codeOf(new Metadata()));
        assertEquals("InvalidClientTokenId", codeOf(signed("AKIDUNKNOWN00000001", "a-secret-of-some-length", METHOD, NOW)));
        assertEquals("SignatureDoesNotMatch", codeOf(signed("AKIDEXAMPLE00000001", "another-secret-entirely", METHOD, NOW)));
        assertEquals("SignatureDoesNotMatch", codeOf(signed("AKIDEXAMPLE00000001", "a-secret-of-some-length", "pontoon.v1.Sqs/PurgeQueue", NOW)),
                "a signature is bound to the method it was made for");
        assertEquals("RequestExpired", codeOf(signed("AKIDEXAMPLE00000001", "a-secret-of-some-length", METHOD, NOW - 16 * 60_000)));
        assertEquals("RequestExpired", codeOf(signed("AKIDEXAMPLE00000001", "a-secret-of-some-length", METHOD, NOW + 16 * 60_000)));
        Metadata other = signed("AKIDEXAMPLE00000001", "a-secret-of-some-length", METHOD, NOW);
        other.removeAll(CallSignature.AUTHORIZATION);
        other.put(CallSignature.AUTHORIZATION, "AWS4-HMAC-SHA256 Credential=x");
        assertEquals("IncompleteSignature", codeOf(other));
        Metadata undated = signed("AKIDEXAMPLE00000001", "a-secret-of-some-length", METHOD, NOW);
        undated.removeAll(CallSignature.DATE);
        assertEquals("IncompleteSignature", codeOf(undated));
    }
}

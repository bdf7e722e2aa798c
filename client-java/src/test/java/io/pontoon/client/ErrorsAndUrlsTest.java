package io.pontoon.client;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pontoon.api.AwsErrorCodes;
import io.pontoon.api.PontoonErrors;
import io.pontoon.api.QueueUrls;
import io.pontoon.api.v1.ErrorDetail;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ErrorsAndUrlsTest {
    @Test
    void parsesErrorDetailTrailer() {
        StatusRuntimeException sre = PontoonErrors.toException(AwsErrorCodes.NON_EXISTENT_QUEUE, "no such queue", true);
        assertEquals(Status.Code.NOT_FOUND, sre.getStatus().getCode());
        // Round-trip through raw bytes, as on the wire.
        Metadata wire = new Metadata();
        byte[] raw = sre.getTrailers().get(Metadata.Key.of(PontoonErrors.ERROR_TRAILER_NAME, Metadata.BINARY_BYTE_MARSHALLER));
        wire.put(Metadata.Key.of("pontoon-error-bin", Metadata.BINARY_BYTE_MARSHALLER), raw);
        PontoonException e = PontoonException.from(Status.NOT_FOUND.withDescription("no such queue"), wire, null);
        assertEquals(AwsErrorCodes.NON_EXISTENT_QUEUE, e.awsCode());
        assertEquals(Status.Code.NOT_FOUND, e.statusCode());
        assertTrue(e.isSenderFault());
        assertFalse(e.isRetryable());
        assertTrue(e.getMessage().contains("no such queue"));
        assertDoesNotThrow(() -> assertEquals(AwsErrorCodes.NON_EXISTENT_QUEUE, ErrorDetail.parseFrom(raw).getAwsCode()));
    }

    @Test
    void fallsBackToStatusWithoutTrailer() {
        PontoonException e = PontoonException.from(Status.UNAVAILABLE.withDescription("io").asRuntimeException());
        assertEquals(AwsErrorCodes.SERVICE_UNAVAILABLE, e.awsCode());
        assertTrue(e.isRetryable());
        assertTrue(e.isOutcomeUnknown());
        assertTrue(PontoonException.from(Status.DEADLINE_EXCEEDED.asRuntimeException()).isRetryable());
        assertFalse(PontoonException.from(Status.INTERNAL.asRuntimeException()).isRetryable());
        assertFalse(PontoonException.from(Status.INVALID_ARGUMENT.asRuntimeException()).isRetryable());
    }

    @Test
    void malformedTrailerIsIgnored() {
        Metadata m = new Metadata();
        m.put(Metadata.Key.of("pontoon-error-bin", Metadata.BINARY_BYTE_MARSHALLER), new byte[]{(byte) 0xff, 0x01, 0x02});
        PontoonException e = PontoonException.from(Status.FAILED_PRECONDITION.withDescription("x"), m, null);
        assertEquals(Status.Code.FAILED_PRECONDITION, e.statusCode());
        assertNotNull(e.awsCode());
    }

    @Test
    void throttlingIsRetryableButOverLimitIsNot() {
        assertTrue(PontoonException.from(PontoonErrors.toException(AwsErrorCodes.REQUEST_THROTTLED, "slow down", false)).isRetryable());
        PontoonException over = PontoonException.from(PontoonErrors.toException(AwsErrorCodes.OVER_LIMIT, "too many in flight", true));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, over.statusCode());
        assertFalse(over.isRetryable());
    }

    @Test
    void statusMapping() {
        assertEquals(Status.Code.ALREADY_EXISTS, AwsErrorCodes.statusFor(AwsErrorCodes.QUEUE_ALREADY_EXISTS));
        assertEquals(Status.Code.FAILED_PRECONDITION, AwsErrorCodes.statusFor(AwsErrorCodes.PURGE_QUEUE_IN_PROGRESS));
        assertEquals(Status.Code.FAILED_PRECONDITION, AwsErrorCodes.statusFor(AwsErrorCodes.MESSAGE_NOT_INFLIGHT));
        assertEquals(Status.Code.FAILED_PRECONDITION, AwsErrorCodes.statusFor(AwsErrorCodes.QUEUE_DELETED_RECENTLY));
        assertEquals(Status.Code.INVALID_ARGUMENT, AwsErrorCodes.statusFor(AwsErrorCodes.BATCH_REQUEST_TOO_LONG));
        assertEquals(Status.Code.INTERNAL, AwsErrorCodes.statusFor("SomethingNew"));
    }

    @Test
    void queueUrls() {
        assertEquals("pontoon://queue/orders", QueueUrls.toUrl("orders"));
        assertEquals("orders", QueueUrls.nameOf("pontoon://queue/orders"));
        assertEquals("orders.fifo", QueueUrls.nameOf("pontoon://queue/orders.fifo"));
        assertEquals("a".repeat(80), QueueUrls.nameOf("pontoon://queue/" + "a".repeat(80)));
        assertEquals("a".repeat(75) + ".fifo", QueueUrls.nameOf("pontoon://queue/" + "a".repeat(75) + ".fifo"));
        assertThrows(IllegalArgumentException.class, () -> QueueUrls.nameOf("pontoon://queue/" + "a".repeat(81)));
        assertThrows(IllegalArgumentException.class, () -> QueueUrls.nameOf("pontoon://queue/" + "a".repeat(76) + ".fifo"));
        assertThrows(IllegalArgumentException.class, () -> QueueUrls.nameOf("http://queue/orders"));
        assertThrows(IllegalArgumentException.class, () -> QueueUrls.nameOf("pontoon://queue/"));
        assertThrows(IllegalArgumentException.class, () -> QueueUrls.nameOf("pontoon://queue/a/b"));
        assertThrows(IllegalArgumentException.class, () -> QueueUrls.nameOf("pontoon://queue/a.b"));
        assertThrows(IllegalArgumentException.class, () -> QueueUrls.nameOf(null));
        PontoonException e = assertThrows(PontoonException.class, () -> PontoonClient.queueName("bogus"));
        assertEquals(AwsErrorCodes.INVALID_ADDRESS, e.awsCode());
    }
}

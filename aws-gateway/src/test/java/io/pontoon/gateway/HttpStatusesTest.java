package io.pontoon.gateway;

import io.pontoon.api.v1.ErrorDetail;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The HTTP status of an error decides whether an SDK retries it: throttling and elections are retried, faults are not. */
class HttpStatusesTest {
    private static ErrorDetail error(String code, boolean senderFault) {
        return ErrorDetail.newBuilder().setAwsCode(code).setSenderFault(senderFault).build();
    }

    @Test
    void theCallersFaultsAndThrottlingAre400ElectionsAre503AndTheRestIs500() {
        assertEquals(400, HttpStatuses.of(error("AWS.SimpleQueueService.NonExistentQueue", true)));
        assertEquals(400, HttpStatuses.of(error("ProvisionedThroughputExceededException", true)));
        assertEquals(400, HttpStatuses.of(error("RequestThrottled", false)));
        assertEquals(503, HttpStatuses.of(error("ServiceUnavailable", false)));
        assertEquals(500, HttpStatuses.of(error("InternalFailure", false)));
        assertEquals(500, HttpStatuses.of(error("InternalError", false)));
    }
}

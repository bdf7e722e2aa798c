package io.pontoon.gateway;

import io.pontoon.api.v1.ErrorDetail;

/**
 * The HTTP status of a Pontoon error, the same for every protocol: 400 for the caller's faults and for throttling
 * (as AWS answers both, and the SDKs retry throttling by its code), 503 when the service may recover (an election:
 * the SDKs retry it), 500 otherwise.
 */
public final class HttpStatuses {
    private HttpStatuses() {
    }

    public static int of(ErrorDetail error) {
        if (error.getSenderFault() || error.getAwsCode().equals("RequestThrottled")) {
            return 400;
        }
        return error.getAwsCode().equals("ServiceUnavailable") ? 503 : 500;
    }
}

package io.pontoon.gateway.sqs;

import io.pontoon.api.v1.ErrorDetail;
import io.pontoon.gateway.HttpStatuses;

import java.util.Map;

/**
 * How an SQS error is spelled on the wire. Pontoon's codes are the SQS Query protocol's
 * ({@code AWS.SimpleQueueService.NonExistentQueue}); the JSON protocol names the error shape in {@code __type}
 * ({@code QueueDoesNotExist}) and repeats the Query code in the {@code x-amzn-query-error} header, from which the
 * SDKs take the error code they report.
 */
public final class SqsErrors {
    private static final String QUERY_PREFIX = "AWS.SimpleQueueService.";
    /** The JSON shape names that are not the Query code without its prefix. */
    private static final Map<String, String> JSON_NAMES = Map.of(
            "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist",
            "QueueAlreadyExists", "QueueNameExists");

    private SqsErrors() {
    }

    /** The error shape name for {@code __type}. */
    public static String jsonName(String queryCode) {
        String name = JSON_NAMES.get(queryCode);
        if (name != null) {
            return name;
        }
        return queryCode.startsWith(QUERY_PREFIX) ? queryCode.substring(QUERY_PREFIX.length()) : queryCode;
    }

    /** The {@code x-amzn-query-error} header's value: {@code code;Sender} or {@code code;Receiver}. */
    public static String queryErrorHeader(ErrorDetail error) {
        return error.getAwsCode() + ";" + (HttpStatuses.of(error) == 400 ? "Sender" : "Receiver");
    }
}

package io.pontoon.core.queue;

import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A message move task's handle names its source queue (so any node can route CancelMessageMoveTask) and
 * the task: {@code "mt1." + base64url(taskId + ":" + queueName)}.
 */
public record MoveTaskHandles(String queueName, long taskId) {
    private static final String PREFIX_V1 = "mt1.";

    public String encode() {
        return PREFIX_V1 + Base64.getUrlEncoder().withoutPadding()
                .encodeToString((taskId + ":" + queueName).getBytes(StandardCharsets.UTF_8));
    }

    public static MoveTaskHandles parse(String handle) {
        if (handle == null || handle.length() > 256 || !handle.startsWith(PREFIX_V1)) {
            throw invalid(handle);
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(handle.substring(PREFIX_V1.length())), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            long taskId = Long.parseLong(text.substring(0, colon));
            if (taskId < 0) {
                throw invalid(handle);
            }
            return new MoveTaskHandles(text.substring(colon + 1), taskId);
        } catch (RuntimeException e) {
            throw invalid(handle);
        }
    }

    private static BrokerException invalid(String handle) {
        return new BrokerException(ErrorCode.RESOURCE_NOT_FOUND, "The task handle \"" + handle + "\" is not valid or does not exist.");
    }
}

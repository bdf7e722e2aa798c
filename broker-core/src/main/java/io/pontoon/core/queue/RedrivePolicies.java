package io.pontoon.core.queue;

import io.pontoon.core.queue.QueueUrls;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.queue.QueueAttributes;
import io.pontoon.core.queue.RedriveAllowPolicy;
import io.pontoon.core.queue.RedriveAllowPolicy.Permission;
import io.pontoon.core.queue.RedrivePolicy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The JSON forms of RedrivePolicy and RedriveAllowPolicy, both ways. What can be checked from the text
 * alone is checked here (JSON shape, ARN form, maxReceiveCount range, FIFO to FIFO); whether the
 * dead-letter queue exists and allows the source is checked by the node against the DLQ's partition.
 */
public final class RedrivePolicies {
    private RedrivePolicies() {
    }

    /** An empty value removes the policy (AWS). */
    static RedrivePolicy parseRedrivePolicy(String sourceQueue, String value, int maxReceiveCountLimit, int maxLength) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        Map<String, Object> json = json("RedrivePolicy", value, maxLength);
        Object arn = json.get("deadLetterTargetArn");
        Object count = json.get("maxReceiveCount");
        if (!(arn instanceof String a) || count == null || json.size() != 2) {
            throw invalid("RedrivePolicy", "it must contain exactly deadLetterTargetArn and maxReceiveCount");
        }
        RedrivePolicy policy = new RedrivePolicy(queueNameOfArn("RedrivePolicy", a), receiveCount(String.valueOf(count)));
        checkTarget(sourceQueue, policy, maxReceiveCountLimit);
        return policy;
    }

    static void checkTarget(String sourceQueue, RedrivePolicy policy, int maxReceiveCountLimit) {
        if (policy.maxReceiveCount() < 1 || policy.maxReceiveCount() > maxReceiveCountLimit) {
            throw invalid("RedrivePolicy", "maxReceiveCount must be between 1 and " + maxReceiveCountLimit);
        }
        if (QueueAttributes.isFifoName(policy.deadLetterQueueName()) != QueueAttributes.isFifoName(sourceQueue)) {
            throw invalid("RedrivePolicy", "the dead-letter queue of a FIFO queue must be FIFO, and of a standard queue standard");
        }
    }

    static RedriveAllowPolicy parseAllowPolicy(String value, int maxSources, int maxLength) {
        if (value == null || value.isEmpty()) {
            return RedriveAllowPolicy.ALLOW_ALL;
        }
        Map<String, Object> json = json("RedriveAllowPolicy", value, maxLength);
        Permission permission = null;
        for (Permission p : Permission.values()) {
            if (p.awsName().equals(json.get("redrivePermission"))) {
                permission = p;
            }
        }
        if (permission == null) {
            throw invalid("RedriveAllowPolicy", "redrivePermission must be allowAll, denyAll or byQueue");
        }
        Object arns = json.get("sourceQueueArns");
        if (permission != Permission.BY_QUEUE) {
            if (arns != null) {
                throw invalid("RedriveAllowPolicy", "sourceQueueArns is only allowed with byQueue");
            }
            return new RedriveAllowPolicy(permission, Set.of());
        }
        if (!(arns instanceof List<?> list) || list.isEmpty() || list.size() > maxSources) {
            throw invalid("RedriveAllowPolicy", "byQueue needs 1 to " + maxSources + " sourceQueueArns");
        }
        Set<String> names = new TreeSet<>();
        list.forEach(arn -> names.add(queueNameOfArn("RedriveAllowPolicy", String.valueOf(arn))));
        return new RedriveAllowPolicy(permission, names);
    }

    /** The RedrivePolicy a SetQueueAttributes value asks for (null: none, or removal), already checked statelessly. */
    public static RedrivePolicy requested(String sourceQueue, String value) {
        return value == null ? null : parseRedrivePolicy(sourceQueue, value, QueueAttributeNames.MAX_RECEIVE_COUNT, QueueAttributeNames.MAX_POLICY_LENGTH);
    }

    /** Parses a RedriveAllowPolicy as GetQueueAttributes returns it. */
    public static RedriveAllowPolicy allowPolicyOf(String json) {
        return parseAllowPolicy(json, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    public static String toJson(RedrivePolicy p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deadLetterTargetArn", QueueUrls.arn(p.deadLetterQueueName()));
        m.put("maxReceiveCount", p.maxReceiveCount());
        return FlatJson.object(m);
    }

    public static String toJson(RedriveAllowPolicy p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("redrivePermission", p.permission().awsName());
        if (p.permission() == Permission.BY_QUEUE) {
            m.put("sourceQueueArns", p.sourceQueueNames().stream().map(QueueUrls::arn).toList());
        }
        return FlatJson.object(m);
    }

    /** The queue name inside a Pontoon queue ARN; anything else is InvalidParameterValue. */
    public static String queueNameOfArn(String parameter, String arn) {
        String name = QueueUrls.nameOfArn(arn);
        if (name == null) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE, "Value " + arn + " for parameter " + parameter + " is invalid. Reason: not a queue ARN.");
        }
        QueueValidator.queueName(name);
        return name;
    }

    private static int receiveCount(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw invalid("RedrivePolicy", "maxReceiveCount must be an integer");
        }
    }

    private static Map<String, Object> json(String attribute, String value, int maxLength) {
        if (value.length() > maxLength) {
            throw invalid(attribute, "longer than " + maxLength + " characters");
        }
        try {
            return FlatJson.parseObject(value);
        } catch (IllegalArgumentException e) {
            throw invalid(attribute, "not valid JSON (" + e.getMessage() + ")");
        }
    }

    private static BrokerException invalid(String attribute, String reason) {
        return new BrokerException(ErrorCode.INVALID_ATTRIBUTE_VALUE, "Invalid value for the parameter " + attribute + ". Reason: " + reason + ".");
    }
}

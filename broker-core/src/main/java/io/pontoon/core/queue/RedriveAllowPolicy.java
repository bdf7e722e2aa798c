package io.pontoon.core.queue;

import java.util.Set;
import java.util.TreeSet;

/** Which source queues may use this queue as their dead-letter queue (AWS RedriveAllowPolicy). */
public record RedriveAllowPolicy(Permission permission, Set<String> sourceQueueNames) {

    public static final RedriveAllowPolicy ALLOW_ALL = new RedriveAllowPolicy(Permission.ALLOW_ALL, Set.of());

    public enum Permission {
        ALLOW_ALL("allowAll"), DENY_ALL("denyAll"), BY_QUEUE("byQueue");

        private final String awsName;

        Permission(String awsName) {
            this.awsName = awsName;
        }

        public String awsName() { return awsName; }
    }

    public RedriveAllowPolicy {
        sourceQueueNames = java.util.Collections.unmodifiableSet(new TreeSet<>(sourceQueueNames));
    }

    public boolean allows(String sourceQueueName) {
        return switch (permission) {
            case ALLOW_ALL -> true;
            case DENY_ALL -> false;
            case BY_QUEUE -> sourceQueueNames.contains(sourceQueueName);
        };
    }
}

package io.pontoon.embedded.junit;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * AWS SDK for Java v2 clients pointed at an embedded Pontoon's gateway, made on first use. The SDK is an optional
 * dependency: types are matched by name, so a project without it never loads an SDK class.
 */
final class AwsClients implements AutoCloseable {
    private static final Map<String, String> SERVICES = Map.of(
            "software.amazon.awssdk.services.sqs.SqsClient", "sqs",
            "software.amazon.awssdk.services.sns.SnsClient", "sns",
            "software.amazon.awssdk.services.kinesis.KinesisClient", "kinesis");
    private final URI endpoint;
    private final Map<Class<?>, AutoCloseable> clients = new ConcurrentHashMap<>();

    AwsClients(URI endpoint) {
        this.endpoint = endpoint;
    }

    static boolean supports(Class<?> type) {
        return SERVICES.containsKey(type.getName());
    }

    Object client(Class<?> type) {
        return clients.computeIfAbsent(type, t -> SdkClients.build(t, endpoint));
    }

    @Override
    public void close() {
        for (AutoCloseable c : clients.values()) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing an HTTP client cannot fail in a way a finished test cares about
            }
        }
        clients.clear();
    }
}

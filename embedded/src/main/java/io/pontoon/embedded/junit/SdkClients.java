package io.pontoon.embedded.junit;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

import java.net.URI;

/** Builds an SDK client of a type it is handed; loaded only when a test asks for one (so only with the SDK present). */
final class SdkClients {
    private SdkClients() {
    }

    static AutoCloseable build(Class<?> type, URI endpoint) {
        try {
            AwsClientBuilder<?, ?> builder = (AwsClientBuilder<?, ?>) type.getMethod("builder").invoke(null);
            builder.endpointOverride(endpoint).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("embedded", "embedded")));
            ((software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<?, ?>) builder).httpClient(UrlConnectionHttpClient.create());
            return (SdkClient) ((software.amazon.awssdk.utils.builder.SdkBuilder<?, ?>) builder).build();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build an AWS SDK client of " + type, e);
        }
    }
}

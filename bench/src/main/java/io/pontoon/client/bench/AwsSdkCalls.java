package io.pontoon.client.bench;

import io.grpc.stub.StreamObserver;
import io.pontoon.api.PontoonErrors;
import io.pontoon.api.QueueUrls;
import io.pontoon.api.v1.BatchResultErrorEntry;
import io.pontoon.api.v1.DeleteMessageBatchRequest;
import io.pontoon.api.v1.DeleteMessageBatchResponse;
import io.pontoon.api.v1.DeleteMessageBatchResultEntry;
import io.pontoon.api.v1.Message;
import io.pontoon.api.v1.ReceiveMessageRequest;
import io.pontoon.api.v1.ReceiveMessageResponse;
import io.pontoon.api.v1.SendMessageBatchRequest;
import io.pontoon.api.v1.SendMessageBatchResponse;
import io.pontoon.api.v1.SendMessageBatchResultEntry;
import io.pontoon.api.v1.SendMessageRequest;
import io.pontoon.api.v1.SendMessageResponse;
import io.pontoon.client.PontoonException;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The load tool's queue calls made with the AWS SDK for Java v2 (its async client on Netty) through one node's
 * HTTP gateway, translated from and to the tool's request protos, so that the same workload runs over either front
 * door. Unsigned unless AWS credentials are in the environment ({@code AWS_ACCESS_KEY_ID}, ...).
 */
final class AwsSdkCalls implements LoadTool.Sends, LoadTool.Receives {
    private final String endpoint;
    private final SqsAsyncClient sqs;

    /** @param tlsCa the CA certificate (PEM) an https endpoint's certificate must chain to, or null for the JDK's trust store */
    AwsSdkCalls(String endpoint, int maxConcurrency, java.nio.file.Path tlsCa) {
        this.endpoint = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        AwsCredentialsProvider credentials = System.getenv("AWS_ACCESS_KEY_ID") != null
                ? DefaultCredentialsProvider.builder().build() : AnonymousCredentialsProvider.create();
        this.sqs = SqsAsyncClient.builder().endpointOverride(URI.create(this.endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .httpClient(NettyNioAsyncHttpClient.builder().maxConcurrency(maxConcurrency)
                        .connectionAcquisitionTimeout(Duration.ofSeconds(30))
                        .tlsTrustManagersProvider(tlsCa == null ? null : () -> trustManagers(tlsCa)).build())
                .build();
    }

    private static javax.net.ssl.TrustManager[] trustManagers(java.nio.file.Path caFile) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(caFile)) {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (java.security.cert.Certificate c : java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
            tmf.init(ks);
            return tmf.getTrustManagers();
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("--tls-ca " + caFile + ": " + e.getMessage(), e);
        }
    }

    private String url(String pontoonUrl) {
        return endpoint + "/000000000000/" + QueueUrls.nameOf(pontoonUrl);
    }

    @Override
    public void sendMessage(SendMessageRequest r, StreamObserver<SendMessageResponse> done) {
        complete(sqs.sendMessage(b -> b.queueUrl(url(r.getQueueUrl())).messageBody(r.getMessageBody())
                        .messageGroupId(emptyToNull(r.getMessageGroupId())).messageDeduplicationId(emptyToNull(r.getMessageDeduplicationId()))),
                s -> SendMessageResponse.newBuilder().setMessageId(s.messageId()).build(), done);
    }

    @Override
    public void sendMessageBatch(SendMessageBatchRequest r, StreamObserver<SendMessageBatchResponse> done) {
        complete(sqs.sendMessageBatch(b -> b.queueUrl(url(r.getQueueUrl())).entries(r.getEntriesList().stream()
                        .map(e -> SendMessageBatchRequestEntry.builder().id(e.getId()).messageBody(e.getMessageBody())
                                .messageGroupId(emptyToNull(e.getMessageGroupId()))
                                .messageDeduplicationId(emptyToNull(e.getMessageDeduplicationId())).build()).toList())),
                s -> {
                    SendMessageBatchResponse.Builder out = SendMessageBatchResponse.newBuilder();
                    s.successful().forEach(e -> out.addSuccessful(SendMessageBatchResultEntry.newBuilder().setId(e.id()).setMessageId(e.messageId())));
                    s.failed().forEach(f -> out.addFailed(failure(f)));
                    return out.build();
                }, done);
    }

    @Override
    public ReceiveMessageResponse receiveMessage(ReceiveMessageRequest r) {
        var received = join(sqs.receiveMessage(b -> b.queueUrl(url(r.getQueueUrl())).maxNumberOfMessages(r.getMaxNumberOfMessages())
                .waitTimeSeconds(r.getWaitTimeSeconds()).messageSystemAttributeNamesWithStrings(r.getMessageSystemAttributeNamesList())));
        ReceiveMessageResponse.Builder out = ReceiveMessageResponse.newBuilder();
        received.messages().forEach(m -> out.addMessages(Message.newBuilder().setMessageId(m.messageId()).setReceiptHandle(m.receiptHandle())
                .setBody(m.body()).putAllAttributes(m.attributesAsStrings())));
        return out.build();
    }

    @Override
    public DeleteMessageBatchResponse deleteMessageBatch(DeleteMessageBatchRequest r) {
        var deleted = join(sqs.deleteMessageBatch(b -> b.queueUrl(url(r.getQueueUrl())).entries(r.getEntriesList().stream()
                .map(e -> DeleteMessageBatchRequestEntry.builder().id(e.getId()).receiptHandle(e.getReceiptHandle()).build()).toList())));
        DeleteMessageBatchResponse.Builder out = DeleteMessageBatchResponse.newBuilder();
        deleted.successful().forEach(e -> out.addSuccessful(DeleteMessageBatchResultEntry.newBuilder().setId(e.id())));
        deleted.failed().forEach(f -> out.addFailed(failure(f)));
        return out.build();
    }

    @Override
    public void close() {
        sqs.close();
    }

    private static BatchResultErrorEntry failure(software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry f) {
        return BatchResultErrorEntry.newBuilder().setId(f.id()).setCode(f.code()).setMessage(f.message() == null ? "" : f.message())
                .setSenderFault(Boolean.TRUE.equals(f.senderFault())).build();
    }

    private static <S, P> void complete(CompletableFuture<S> call, Function<S, P> toProto, StreamObserver<P> done) {
        call.whenComplete((s, failure) -> {
            if (failure != null) {
                done.onError(pontoon(failure));
            } else {
                done.onNext(toProto.apply(s));
                done.onCompleted();
            }
        });
    }

    private static <S> S join(CompletableFuture<S> call) {
        try {
            return call.join();
        } catch (CompletionException e) {
            throw pontoon(e);
        }
    }

    /** An SDK failure as the tool counts errors: by its AWS error code, or the client exception's class. */
    private static PontoonException pontoon(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        String code = t instanceof AwsServiceException s && s.awsErrorDetails() != null ? s.awsErrorDetails().errorCode() : t.getClass().getSimpleName();
        boolean sender = t instanceof AwsServiceException s && s.statusCode() >= 400 && s.statusCode() < 500;
        return PontoonException.from(PontoonErrors.toException(code, String.valueOf(t.getMessage()), sender));
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}

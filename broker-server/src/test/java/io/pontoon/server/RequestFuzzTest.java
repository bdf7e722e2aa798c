package io.pontoon.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.pontoon.api.AwsErrorCodes;
import io.pontoon.api.v1.*;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every bad request gets an AWS error code and changes nothing. Each round takes a valid request of one RPC (every
 * method of the Sqs and Cluster services), mutates one to three of its fields, at any depth, with random, truncated,
 * emptied or oversized values, and sends it to a real cluster. A failure must carry a gRPC status that is never
 * UNKNOWN or INTERNAL and the AWS code of that status in its trailer; and the queues' observable state must be as
 * it was. The seed reproduces a run: {@code -Dfuzz.seed=N}; {@code -Dfuzz.rounds=N} runs longer.
 */
class RequestFuzzTest {
    private static final long SEED = Long.getLong("fuzz.seed", 20_261_206L);
    private static final int ROUNDS = Integer.getInteger("fuzz.rounds", 400);
    private static TestCluster cluster;
    private static ManagedChannel channel;
    private static String standardUrl;
    private static String fifoUrl;
    private static String handle;

    @BeforeAll
    static void setUp() {
        cluster = SharedCluster.get();
        channel = NettyChannelBuilder.forTarget(cluster.clientAddress("n1")).usePlaintext().maxInboundMessageSize(16 << 20).build();
        SqsGrpc.SqsBlockingStub sqs = SqsGrpc.newBlockingStub(channel);
        standardUrl = sqs.createQueue(CreateQueueRequest.newBuilder().setQueueName("fuzz-std").putTags("t", "v").build()).getQueueUrl();
        fifoUrl = sqs.createQueue(CreateQueueRequest.newBuilder().setQueueName("fuzz.fifo").putAttributes("FifoQueue", "true")
                .putAttributes("ContentBasedDeduplication", "true").build()).getQueueUrl();
        for (int i = 0; i < 5; i++) {
            sqs.sendMessage(SendMessageRequest.newBuilder().setQueueUrl(standardUrl).setMessageBody("m" + i).build());
        }
        sqs.sendMessage(SendMessageRequest.newBuilder().setQueueUrl(fifoUrl).setMessageBody("f").setMessageGroupId("g").build());
        handle = sqs.receiveMessage(ReceiveMessageRequest.newBuilder().setQueueUrl(standardUrl).setVisibilityTimeout(1).build())
                .getMessages(0).getReceiptHandle();
    }

    @AfterAll
    static void tearDown() {
        channel.shutdownNow();
    }

    @Test
    void everyMalformedRequestGetsAnAwsCodeAndChangesNothing() {
        Random random = new Random(SEED);
        List<Template> templates = templates();
        int failures = 0;
        String state = observableState();
        for (int round = 0; round < ROUNDS; round++) {
            Template t = templates.get(random.nextInt(templates.size()));
            Message.Builder b = t.request().toBuilder();
            int mutations = 1 + random.nextInt(3);
            List<String> changed = new ArrayList<>();
            for (int m = 0; m < mutations; m++) {
                changed.add(mutate(b, random));
            }
            Message request = b.build();
            String context = "seed " + SEED + " round " + round + ": " + t.method().getBareMethodName() + " with " + changed;
            String before = state;
            try {
                call(t.method(), request);
                state = observableState();
            } catch (StatusRuntimeException e) {
                failures++;
                if (request.getSerializedSize() > cluster.config("n1").maxEntryBytes()) {
                    // gRPC refuses a message over the server's inbound limit before any handler runs (PROTOCOL.md)
                    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), context);
                } else {
                    checkError(e, context);
                }
                state = observableState();
                assertEquals(before, state, context + ": a refused request changed the queues");
            }
        }
        assertTrue(failures > ROUNDS / 2, "most mutated requests are invalid: only " + failures + " of " + ROUNDS + " failed");
    }

    private record Template(MethodDescriptor<Message, Message> method, Message request) {
    }

    @SuppressWarnings("unchecked")
    private static Template template(MethodDescriptor<?, ?> method, Message request) {
        return new Template((MethodDescriptor<Message, Message>) method, request);
    }

    /** A valid request of every RPC (the mutations start from something the server would accept). */
    private static List<Template> templates() {
        MessageAttributeValue attr = MessageAttributeValue.newBuilder().setDataType("String").setStringValue("v").build();
        return List.of(
                template(SqsGrpc.getCreateQueueMethod(), CreateQueueRequest.newBuilder().setQueueName("fuzz-created")
                        .putAttributes("VisibilityTimeout", "30").putTags("k", "v").build()),
                template(SqsGrpc.getGetQueueUrlMethod(), GetQueueUrlRequest.newBuilder().setQueueName("fuzz-std").build()),
                template(SqsGrpc.getListQueuesMethod(), ListQueuesRequest.newBuilder().setQueueNamePrefix("fuzz").setMaxResults(10).build()),
                template(SqsGrpc.getGetQueueAttributesMethod(), GetQueueAttributesRequest.newBuilder().setQueueUrl(standardUrl).addAttributeNames("All").build()),
                template(SqsGrpc.getSetQueueAttributesMethod(), SetQueueAttributesRequest.newBuilder().setQueueUrl(standardUrl)
                        .putAttributes("VisibilityTimeout", "30").build()),
                template(SqsGrpc.getDeleteQueueMethod(), DeleteQueueRequest.newBuilder().setQueueUrl("pontoon://queue/fuzz-absent").build()),
                template(SqsGrpc.getPurgeQueueMethod(), PurgeQueueRequest.newBuilder().setQueueUrl("pontoon://queue/fuzz-absent").build()),
                template(SqsGrpc.getListDeadLetterSourceQueuesMethod(), ListDeadLetterSourceQueuesRequest.newBuilder().setQueueUrl(standardUrl).build()),
                template(SqsGrpc.getStartMessageMoveTaskMethod(), StartMessageMoveTaskRequest.newBuilder()
                        .setSourceArn("arn:aws:sqs:pontoon:000000000000:fuzz-std").setMaxNumberOfMessagesPerSecond(10).build()),
                template(SqsGrpc.getCancelMessageMoveTaskMethod(), CancelMessageMoveTaskRequest.newBuilder().setTaskHandle("mt1.MTpmdXp6LXN0ZA").build()),
                template(SqsGrpc.getListMessageMoveTasksMethod(), ListMessageMoveTasksRequest.newBuilder()
                        .setSourceArn("arn:aws:sqs:pontoon:000000000000:fuzz-std").setMaxResults(1).build()),
                template(SqsGrpc.getTagQueueMethod(), TagQueueRequest.newBuilder().setQueueUrl(standardUrl).putTags("t", "v").build()),
                template(SqsGrpc.getUntagQueueMethod(), UntagQueueRequest.newBuilder().setQueueUrl(standardUrl).addTagKeys("absent").build()),
                template(SqsGrpc.getListQueueTagsMethod(), ListQueueTagsRequest.newBuilder().setQueueUrl(standardUrl).build()),
                template(SqsGrpc.getSendMessageMethod(), SendMessageRequest.newBuilder().setQueueUrl(fifoUrl).setMessageBody("b")
                        .setMessageGroupId("g").setMessageDeduplicationId("d").putMessageAttributes("a", attr)
                        .putMessageSystemAttributes("AWSTraceHeader", attr).build()),
                template(SqsGrpc.getSendMessageBatchMethod(), SendMessageBatchRequest.newBuilder().setQueueUrl(fifoUrl)
                        .addEntries(SendMessageBatchRequestEntry.newBuilder().setId("e").setMessageBody("b").setMessageGroupId("g")
                                .setMessageDeduplicationId("d").putMessageAttributes("a", attr)).build()),
                template(SqsGrpc.getReceiveMessageMethod(), ReceiveMessageRequest.newBuilder().setQueueUrl(standardUrl).setMaxNumberOfMessages(1)
                        .setVisibilityTimeout(0).setWaitTimeSeconds(0).addMessageSystemAttributeNames("All").addMessageAttributeNames("All").build()),
                template(SqsGrpc.getDeleteMessageMethod(), DeleteMessageRequest.newBuilder().setQueueUrl(standardUrl).setReceiptHandle(handle).build()),
                template(SqsGrpc.getDeleteMessageBatchMethod(), DeleteMessageBatchRequest.newBuilder().setQueueUrl(standardUrl)
                        .addEntries(DeleteMessageBatchRequestEntry.newBuilder().setId("e").setReceiptHandle(handle)).build()),
                template(SqsGrpc.getChangeMessageVisibilityMethod(), ChangeMessageVisibilityRequest.newBuilder().setQueueUrl(standardUrl)
                        .setReceiptHandle(handle).setVisibilityTimeout(0).build()),
                template(SqsGrpc.getChangeMessageVisibilityBatchMethod(), ChangeMessageVisibilityBatchRequest.newBuilder().setQueueUrl(standardUrl)
                        .addEntries(ChangeMessageVisibilityBatchRequestEntry.newBuilder().setId("e").setReceiptHandle(handle).setVisibilityTimeout(0)).build()),
                template(ClusterGrpc.getGetRoutingTableMethod(), GetRoutingTableRequest.getDefaultInstance()),
                template(ClusterGrpc.getLookupQueueMethod(), LookupQueueRequest.newBuilder().setQueueName("fuzz-std").build()),
                template(ClusterGrpc.getGetReplicaDigestMethod(), GetReplicaDigestRequest.newBuilder().setPartitionId("0").build()),
                template(ClusterGrpc.getTransferLeadershipMethod(), TransferLeadershipRequest.newBuilder().setPartitionId("nope").setNodeId("n1").build()));
    }

    /** Changes one field, at any depth (into a map value or repeated element now and then); returns what it did. */
    private static String mutate(Message.Builder b, Random random) {
        List<FieldDescriptor> fields = b.getDescriptorForType().getFields();
        if (fields.isEmpty()) {
            return "(no fields)";
        }
        FieldDescriptor f = fields.get(random.nextInt(fields.size()));
        if (f.isMapField() || f.isRepeated()) {
            return mutateCollection(b, f, random);
        }
        if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            Message.Builder nested = ((Message) b.getField(f)).toBuilder();
            String what = mutate(nested, random);
            b.setField(f, nested.build());
            return f.getName() + "." + what;
        }
        b.setField(f, value(f, b.getField(f), random));
        return f.getName();
    }

    private static String mutateCollection(Message.Builder b, FieldDescriptor f, Random random) {
        int count = b.getRepeatedFieldCount(f);
        switch (random.nextInt(4)) {
            case 0 -> b.clearField(f); // empty
            case 1 -> { // many (oversized collections)
                Object sample = count > 0 ? b.getRepeatedField(f, 0) : null;
                for (int i = 0; i < 11 + random.nextInt(60) && sample != null; i++) {
                    b.addRepeatedField(f, f.isMapField() ? withRandomKey((Message) sample, random) : sample);
                }
            }
            default -> { // one element changed
                if (count == 0) {
                    return f.getName() + " (empty, left)";
                }
                int i = random.nextInt(count);
                Object element = b.getRepeatedField(f, i);
                if (element instanceof Message m) {
                    Message.Builder eb = m.toBuilder();
                    mutate(eb, random);
                    b.setRepeatedField(f, i, eb.build());
                } else {
                    b.setRepeatedField(f, i, value(f, element, random));
                }
            }
        }
        return f.getName() + "[]";
    }

    private static Message withRandomKey(Message entry, Random random) {
        Message.Builder b = entry.toBuilder();
        FieldDescriptor key = b.getDescriptorForType().findFieldByName("key");
        b.setField(key, "k" + random.nextInt(1_000_000));
        return b.build();
    }

    /** A new value for a scalar field: random, truncated, emptied, oversized, or out of range. */
    private static Object value(FieldDescriptor f, Object current, Random random) {
        return switch (f.getJavaType()) {
            case STRING -> string(String.valueOf(current), random);
            case INT -> switch (random.nextInt(4)) {
                case 0 -> -1 - random.nextInt(1000);
                case 1 -> Integer.MAX_VALUE - random.nextInt(2);
                case 2 -> random.nextInt(100_000);
                default -> Integer.MIN_VALUE;
            };
            case LONG -> random.nextLong();
            case BOOLEAN -> random.nextBoolean();
            case BYTE_STRING -> ByteString.copyFrom(string("", random).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            default -> current;
        };
    }

    private static String string(String current, Random random) {
        return switch (random.nextInt(7)) {
            case 0 -> "";
            case 1 -> current.substring(0, random.nextInt(current.length() + 1)); // truncated
            case 2 -> current + "x".repeat(random.nextInt(2) == 0 ? 300 : 1_100_000); // oversized
            case 3 -> randomText(random, 1 + random.nextInt(40));
            case 4 -> "\u0000\uD800" + current; // control characters and an unpaired surrogate
            case 5 -> current.replace('o', '\u00f6').replace(':', ' ');
            default -> String.valueOf(random.nextLong());
        };
    }

    private static String randomText(Random random, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append((char) (random.nextInt(3) == 0 ? random.nextInt(0x3000) : 0x20 + random.nextInt(0x5f)));
        }
        return s.toString();
    }

    private static void call(MethodDescriptor<Message, Message> method, Message request) {
        ClientCalls.blockingUnaryCall(channel, method, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), request);
    }

    private static void checkError(StatusRuntimeException e, String context) {
        Status.Code code = e.getStatus().getCode();
        assertNotEquals(Status.Code.UNKNOWN, code, context + ": " + e.getStatus());
        assertNotEquals(Status.Code.INTERNAL, code, context + ": " + e.getStatus());
        byte[] trailer = e.getTrailers() == null ? null : e.getTrailers().get(io.pontoon.server.grpc.GrpcErrors.ERROR_DETAIL_KEY);
        assertNotNull(trailer, context + ": no AWS error detail on " + e.getStatus());
        ErrorDetail detail;
        try {
            detail = ErrorDetail.parseFrom(trailer);
        } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
            throw new AssertionError(context + ": unreadable error detail", ex);
        }
        assertFalse(detail.getAwsCode().isEmpty(), context);
        assertEquals(AwsErrorCodes.statusFor(detail.getAwsCode()), code, context + ": " + detail.getAwsCode() + " travels as its status");
    }

    /** What the fuzzed queues look like to a client: which exist, and the two seeded queues' settings, tags and message totals. */
    private static String observableState() {
        SqsGrpc.SqsBlockingStub sqs = SqsGrpc.newBlockingStub(channel);
        StringBuilder s = new StringBuilder(sqs.listQueues(ListQueuesRequest.newBuilder().setQueueNamePrefix("fuzz").build())
                .getQueueUrlsList().toString()).append('\n');
        for (String url : List.of(standardUrl, fifoUrl)) {
            Map<String, String> a = new TreeMap<>(sqs.getQueueAttributes(GetQueueAttributesRequest.newBuilder().setQueueUrl(url)
                    .addAttributeNames("All").build()).getAttributesMap());
            long total = Long.parseLong(a.remove("ApproximateNumberOfMessages")) + Long.parseLong(a.remove("ApproximateNumberOfMessagesNotVisible"))
                    + Long.parseLong(a.remove("ApproximateNumberOfMessagesDelayed"));
            s.append(url).append(' ').append(a).append(" total=").append(total).append(" tags=")
                    .append(new TreeMap<>(sqs.listQueueTags(ListQueueTagsRequest.newBuilder().setQueueUrl(url).build()).getTagsMap())).append('\n');
        }
        return s.toString();
    }
}

package io.pontoon.server.grpc;

import io.pontoon.api.AwsIdentity;
import io.pontoon.api.v1.GetTopicAttributesRequest;
import io.pontoon.api.v1.SetSubscriptionAttributesRequest;
import io.pontoon.api.v1.ListSubscriptionsResponse;
import io.pontoon.api.v1.ListTopicsResponse;
import io.pontoon.api.v1.Message;
import io.pontoon.api.v1.ReceiveMessageResponse;
import io.pontoon.api.v1.SendMessageRequest;
import io.pontoon.api.v1.SnsGrpc;
import io.pontoon.api.v1.SqsGrpc;
import io.pontoon.api.v1.Subscription;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Which fields of the gRPC API carry ARNs, and that users' own data is never rewritten. */
class ArnTranslationTest {
    static final AwsIdentity IDENTITY = new AwsIdentity("eu-west-1", "123456789012");
    static final ArnTranslation TRANSLATION = ArnTranslation.of(IDENTITY, List.of(new SqsGrpc.SqsImplBase() {
    }.bindService(), new SnsGrpc.SnsImplBase() {
    }.bindService()));
    static final String CANONICAL_TOPIC = "arn:aws:sns:pontoon:000000000000:orders";
    static final String EXTERNAL_TOPIC = "arn:aws:sns:eu-west-1:123456789012:orders";
    static final String CANONICAL_QUEUE = "arn:aws:sqs:pontoon:000000000000:q";
    static final String EXTERNAL_QUEUE = "arn:aws:sqs:eu-west-1:123456789012:q";

    private static com.google.protobuf.Message out(com.google.protobuf.Message m) {
        return TRANSLATION.translate(m, IDENTITY::toExternal);
    }

    private static com.google.protobuf.Message in(com.google.protobuf.Message m) {
        return TRANSLATION.translate(m, IDENTITY::toInternal);
    }

    @Test
    void arnFieldsRepeatedArnFieldsAndNestedMessagesAreShownInTheConfiguredIdentity() {
        ListSubscriptionsResponse list = ListSubscriptionsResponse.newBuilder().addSubscriptions(Subscription.newBuilder()
                .setSubscriptionArn(CANONICAL_TOPIC + ":s1").setTopicArn(CANONICAL_TOPIC).setEndpoint(CANONICAL_QUEUE)
                .setOwner("000000000000").setProtocol("sqs")).setNextToken("t").build();
        Subscription shown = ((ListSubscriptionsResponse) out(list)).getSubscriptions(0);
        assertEquals(EXTERNAL_TOPIC + ":s1", shown.getSubscriptionArn());
        assertEquals(EXTERNAL_TOPIC, shown.getTopicArn());
        assertEquals(EXTERNAL_QUEUE, shown.getEndpoint());
        assertEquals(List.of(EXTERNAL_TOPIC), ((ListTopicsResponse) out(ListTopicsResponse.newBuilder().addTopicArns(CANONICAL_TOPIC).build()))
                .getTopicArnsList());
    }

    @Test
    void requestsHaveTheConfiguredIdentityTurnedCanonicalAndOtherAccountsLeftForTheCoreToRefuse() {
        assertEquals(CANONICAL_TOPIC, ((GetTopicAttributesRequest) in(GetTopicAttributesRequest.newBuilder().setTopicArn(EXTERNAL_TOPIC).build()))
                .getTopicArn());
        String policy = "{\"deadLetterTargetArn\":\"" + EXTERNAL_QUEUE + "\"}";
        assertEquals("{\"deadLetterTargetArn\":\"" + CANONICAL_QUEUE + "\"}", ((SetSubscriptionAttributesRequest) in(SetSubscriptionAttributesRequest
                .newBuilder().setSubscriptionArn(EXTERNAL_TOPIC + ":s1").setAttributeName("RedrivePolicy").setAttributeValue(policy).build()))
                .getAttributeValue(), "an SNS attribute value (a RedrivePolicy) names queues as the core does");
        String foreign = "arn:aws:sns:eu-west-1:999999999999:orders";
        assertEquals(foreign, ((GetTopicAttributesRequest) in(GetTopicAttributesRequest.newBuilder().setTopicArn(foreign).build())).getTopicArn());
    }

    @Test
    void attributeMapsAreTranslatedButBodiesAndMessageAttributesNeverAre() {
        Message received = Message.newBuilder().setBody("see " + CANONICAL_QUEUE).putAttributes("DeadLetterQueueSourceArn", CANONICAL_QUEUE)
                .putAttributes("SentTimestamp", "1").putMessageAttributes("origin", io.pontoon.api.v1.MessageAttributeValue.newBuilder()
                        .setDataType("String").setStringValue(CANONICAL_QUEUE).build()).build();
        Message shown = ((ReceiveMessageResponse) out(ReceiveMessageResponse.newBuilder().addMessages(received).build())).getMessages(0);
        assertEquals(EXTERNAL_QUEUE, shown.getAttributesOrThrow("DeadLetterQueueSourceArn"));
        assertEquals("1", shown.getAttributesOrThrow("SentTimestamp"));
        assertEquals("see " + CANONICAL_QUEUE, shown.getBody(), "a body is the user's");
        assertEquals(CANONICAL_QUEUE, shown.getMessageAttributesOrThrow("origin").getStringValue(), "message attributes are the user's");

        SendMessageRequest send = SendMessageRequest.newBuilder().setQueueUrl("pontoon://queue/q").setMessageBody(EXTERNAL_QUEUE).build();
        assertSame(send, in(send), "a send carries no ARN field: nothing is copied");
    }
}

package io.pontoon.embedded.junit;

import io.pontoon.api.v1.ReceiveMessageRequest;
import io.pontoon.api.v1.SendMessageRequest;
import io.pontoon.client.PontoonClient;
import io.pontoon.embedded.EmbeddedPontoon;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The extension as a user meets it: declared queues, topics and streams exist before every test and nothing else
 * does (a queue one test made is gone in the next, without a restart), and the injected clients reach the same
 * Pontoon.
 */
@PontoonTest(queues = {"orders", "payments.fifo"}, topics = "events", streams = "clicks")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PontoonExtensionTest {
    private static EmbeddedPontoon first;

    @Test
    @Order(1)
    void theDeclaredResourcesExistAndTheInjectedClientsReachThem(EmbeddedPontoon pontoon, PontoonClient client, SqsClient sqs,
                                                                 SnsClient sns, KinesisClient kinesis) {
        first = pontoon;
        assertEquals(2, client.listQueues("").size());
        assertEquals("true", client.getQueueAttributes(client.getQueueUrl("payments.fifo"), "FifoQueue").get("FifoQueue"));
        String url = sqs.getQueueUrl(b -> b.queueName("orders")).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("via the SDK"));
        assertEquals("via the SDK", client.receiveMessage(ReceiveMessageRequest.newBuilder().setQueueUrl(client.getQueueUrl("orders"))
                .setWaitTimeSeconds(5).build()).getMessages(0).getBody());
        assertTrue(sns.listTopics().topics().get(0).topicArn().endsWith(":events"));
        assertEquals(List.of("clicks"), kinesis.listStreams().streamNames());
        client.createQueue("scratch");
    }

    @Test
    @Order(2)
    void theNextTestSeesOnlyTheDeclaredResourcesInTheSamePontoon(EmbeddedPontoon pontoon, PontoonClient client) {
        assertSame(first, pontoon, "one Pontoon per class, not restarted");
        assertEquals(List.of("orders", "payments.fifo"), client.listQueues("").stream().map(u -> u.substring(u.lastIndexOf('/') + 1)).sorted().toList());
        String orders = client.getQueueUrl("orders");
        assertEquals(0, client.receiveMessage(ReceiveMessageRequest.newBuilder().setQueueUrl(orders).build()).getMessagesCount(),
                "the declared queue starts empty again");
        client.sendMessage(SendMessageRequest.newBuilder().setQueueUrl(orders).setMessageBody("ok").build());
    }
}

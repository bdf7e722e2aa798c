package io.pontoon.server.gateway;

import com.amazon.sqs.javamessaging.ProviderConfiguration;
import com.amazon.sqs.javamessaging.SQSConnection;
import com.amazon.sqs.javamessaging.SQSConnectionFactory;
import io.pontoon.server.SharedCluster;
import io.pontoon.server.TestCluster;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Amazon SQS Java Messaging Library (JMS 3.1 over the AWS SDK), unmodified, sends and receives through a real
 * cluster's gateway: text and properties arrive, and a message acknowledged by the consumer is gone from the queue.
 */
class SqsJmsClusterTest {

    @Test
    void aJmsProducerAndConsumerExchangeAMessageWithItsPropertiesAndTheAcknowledgementDeletesIt() throws Exception {
        TestCluster cluster = SharedCluster.get();
        try (SqsClient sqs = SqsSdkClusterTest.sync(cluster.gatewayUri("n3"))) {
            String url = sqs.createQueue(b -> b.queueName("jms-orders")).queueUrl();
            SQSConnectionFactory factory = new SQSConnectionFactory(new ProviderConfiguration(), sqs);
            try (SQSConnection connection = factory.createConnection()) {
                Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
                Queue queue = session.createQueue("jms-orders");
                MessageProducer producer = session.createProducer(queue);
                TextMessage sent = session.createTextMessage("order 1");
                sent.setStringProperty("tenant", "acme");
                sent.setIntProperty("priority", 7);
                producer.send(sent);

                MessageConsumer consumer = session.createConsumer(queue);
                connection.start();
                TextMessage received = (TextMessage) consumer.receive(20_000);
                assertNotNull(received, "a message within 20 s");
                assertEquals("order 1", received.getText());
                assertEquals("acme", received.getStringProperty("tenant"));
                assertEquals(7, received.getIntProperty("priority"));
                assertEquals(sent.getJMSMessageID(), received.getJMSMessageID());
                received.acknowledge();
            }
            TestCluster.await(() -> {
                Map<String, String> attrs = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings(
                        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
                return attrs.get("ApproximateNumberOfMessages").equals("0") && attrs.get("ApproximateNumberOfMessagesNotVisible").equals("0");
            }, 10_000, "the acknowledged message to be deleted");
        }
    }
}

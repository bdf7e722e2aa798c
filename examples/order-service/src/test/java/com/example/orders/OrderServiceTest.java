package com.example.orders;

import io.pontoon.embedded.junit.PontoonTest;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The application's own test, against a real Pontoon in this JVM, through the AWS SDK clients it uses in production. */
@PontoonTest(queues = {"orders", "audit"}, topics = "order-placed")
class OrderServiceTest {

    @Test
    void aPlacedOrderIsAnnouncedToEverySubscriber(SqsClient sqs, SnsClient sns) {
        String orders = sqs.getQueueUrl(b -> b.queueName("orders")).queueUrl();
        String audit = sqs.getQueueUrl(b -> b.queueName("audit")).queueUrl();
        String auditArn = sqs.getQueueAttributes(b -> b.queueUrl(audit).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String topic = sns.createTopic(b -> b.name("order-placed")).topicArn(); // already there: CreateTopic is idempotent
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(auditArn));

        OrderService service = new OrderService(sqs, sns, orders, topic);
        service.placeOrder("order 42");
        assertEquals(1, service.processOrders());

        String announced = sqs.receiveMessage(b -> b.queueUrl(audit).waitTimeSeconds(10)).messages().get(0).body();
        assertTrue(announced.contains("\"Message\":\"order 42\""), announced);
    }

    @Test
    void eachTestStartsWithEmptyQueues(SqsClient sqs) {
        String orders = sqs.getQueueUrl(b -> b.queueName("orders")).queueUrl();
        assertEquals(0, sqs.receiveMessage(b -> b.queueUrl(orders).waitTimeSeconds(0)).messages().size());
    }
}

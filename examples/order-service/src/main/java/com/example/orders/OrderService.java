package com.example.orders;

import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.util.List;

/**
 * A tiny application: orders arrive on a queue; each is announced on a topic. It knows nothing of Pontoon: it is
 * handed AWS SDK clients, which in production point at AWS or at a Pontoon cluster's gateway.
 */
public final class OrderService {
    private final SqsClient sqs;
    private final SnsClient sns;
    private final String ordersQueueUrl;
    private final String placedTopicArn;

    public OrderService(SqsClient sqs, SnsClient sns, String ordersQueueUrl, String placedTopicArn) {
        this.sqs = sqs;
        this.sns = sns;
        this.ordersQueueUrl = ordersQueueUrl;
        this.placedTopicArn = placedTopicArn;
    }

    public void placeOrder(String order) {
        sqs.sendMessage(b -> b.queueUrl(ordersQueueUrl).messageBody(order));
    }

    /** Takes the orders waiting (up to 10), announces each on the topic and deletes it; returns how many. */
    public int processOrders() {
        List<Message> orders = sqs.receiveMessage(b -> b.queueUrl(ordersQueueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
        for (Message order : orders) {
            sns.publish(b -> b.topicArn(placedTopicArn).subject("order placed").message(order.body()));
            sqs.deleteMessage(b -> b.queueUrl(ordersQueueUrl).receiptHandle(order.receiptHandle()));
        }
        return orders.size();
    }
}

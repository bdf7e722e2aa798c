package io.pontoon.server;

import com.sun.net.httpserver.HttpServer;
import io.pontoon.api.v1.*;
import io.pontoon.core.codec.Json;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntUnaryOperator;

/** What topic cluster tests share: queues to subscribe, draining them, and an HTTP endpoint on loopback. */
final class TopicTesting {
    static final String QUEUE_ARN = "arn:aws:sqs:pontoon:000000000000:";

    private TopicTesting() {
    }

    static String queue(TestCluster cluster, String name) {
        return cluster.sqs("n1").createQueue(CreateQueueRequest.newBuilder().setQueueName(name).build()).getQueueUrl();
    }

    /** Receives and deletes everything the queue holds now (a short long poll until one comes back empty). */
    static List<Message> drain(TestCluster cluster, String node, String url) {
        List<Message> out = new ArrayList<>();
        while (true) {
            ReceiveMessageResponse r = cluster.sqs(node).receiveMessage(ReceiveMessageRequest.newBuilder().setQueueUrl(url)
                    .setMaxNumberOfMessages(10).setWaitTimeSeconds(1).addMessageAttributeNames("All").build());
            if (r.getMessagesCount() == 0) {
                return out;
            }
            for (Message m : r.getMessagesList()) {
                out.add(m);
                cluster.sqs(node).deleteMessage(DeleteMessageRequest.newBuilder().setQueueUrl(url).setReceiptHandle(m.getReceiptHandle()).build());
            }
        }
    }

    static Map<?, ?> envelope(Message m) {
        return (Map<?, ?>) Json.parse(m.getBody());
    }

    /** One POST an endpoint received: when, its headers of interest and its body. */
    record Post(long atMs, String type, String messageId, String body, String raw) {
    }

    /** An HTTP endpoint on loopback that answers each POST with {@code status.applyAsInt(number of the POST, from 1)}. */
    static final class Endpoint implements AutoCloseable {
        final List<Post> posts = new CopyOnWriteArrayList<>();
        private final HttpServer server;

        Endpoint(IntUnaryOperator status, long hangMs) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "test-endpoint");
                t.setDaemon(true);
                return t;
            }));
            server.createContext("/", x -> {
                String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                posts.add(new Post(System.currentTimeMillis(), x.getRequestHeaders().getFirst("x-amz-sns-message-type"),
                        x.getRequestHeaders().getFirst("x-amz-sns-message-id"), body, x.getRequestHeaders().getFirst("x-amz-sns-rawdelivery")));
                if (hangMs > 0) {
                    try {
                        Thread.sleep(hangMs);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                x.sendResponseHeaders(status.applyAsInt(posts.size()), -1);
                x.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        List<Post> notifications() {
            return posts.stream().filter(p -> "Notification".equals(p.type())).toList();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}

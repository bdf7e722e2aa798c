package io.pontoon.chaos;

import io.pontoon.api.v1.DeleteMessageBatchRequest;
import io.pontoon.api.v1.DeleteMessageBatchRequestEntry;
import io.pontoon.api.v1.DeleteMessageBatchResponse;
import io.pontoon.api.v1.DeleteMessageBatchResultEntry;
import io.pontoon.api.v1.Message;
import io.pontoon.api.v1.ReceiveMessageRequest;
import io.pontoon.api.v1.SendMessageRequest;
import io.pontoon.client.PontoonClient;
import io.pontoon.client.PontoonException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Workloads W-Q (SQS standard queue, checked as a total queue) and W-F (FIFO queue: {@code fifo} settings;
 * producer {@code i} owns message group {@code g<i>}, uses each value as its MessageDeduplicationId and
 * retries a send of unknown outcome with the same id before sending the next value). Consumers also record
 * each delivery's MessageId (and SequenceNumber) in a {@code deliveries} op, for {@link LeaseChecker} and
 * {@link FifoChecker}. Producer {@code i} sends the unique values
 * {@code p<i>-0, p<i>-1, ...}; consumers receive (up to 10, long poll 1 s, the configured visibility
 * timeout) and delete what they received with DeleteMessageBatch. Every operation is recorded in the
 * {@link History}: invoke, then ok, fail (definitely not applied) or info (outcome unknown).
 *
 * <p>A send is recorded as {@code fail} only for a sender fault (an invalid request, which no attempt can
 * have applied); any other error is {@code info}, because the client retries internally and an earlier
 * attempt may have committed.
 */
public final class QueueWorkload implements Workload {
    public static final String QUEUE = "chaos-wq";
    public static final String FIFO_QUEUE = "chaos-wf.fifo";

    public record Settings(int producers, int consumers, long producerDelayMs, int visibilitySeconds, boolean fifo) {
        /** Attempts of one FIFO value before moving on (each recorded; the dedup id makes them one message). */
        static final int FIFO_SEND_ATTEMPTS = 10;

        public Settings withFifo(boolean value) {
            return new Settings(producers, consumers, producerDelayMs, visibilitySeconds, value);
        }
    }

    private final History history;
    private final PontoonClient client;
    private final String queueUrl;
    private final String partition;
    private final Settings settings;
    private final Consumer<String> log;
    private final List<Thread> producers = new ArrayList<>();
    private final List<Thread> consumers = new ArrayList<>();
    private volatile boolean producing = true;
    private volatile boolean consuming = true;
    /** Last time a consumer saw a message or a receive failure (System.nanoTime). */
    private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());
    /** Empty ok receives since {@link #lastActivity}. */
    private final AtomicLong emptyStreak = new AtomicLong();

    /** Creates the workload's queue (retrying until the cluster serves it) and the workload on it. */
    static QueueWorkload open(Cluster cluster, History history, Settings settings, Consumer<String> log) {
        String queue = settings.fifo() ? FIFO_QUEUE : QUEUE;
        String url = cluster.awaitReady(queue, settings.fifo() ? Map.of("FifoQueue", "true") : Map.of(), Duration.ofSeconds(90));
        String partition = cluster.partitionOf(queue);
        log.accept("cluster ready; queue " + url + " on partition " + partition + ", leader " + cluster.leaderOf(partition).orElse("unknown"));
        return new QueueWorkload(history, cluster.clientBuilder(), url, partition, settings, log);
    }

    QueueWorkload(History history, PontoonClient.Builder client, String queueUrl, String partition, Settings settings, Consumer<String> log) {
        this.history = history;
        this.queueUrl = queueUrl;
        this.partition = partition;
        this.settings = settings;
        this.log = log;
        this.client = client
                .connectTimeoutMs(1000).requestTimeoutMs(3000).maxAttempts(4)
                .backoffBaseMs(50).backoffMaxMs(500).routingRefreshIntervalMs(5000).build();
    }

    @Override
    public String partition() {
        return partition;
    }

    @Override
    public List<String> checkedPartitions() {
        return List.of(partition, "controller");
    }

    @Override
    public void start() {
        for (int i = 0; i < settings.producers(); i++) {
            int proc = i;
            producers.add(Thread.ofPlatform().name("chaos-producer-" + i).start(() -> produce(proc)));
        }
        for (int i = 0; i < settings.consumers(); i++) {
            int proc = i;
            consumers.add(Thread.ofPlatform().name("chaos-consumer-" + i).start(() -> consume(proc)));
        }
    }

    private void produce(int proc) {
        String process = "p" + proc;
        for (long counter = 0; producing; counter++) {
            String value = process + "-" + counter;
            int attempts = settings.fifo() ? Settings.FIFO_SEND_ATTEMPTS : 1;
            for (int attempt = 0; attempt < attempts && producing; attempt++) {
                if (send(process, value, "g" + proc)) break;
            }
            if (settings.producerDelayMs() > 0) Workload.pause(settings.producerDelayMs());
        }
    }

    /** One recorded send attempt; true when it is settled (ok, or a definite failure). */
    private boolean send(String process, String value, String group) {
        history.add(process, Op.INVOKE, "send", value);
        try {
            SendMessageRequest.Builder req = SendMessageRequest.newBuilder().setQueueUrl(queueUrl).setMessageBody(value);
            if (settings.fifo()) req.setMessageGroupId(group).setMessageDeduplicationId(value);
            client.sendMessage(req.build());
            history.add(process, Op.OK, "send", value);
            return true;
        } catch (PontoonException e) {
            history.add(process, e.isSenderFault() ? Op.FAIL : Op.INFO, "send", value, describe(e));
            return e.isSenderFault();
        } catch (RuntimeException e) {
            history.add(process, Op.INFO, "send", value, e.toString());
            return false;
        }
    }

    private void consume(int proc) {
        String process = "c" + proc;
        ReceiveMessageRequest receive = ReceiveMessageRequest.newBuilder().setQueueUrl(queueUrl)
                .setMaxNumberOfMessages(10).setWaitTimeSeconds(1).setVisibilityTimeout(settings.visibilitySeconds())
                .addMessageSystemAttributeNames(Delivered.SEQUENCE).addMessageSystemAttributeNames(Delivered.RECEIVE_COUNT).build();
        while (consuming) {
            history.add(process, Op.INVOKE, "receive", null);
            List<Message> messages;
            try {
                messages = client.receiveMessage(receive).getMessagesList();
            } catch (RuntimeException e) {
                PontoonException p = PontoonException.from(e);
                history.add(process, p.isSenderFault() ? Op.FAIL : Op.INFO, "receive", null, describe(p));
                lastActivity.set(System.nanoTime());
                emptyStreak.set(0);
                Workload.pause(100);
                continue;
            }
            List<String> bodies = messages.stream().map(Message::getBody).toList();
            history.add(process, Op.OK, "receive", bodies);
            if (!messages.isEmpty()) {
                // Which messages carried those values: a retried send can store one value as two messages.
                history.add(process, Op.OK, "deliveries", messages.stream().map(Delivered::encode).toList());
            }
            if (messages.isEmpty()) {
                emptyStreak.incrementAndGet();
                continue;
            }
            lastActivity.set(System.nanoTime());
            emptyStreak.set(0);
            delete(process, messages, bodies);
        }
    }

    private void delete(String process, List<Message> messages, List<String> bodies) {
        DeleteMessageBatchRequest.Builder req = DeleteMessageBatchRequest.newBuilder().setQueueUrl(queueUrl);
        for (int i = 0; i < messages.size(); i++) {
            req.addEntries(DeleteMessageBatchRequestEntry.newBuilder().setId(Integer.toString(i))
                    .setReceiptHandle(messages.get(i).getReceiptHandle()));
        }
        history.add(process, Op.INVOKE, "delete", bodies);
        try {
            DeleteMessageBatchResponse r = client.deleteMessageBatch(req.build());
            List<String> deleted = new ArrayList<>();
            for (DeleteMessageBatchResultEntry e : r.getSuccessfulList()) deleted.add(bodies.get(Integer.parseInt(e.getId())));
            history.add(process, Op.OK, "delete", deleted,
                    r.getFailedCount() == 0 ? null : r.getFailedCount() + " entries failed: " + r.getFailed(0).getCode());
        } catch (RuntimeException e) {
            PontoonException p = PontoonException.from(e);
            history.add(process, p.isSenderFault() ? Op.FAIL : Op.INFO, "delete", bodies, describe(p));
        }
    }

    /** Stops the producers and waits for their last operation to complete (bounded by client deadlines). */
    @Override
    public void stopProducers() throws InterruptedException {
        producing = false;
        Workload.joinAll(producers, log);
    }

    /**
     * Final drain (consumers keep running): returns true once consumers have seen at least
     * {@code emptyPolls} consecutive empty long polls and nothing else for {@code quiet} (choose it longer
     * than the visibility timeout, so messages held by lost receives come back and are seen), or false at
     * the deadline.
     */
    @Override
    public boolean drain(int emptyPolls, Duration quiet, Duration deadline) {
        long start = System.nanoTime();
        lastActivity.set(start);
        emptyStreak.set(0);
        long end = start + deadline.toNanos();
        while (System.nanoTime() < end) {
            if (emptyStreak.get() >= emptyPolls && System.nanoTime() - lastActivity.get() >= quiet.toNanos()) {
                log.accept("drain complete after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms ("
                        + emptyStreak.get() + " consecutive empty polls)");
                return true;
            }
            Workload.pause(200);
        }
        log.accept("DRAIN INCOMPLETE after " + deadline + ": empty streak " + emptyStreak.get());
        return false;
    }

    @Override
    public void stopConsumers() throws InterruptedException {
        consuming = false;
        Workload.joinAll(consumers, log);
    }

    /**
     * Total-queue on every history; for W-F also group order and deduplication; and the visibility leases (a
     * message delivered again inside its lease, after a delete, or with a receive count that went backwards).
     */
    @Override
    public Findings check(List<Op> ops, long clockBoundMs) {
        List<String> anomalies = new ArrayList<>();
        List<String> report = new ArrayList<>();
        TotalQueueChecker.Result total = TotalQueueChecker.check(ops);
        report.add("total-queue: " + total.describe());
        if (settings.fifo()) {
            FifoChecker.Result fifo = FifoChecker.check(ops);
            report.add(fifo.describe());
            if (!fifo.orderViolations().isEmpty()) {
                anomalies.add(fifo.orderViolations().size() + " FIFO order violations: " + ChaosRun.abbreviate(fifo.orderViolations()));
            }
            if (!fifo.dedupViolations().isEmpty()) {
                anomalies.add(fifo.dedupViolations().size() + " FIFO dedup violations: " + ChaosRun.abbreviate(fifo.dedupViolations()));
            }
        }
        LeaseChecker.Result leases = LeaseChecker.check(ops, settings.visibilitySeconds() * 1000L, clockBoundMs);
        report.add(leases.describe());
        if (!leases.overlaps().isEmpty()) {
            anomalies.add(leases.overlaps().size() + " visibility lease overlaps: " + ChaosRun.abbreviate(leases.overlaps()));
        }
        if (!leases.afterDelete().isEmpty()) {
            anomalies.add(leases.afterDelete().size() + " redeliveries after a delete: " + ChaosRun.abbreviate(leases.afterDelete()));
        }
        if (!leases.countBackwards().isEmpty()) {
            anomalies.add(leases.countBackwards().size() + " receive counts that went backwards: " + ChaosRun.abbreviate(leases.countBackwards()));
        }
        return new Findings(total, ops, anomalies, report);
    }

    @Override
    public void close() {
        producing = false;
        consuming = false;
        client.close();
    }

    private static String describe(PontoonException e) {
        return e.statusCode() + " " + e.getMessage();
    }

}

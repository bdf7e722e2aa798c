package io.pontoon.core.queue;

import io.pontoon.core.partition.QueryResult;
import io.pontoon.core.CoreConfig;
import io.pontoon.core.Limits;
import io.pontoon.core.queue.QueueUrls;
import io.pontoon.core.queue.QueueQuery;
import io.pontoon.core.queue.QueueQueryResult;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.queue.QueueAttributes;
import io.pontoon.core.queue.QueueRecord;
import io.pontoon.core.queue.NotVisibleCounts;
import io.pontoon.core.partition.StoreView;
import io.pontoon.core.queue.RedriveAllowPolicy;
import io.pontoon.core.queue.RedrivePolicies;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import static io.pontoon.core.queue.QueueAttributeNames.*;

/** Read-only answers from a StoreView: GetQueueUrl, GetQueueAttributes, ListQueues, QueueStats. */
public final class QueueQueries {
    /** Outbox entries an OutboxStats query counts at most. */
    private static final int OUTBOX_STATS_CAP = 10_000;

    private QueueQueries() {
    }

    public static QueryResult answer(StoreView view, QueueQuery query, long nowMs, CoreConfig config) {
        return switch (query) {
            case QueueQuery.GetQueueUrl g -> view.queue(g.name())
                    .<QueryResult>map(q -> new QueueQueryResult.QueueUrl(QueueUrls.of(q.name())))
                    .orElseGet(QueueQueries::noSuchQueue);
            case QueueQuery.GetQueueAttributes g -> view.queue(g.name())
                    .<QueryResult>map(q -> new QueueQueryResult.Attributes(attributes(view, q, g.attributeNames(), nowMs, config)))
                    .orElseGet(QueueQueries::noSuchQueue);
            case QueueQuery.ListQueues l -> list(view, l);
            case QueueQuery.QueueStats s -> view.queue(s.name())
                    .<QueryResult>map(q -> stats(view, q, nowMs, config))
                    .orElseGet(QueueQueries::noSuchQueue);
            case QueueQuery.DeadLetterSources d -> new QueueQueryResult.QueueNames(deadLetterSources(view, d.deadLetterQueue()));
            case QueueQuery.ListMoveTasks l -> view.queue(l.sourceQueue())
                    .<QueryResult>map(q -> new QueueQueryResult.MoveTasks(MoveTasks.list(view, q.name(), l.maxResults())))
                    .orElseGet(QueueQueries::noSuchQueue);
            case QueueQuery.ReadOutbox o -> new QueueQueryResult.Outbox(Outbox.read(view, o.limit(), o.maxBytes()));
            case QueueQuery.Receivable r -> view.queue(r.name())
                    .<QueryResult>map(q -> new QueueQueryResult.Flag(receivable(view, q, nowMs)))
                    .orElseGet(QueueQueries::noSuchQueue);
            case QueueQuery.ListQueueTags t -> view.queue(t.name())
                    .<QueryResult>map(q -> new QueueQueryResult.Tags(new TreeMap<>(q.attributes().tags())))
                    .orElseGet(QueueQueries::noSuchQueue);
            case QueueQuery.OutboxStats o -> Outbox.size(view, OUTBOX_STATS_CAP);
            case QueueQuery.ReadPayloads r -> new QueueQueryResult.Payloads(Deliveries.payloads(view, r.queueId(), r.seqs()));
        };
    }

    /** Scans this partition's queues (O(queues here), paged so no read holds many records at once). */
    private static List<String> deadLetterSources(StoreView view, String deadLetterQueue) {
        List<String> out = new ArrayList<>();
        String after = "";
        while (out.size() < Limits.MAX_DEAD_LETTER_SOURCE_RESULTS) {
            List<QueueRecord> page = view.queues("", after, Limits.MAX_LIST_QUEUES_RESULTS);
            for (QueueRecord q : page) {
                if (q.attributes().redrivePolicy() != null && q.attributes().redrivePolicy().deadLetterQueueName().equals(deadLetterQueue)
                        && out.size() < Limits.MAX_DEAD_LETTER_SOURCE_RESULTS) {
                    out.add(q.name());
                }
            }
            if (page.size() < Limits.MAX_LIST_QUEUES_RESULTS) {
                break;
            }
            after = page.get(page.size() - 1).name();
        }
        return out;
    }

    private static QueryResult list(StoreView view, QueueQuery.ListQueues l) {
        boolean paged = l.maxResults() != null;
        int limit = paged ? Math.min(l.maxResults(), Limits.MAX_LIST_QUEUES_RESULTS) : Limits.MAX_LIST_QUEUES_RESULTS;
        String prefix = l.prefix() == null ? "" : l.prefix();
        String startAfter = l.nextToken() == null ? "" : l.nextToken();
        List<QueueRecord> page = view.queues(prefix, startAfter, limit + 1);
        boolean more = page.size() > limit;
        List<String> urls = new ArrayList<>();
        for (QueueRecord q : page.subList(0, Math.min(limit, page.size()))) {
            urls.add(QueueUrls.of(q.name()));
        }
        String token = paged && more ? page.get(limit - 1).name() : null;
        return new QueueQueryResult.QueueList(urls, token);
    }

    private static SortedMap<String, String> attributes(StoreView view, QueueRecord q, List<String> names, long nowMs, CoreConfig config) {
        SortedMap<String, String> out = new TreeMap<>();
        if (names.isEmpty()) {
            return out;
        }
        boolean all = names.contains(ALL);
        QueueAttributes a = q.attributes();
        put(out, names, all, VISIBILITY_TIMEOUT, () -> String.valueOf(a.visibilityTimeoutSeconds()));
        put(out, names, all, MESSAGE_RETENTION_PERIOD, () -> String.valueOf(a.messageRetentionPeriodSeconds()));
        put(out, names, all, DELAY_SECONDS, () -> String.valueOf(a.delaySeconds()));
        put(out, names, all, RECEIVE_MESSAGE_WAIT_TIME_SECONDS, () -> String.valueOf(a.receiveMessageWaitTimeSeconds()));
        put(out, names, all, MAXIMUM_MESSAGE_SIZE, () -> String.valueOf(a.maximumMessageSizeBytes()));
        put(out, names, all, CREATED_TIMESTAMP, () -> String.valueOf(q.createdMs() / 1000));
        put(out, names, all, LAST_MODIFIED_TIMESTAMP, () -> String.valueOf(q.lastModifiedMs() / 1000));
        put(out, names, all, QUEUE_ARN, () -> QueueUrls.arn(q.name()));
        if (a.isFifo()) {
            put(out, names, all, FIFO_QUEUE, () -> "true");
            put(out, names, all, CONTENT_BASED_DEDUPLICATION, () -> String.valueOf(a.fifo().contentBasedDeduplication()));
            put(out, names, all, DEDUPLICATION_SCOPE, () -> a.fifo().deduplicationScope().awsName());
            put(out, names, all, FIFO_THROUGHPUT_LIMIT, () -> a.fifo().fifoThroughputLimit().awsName());
        }
        if (a.redrivePolicy() != null) {
            put(out, names, all, REDRIVE_POLICY, () -> RedrivePolicies.toJson(a.redrivePolicy()));
        }
        if (!a.redriveAllowPolicy().equals(RedriveAllowPolicy.ALLOW_ALL)) {
            put(out, names, all, REDRIVE_ALLOW_POLICY, () -> RedrivePolicies.toJson(a.redriveAllowPolicy()));
        }
        if (all || names.contains(APPROXIMATE_NUMBER_OF_MESSAGES) || names.contains(APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)
                || names.contains(APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)) {
            QueueQueryResult.Stats s = stats(view, q, nowMs, config);
            put(out, names, all, APPROXIMATE_NUMBER_OF_MESSAGES, () -> String.valueOf(s.visible()));
            put(out, names, all, APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, () -> String.valueOf(s.inFlight()));
            put(out, names, all, APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, () -> String.valueOf(s.delayed()));
        }
        return out;
    }

    private static void put(SortedMap<String, String> out, List<String> names, boolean all, String name,
                            java.util.function.Supplier<String> value) {
        if (all || names.contains(name)) {
            out.put(name, value.get());
        }
    }

    /**
     * Visible = stored - not visible; approximate like SQS (expired-but-unswept messages still count). On FIFO
     * queues the index counts groups, so a locked group counts as one message in flight; a group whose head waits
     * (see FifoGroups) counts as delayed while its send is younger than the queue's delay.
     */
    private static QueueQueryResult.Stats stats(StoreView view, QueueRecord q, long nowMs, CoreConfig config) {
        NotVisibleCounts nv = view.countNotVisible(q.queueId(), nowMs, config.statsScanCap());
        if (q.attributes().isFifo()) {
            long delayed = view.countNotVisible(FifoGroups.waitingSpace(q.queueId()), nowMs - fifoDelayMs(q), config.statsScanCap()).delayed();
            nv = new NotVisibleCounts(nv.delayed() + delayed, nv.inFlight());
        }
        long visible = Math.max(0, q.messageCount() - nv.delayed() - nv.inFlight());
        Optional<MessageRecord> oldest = view.oldestMessages(q.queueId(), 1).stream().findFirst();
        long age = oldest.map(m -> Math.max(0, nowMs - m.sentMs())).orElse(0L);
        boolean receivable = receivable(view, q, nowMs);
        return new QueueQueryResult.Stats(visible, nv.inFlight(), nv.delayed(), age, receivable);
    }

    /** Exact: a parked long poll relies on it. On a FIFO queue, a due group in either index space (see FifoGroups). */
    private static boolean receivable(StoreView view, QueueRecord q, long nowMs) {
        return !view.dueUpTo(q.queueId(), nowMs, 1).isEmpty()
                || (q.attributes().isFifo() && !view.dueUpTo(FifoGroups.waitingSpace(q.queueId()), nowMs - fifoDelayMs(q), 1).isEmpty());
    }

    /** A FIFO queue's delay, which applies to never-received messages at receive time; 0 for standard queues. */
    private static long fifoDelayMs(QueueRecord q) {
        return q.attributes().isFifo() ? q.attributes().delaySeconds() * 1000L : 0;
    }

    private static QueryResult noSuchQueue() {
        return new QueryResult.Error(ErrorCode.NON_EXISTENT_QUEUE, "The specified queue does not exist.");
    }
}

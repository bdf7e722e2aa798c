package io.pontoon.chaos;

import com.google.protobuf.ByteString;
import io.pontoon.api.v1.GetRecordsResponse;
import io.pontoon.api.v1.PutRecordsRequest;
import io.pontoon.api.v1.PutRecordsRequestEntry;
import io.pontoon.api.v1.PutRecordsResponse;
import io.pontoon.api.v1.PutRecordsResultEntry;
import io.pontoon.api.v1.Record;
import io.pontoon.api.v1.Shard;
import io.pontoon.client.PontoonClient;
import io.pontoon.client.PontoonException;
import io.pontoon.client.StreamClient;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Workload W-S: a Kinesis-style stream resharded while the nemesis works.
 *
 * <ul>
 *   <li><b>Producers</b> {@code p<i>} put the unique values {@code p<i>-0, p<i>-1, ...} with PutRecords, a batch at a
 *       time, under the partition keys {@code p<i>-k0 .. p<i>-k<keys-1>} (value {@code n} under key {@code n % keys}).
 *       Op {@code put}: invoke with the values; ok with {@code value|key|shard|seq} for each record the answer
 *       acknowledged; info with the values whose outcome is unknown (a failed entry, or the whole call failed).</li>
 *   <li><b>Readers</b> {@code c<i>} each read the whole stream from TRIM_HORIZON with GetRecords, a shard's children
 *       only after the shard was read to its end (as the KCL does), resuming after the last sequence number read when
 *       an iterator or a node is lost. Op {@code read}: ok with {@code value|shard|seq} per record (an empty ok once per
 *       round that found nothing), info on an error.</li>
 *   <li>The <b>resharder</b> {@code r0} splits, merges or rescales (UpdateShardCount) the stream every few seconds,
 *       between 1 and {@code maxOpenShards} open shards, from a seeded random choice. Op {@code reshard}.</li>
 * </ul>
 *
 * At the end the stream's shards (lineage and sequence ranges) are recorded as op {@code shards}, and
 * {@link StreamChecker} checks the history.
 */
public final class StreamWorkload implements Workload {
    public static final String STREAM = "chaos-ws";

    /**
     * @param batch          records per PutRecords
     * @param keys           partition keys per producer
     * @param reshardEveryMs the resharder's period
     */
    public record Settings(int producers, int readers, int batch, int keys, long producerDelayMs, int initialShards,
                           int maxOpenShards, long reshardEveryMs, long seed) {
        static Settings defaults(long seed) {
            return new Settings(3, 2, 5, 3, 5, 2, 4, 3000, seed);
        }
    }

    private final History history;
    private final PontoonClient client;
    private final StreamClient streams;
    private final Settings settings;
    private final String partition;
    private final List<String> groups;
    private final Consumer<String> log;
    private final List<Thread> producers = new ArrayList<>();
    private final List<Reader> readers = new ArrayList<>();
    private final List<Thread> readerThreads = new ArrayList<>();
    private volatile boolean producing = true;
    private volatile boolean consuming = true;
    /** Last time a reader got a record or an error (System.nanoTime). */
    private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());

    /** Creates the workload's stream (retrying until the cluster serves it) and the workload on it. */
    static StreamWorkload open(Cluster cluster, History history, Settings settings, Consumer<String> log) {
        cluster.awaitStream(STREAM, settings.initialShards(), Duration.ofSeconds(90));
        String partition = cluster.streamPartitionOf(STREAM);
        log.accept("cluster ready; stream " + STREAM + " with " + settings.initialShards() + " shards, the first on partition "
                + partition + ", leader " + cluster.leaderOf(partition).orElse("unknown"));
        return new StreamWorkload(history, cluster.clientAddresses(), partition, cluster.groups(), settings, log);
    }

    StreamWorkload(History history, List<String> bootstrap, String partition, List<String> groups, Settings settings, Consumer<String> log) {
        this.history = history;
        this.partition = partition;
        this.groups = groups;
        this.settings = settings;
        this.log = log;
        this.client = PontoonClient.builder().bootstrap(bootstrap)
                .connectTimeoutMs(1000).requestTimeoutMs(3000).maxAttempts(4)
                .backoffBaseMs(50).backoffMaxMs(500).routingRefreshIntervalMs(5000).build();
        this.streams = client.streams();
    }

    @Override
    public String partition() {
        return partition;
    }

    /** Resharding places shards on every partition: all groups are compared. */
    @Override
    public List<String> checkedPartitions() {
        return groups;
    }

    @Override
    public void start() {
        for (int i = 0; i < settings.producers(); i++) {
            int proc = i;
            producers.add(Thread.ofPlatform().name("chaos-stream-producer-" + i).start(() -> produce(proc)));
        }
        producers.add(Thread.ofPlatform().name("chaos-resharder").start(this::reshard));
        for (int i = 0; i < settings.readers(); i++) {
            Reader r = new Reader("c" + i);
            readers.add(r);
            readerThreads.add(Thread.ofPlatform().name("chaos-stream-reader-" + i).start(r::run));
        }
    }

    // ------------------------------------------------------------------ producers

    private void produce(int proc) {
        String process = "p" + proc;
        for (long counter = 0; producing; counter += settings.batch()) {
            PutRecordsRequest.Builder req = PutRecordsRequest.newBuilder().setStreamName(STREAM);
            List<String> values = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (long n = counter; n < counter + settings.batch(); n++) {
                String value = process + "-" + n;
                String key = process + "-k" + (n % settings.keys());
                values.add(value);
                keys.add(key);
                req.addRecords(PutRecordsRequestEntry.newBuilder().setPartitionKey(key).setData(ByteString.copyFromUtf8(value)));
            }
            put(process, req.build(), values, keys);
            if (settings.producerDelayMs() > 0) Workload.pause(settings.producerDelayMs());
        }
    }

    private void put(String process, PutRecordsRequest req, List<String> values, List<String> keys) {
        history.add(process, Op.INVOKE, "put", values);
        PutRecordsResponse r;
        try {
            r = streams.putRecords(req);
        } catch (RuntimeException e) {
            PontoonException p = PontoonException.from(e);
            history.add(process, p.isSenderFault() ? Op.FAIL : Op.INFO, "put", values, describe(p));
            return;
        }
        List<String> acked = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        String error = null;
        for (int i = 0; i < values.size(); i++) {
            PutRecordsResultEntry e = r.getRecords(i);
            if (e.getErrorCode().isEmpty()) {
                acked.add(String.join("|", values.get(i), keys.get(i), e.getShardId(), e.getSequenceNumber()));
            } else {
                unknown.add(values.get(i));
                error = e.getErrorCode() + " " + e.getErrorMessage();
            }
        }
        if (!acked.isEmpty()) history.add(process, Op.OK, "put", acked);
        // A failed entry may still have been written (its attempt timed out after the shard appended it).
        if (!unknown.isEmpty()) history.add(process, Op.INFO, "put", unknown, error);
    }

    // ------------------------------------------------------------------ resharder

    private void reshard() {
        Random random = new Random(settings.seed());
        while (producing) {
            Workload.pause(settings.reshardEveryMs());
            if (!producing) return;
            List<Shard> open;
            try {
                open = streams.listShards(STREAM).stream().filter(s -> s.getSequenceNumberRange().getEndingSequenceNumber().isEmpty())
                        .sorted(Comparator.comparing(s -> new BigInteger(s.getHashKeyRange().getStartingHashKey()))).toList();
            } catch (RuntimeException e) {
                continue;
            }
            String step = nextStep(open, random);
            history.add("r0", Op.INVOKE, "reshard", step);
            try {
                apply(step);
                history.add("r0", Op.OK, "reshard", step);
            } catch (RuntimeException e) {
                PontoonException p = PontoonException.from(e);
                history.add("r0", p.isSenderFault() ? Op.FAIL : Op.INFO, "reshard", step, describe(p));
            }
        }
    }

    /** {@code split SHARD KEY}, {@code merge SHARD ADJACENT} or {@code scale COUNT}: scale a quarter of the time, else split or merge evenly, within 1..maxOpenShards. */
    private String nextStep(List<Shard> open, Random random) {
        int n = open.size();
        int choice = random.nextInt(4);
        int lo = (n + 1) / 2;
        int hi = Math.min(2 * n, settings.maxOpenShards());
        if (choice == 0 && hi > lo) {
            int target = lo + random.nextInt(hi - lo);
            return "scale " + (target >= n ? target + 1 : target); // any count in lo..hi but n
        }
        boolean split = n == 1 || (n < settings.maxOpenShards() && choice <= 2);
        if (split) {
            Shard s = open.get(random.nextInt(n));
            BigInteger start = new BigInteger(s.getHashKeyRange().getStartingHashKey());
            BigInteger end = new BigInteger(s.getHashKeyRange().getEndingHashKey());
            return "split " + s.getShardId() + " " + start.add(end).add(BigInteger.ONE).shiftRight(1);
        }
        int i = random.nextInt(n - 1);
        return "merge " + open.get(i).getShardId() + " " + open.get(i + 1).getShardId();
    }

    private void apply(String step) {
        String[] p = step.split(" ");
        switch (p[0]) {
            case "split" -> streams.splitShard(STREAM, p[1], p[2]);
            case "merge" -> streams.mergeShards(STREAM, p[1], p[2]);
            case "scale" -> streams.updateShardCount(STREAM, Integer.parseInt(p[1]));
            default -> throw new IllegalArgumentException(step);
        }
    }

    // ------------------------------------------------------------------ readers

    /** One reader: the whole stream, parents before children, each shard in sequence order. */
    private final class Reader {
        final String process;
        final Map<String, String> lastSeq = new HashMap<>();
        final Map<String, String> iterators = new HashMap<>();
        final Set<String> finished = new HashSet<>();
        List<Shard> shards = List.of();
        long listedAtNanos;
        /** Consecutive rounds that found every readable shard at its tip. */
        final AtomicLong atTipRounds = new AtomicLong();

        Reader(String process) {
            this.process = process;
        }

        void run() {
            while (consuming) {
                boolean atTip;
                try {
                    atTip = round();
                } catch (RuntimeException e) {
                    history.add(process, Op.INFO, "read", null, describe(PontoonException.from(e)));
                    lastActivity.set(System.nanoTime());
                    atTip = false;
                }
                if (atTip) {
                    atTipRounds.incrementAndGet();
                } else {
                    atTipRounds.set(0);
                }
            }
        }

        /** One pass over every readable shard; true if none had anything left to read. */
        boolean round() {
            if (System.nanoTime() - listedAtNanos > TimeUnit.SECONDS.toNanos(1)) {
                shards = streams.listShards(STREAM);
                listedAtNanos = System.nanoTime();
            }
            boolean atTip = true;
            boolean failed = false;
            List<String> got = new ArrayList<>();
            for (Shard s : shards) {
                String id = s.getShardId();
                if (finished.contains(id)) continue;
                if (!done(s.getParentShardId()) || !done(s.getAdjacentParentShardId())) {
                    atTip = false;
                    continue;
                }
                try {
                    GetRecordsResponse r = streams.getRecords(STREAM, id, iterator(id), 1000);
                    for (Record rec : r.getRecordsList()) {
                        got.add(String.join("|", rec.getData().toString(StandardCharsets.UTF_8), id, rec.getSequenceNumber()));
                        lastSeq.put(id, rec.getSequenceNumber());
                    }
                    if (r.getNextShardIterator().isEmpty()) {
                        finished.add(id);
                        iterators.remove(id);
                        listedAtNanos = 0; // its children are next
                        atTip = false;
                    } else {
                        iterators.put(id, r.getNextShardIterator());
                        atTip &= r.getRecordsCount() == 0 && r.getMillisBehindLatest() == 0;
                    }
                } catch (RuntimeException e) {
                    iterators.remove(id); // resume after the last record read
                    history.add(process, Op.INFO, "read", null, id + ": " + describe(PontoonException.from(e)));
                    atTip = false;
                    failed = true;
                    Workload.pause(100);
                }
            }
            if (!got.isEmpty() || failed) lastActivity.set(System.nanoTime());
            if (!got.isEmpty() || !failed) history.add(process, Op.OK, "read", got);
            if (got.isEmpty()) Workload.pause(100); // nothing new: poll again shortly (as a KCL worker's idle time)
            return atTip;
        }

        private boolean done(String parent) {
            return parent.isEmpty() || finished.contains(parent) || shards.stream().noneMatch(s -> s.getShardId().equals(parent));
        }

        private String iterator(String shard) {
            String it = iterators.get(shard);
            if (it != null) return it;
            String after = lastSeq.get(shard);
            return after == null ? streams.shardIterator(STREAM, shard, "TRIM_HORIZON", null)
                    : streams.shardIterator(STREAM, shard, "AFTER_SEQUENCE_NUMBER", after);
        }
    }

    // ------------------------------------------------------------------ phases

    /** Stops the producers and the resharder and waits for their last operations (bounded by client deadlines). */
    @Override
    public void stopProducers() throws InterruptedException {
        producing = false;
        Workload.joinAll(producers, log);
    }

    /** Done once every reader has had {@code emptyPolls} rounds in a row at the tip of every shard, and {@code quiet} passed without a record or an error. */
    @Override
    public boolean drain(int emptyPolls, Duration quiet, Duration deadline) {
        long start = System.nanoTime();
        lastActivity.set(start);
        long end = start + deadline.toNanos();
        while (System.nanoTime() < end) {
            boolean atTip = readers.stream().allMatch(r -> r.atTipRounds.get() >= emptyPolls);
            if (atTip && System.nanoTime() - lastActivity.get() >= quiet.toNanos()) {
                log.accept("drain complete after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
                return true;
            }
            Workload.pause(200);
        }
        log.accept("DRAIN INCOMPLETE after " + deadline + ": rounds at the tip " + readers.stream().map(r -> r.process + "=" + r.atTipRounds.get()).toList());
        return false;
    }

    /** Stops the readers, then records the stream's final shards (lineage and sequence ranges) for the checker. */
    @Override
    public void stopConsumers() throws InterruptedException {
        consuming = false;
        Workload.joinAll(readerThreads, log);
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                history.add("checker", Op.OK, "shards", streams.listShards(STREAM).stream().map(StreamWorkload::describe).toList());
                return;
            } catch (RuntimeException e) {
                Workload.pause(500);
            }
        }
        log.accept("WARNING: could not list the stream's shards at the end");
    }

    /** {@code shard|parent|adjacentParent|startingSeq|endingSeq} (empty fields for none). */
    static String describe(Shard s) {
        return String.join("|", s.getShardId(), s.getParentShardId(), s.getAdjacentParentShardId(),
                s.getSequenceNumberRange().getStartingSequenceNumber(), s.getSequenceNumberRange().getEndingSequenceNumber());
    }

    @Override
    public Findings check(List<Op> history, long clockBoundMs) {
        return StreamChecker.check(history);
    }

    @Override
    public void close() {
        producing = false;
        consuming = false;
        client.close();
    }

    private static String describe(PontoonException e) {
        return e.statusCode() + " " + (e.awsCode() == null ? "" : e.awsCode() + " ") + e.getMessage();
    }

}

package io.pontoon.client.bench;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import io.pontoon.api.v1.CreateStreamRequest;
import io.pontoon.api.v1.PutRecordsRequest;
import io.pontoon.api.v1.PutRecordsRequestEntry;
import io.pontoon.api.v1.PutRecordsResponse;
import io.pontoon.api.v1.PutRecordsResultEntry;
import io.pontoon.api.v1.Record;
import io.pontoon.api.v1.Shard;
import io.pontoon.api.v1.StartingPosition;
import io.pontoon.api.v1.SubscribeToShardEvent;
import io.pontoon.api.v1.SubscribeToShardRequest;
import io.pontoon.client.PontoonClient;
import io.pontoon.client.PontoonException;
import io.pontoon.client.StreamClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Load generator for Pontoon's Kinesis API: append throughput and put-to-subscriber latency.
 *
 * <p>Each producer thread owns one shard (producer i writes shard i mod shards) and sends blocking {@code PutRecords}
 * batches whose partition keys all hash into that shard, so a batch goes straight to the leader of the shard's
 * partition, as a Kinesis Producer Library batch per shard would. With {@code --subscribe} one enhanced fan-out
 * subscription per shard measures the time from the put's start to the record's push (the record's first 8 bytes are
 * the send time on this JVM's {@code System.nanoTime}). Records that fail are counted by error code, not retried.
 *
 * <p>Exit code: 0 on success, 1 if any record failed, 2 on bad options or setup failure.
 */
@Command(name = "StreamLoadTool", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Puts records into a Pontoon stream and measures throughput and put-to-subscriber latency.")
public final class StreamLoadTool implements Callable<Integer> {
    private static final int MAX_BATCH_RECORDS = 500;
    private static final int MAX_BATCH_BYTES = 5 << 20;
    private static final int MAX_RECORD_BYTES = 1 << 20;
    private static final int SEND_TIME_BYTES = Long.BYTES;
    /** The longest partition key {@link #keysFor} makes ("k" and a decimal long), counted by the server with the data. */
    private static final int MAX_KEY_BYTES = 20;
    /** How many candidate keys {@link #keysFor} tries before it gives up on a shard too narrow to find 64 in. */
    private static final long MAX_KEY_CANDIDATES = 50_000_000L;

    @Option(names = "--endpoint", description = "bootstrap client endpoint, repeatable (default 127.0.0.1:7001)")
    List<String> endpoints = new ArrayList<>();
    @Option(names = "--stream", description = "stream name; created if missing (default ${DEFAULT-VALUE})")
    String stream = "pontoon-bench-stream";
    @Option(names = "--shards", description = "shards of a stream this tool creates (default ${DEFAULT-VALUE})")
    int shards = 4;
    @Option(names = "--shard-limits", description = "create the stream with the per-shard limits on (1 MiB/s, 1,000 records/s); default off")
    boolean shardLimits;
    @Option(names = "--producers", description = "producer threads, each with one PutRecords in flight (default ${DEFAULT-VALUE})")
    int producers = 1;
    @Option(names = "--batch", description = "records per PutRecords, 1..500 (default ${DEFAULT-VALUE})")
    int batch = 100;
    @Option(names = "--size", description = "record data bytes, 8..1048556 (default ${DEFAULT-VALUE})")
    int size = 1024;
    @Option(names = "--rate", description = "target records/s over all producers, 0 = unlimited (default ${DEFAULT-VALUE})")
    int rate;
    @Option(names = "--subscribe", description = "one enhanced fan-out subscription per shard; measures put-to-push latency")
    boolean subscribe;
    @Option(names = "--warmup", description = "seconds run but not measured (default ${DEFAULT-VALUE})")
    int warmupS = 5;
    @Option(names = "--duration", description = "measured seconds (default ${DEFAULT-VALUE})")
    int durationS = 30;
    @Option(names = "--json", description = "also write the summary as JSON to this file")
    Path json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static final long RESUBSCRIBE_DELAY_MS = 200;
    private final java.util.concurrent.ScheduledExecutorService resubscribes = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "resubscribe");
        t.setDaemon(true);
        return t;
    });
    private final PrintStream out;
    private final Stats live = new Stats();
    private final Stats measured = new Stats();
    private volatile boolean measuring;
    private volatile boolean stopping;

    StreamLoadTool(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new StreamLoadTool(System.out)).execute(args));
    }

    /** Counters and latency histograms (nanoseconds). */
    static final class Stats {
        final LongAdder putRecords = new LongAdder();
        final LongAdder putBytes = new LongAdder();
        final LongAdder putRequests = new LongAdder();
        final LongAdder pushedRecords = new LongAdder();
        final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        final Latencies putLatency = new Latencies();
        final Latencies pushLatency = new Latencies();

        void error(String code, long n) {
            errors.computeIfAbsent(code == null || code.isEmpty() ? "Unknown" : code, k -> new LongAdder()).add(n);
        }

        long failedRecords() {
            return errors.values().stream().mapToLong(LongAdder::sum).sum();
        }
    }

    @Override
    public Integer call() throws Exception {
        validate();
        try (PontoonClient client = PontoonClient.builder().bootstrap(endpoints.isEmpty() ? List.of("127.0.0.1:7001") : endpoints).build()) {
            StreamClient streams = client.streams();
            List<Shard> openShards = prepare(streams);
            List<Thread> threads = new ArrayList<>();
            if (subscribe) {
                startSubscriptions(streams, openShards);
            }
            for (int p = 0; p < producers; p++) {
                Shard shard = openShards.get(p % openShards.size());
                Thread t = new Thread(new Producer(streams, keysFor(shard), p), "producer-" + p);
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
            long measuredNanos = runPhases();
            stopping = true;
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
            Summary summary = new Summary(this, measured, measuredNanos / 1e9);
            out.print(summary.text());
            if (json != null) {
                Files.writeString(json, summary.json());
                Map<String, Latencies> series = new java.util.LinkedHashMap<>();
                series.put("PutRecords", measured.putLatency);
                series.put("put to subscriber", measured.pushLatency);
                Files.writeString(LoadTool.latencyPlotFile(json), LatencyPlot.svg(String.format(java.util.Locale.ROOT,
                        "stream %s: %d shards, %d producers, %.0f s measured", stream, shards, producers, measuredNanos / 1e9), series));
            }
            return measured.failedRecords() > 0 ? 1 : 0;
        }
    }

    private void validate() {
        require(shards >= 1 && shards <= 1000, "--shards must be 1..1000");
        require(producers >= 1 && producers <= 1024, "--producers must be 1..1024");
        require(batch >= 1 && batch <= MAX_BATCH_RECORDS, "--batch must be 1..500");
        require(size >= SEND_TIME_BYTES && size + MAX_KEY_BYTES <= MAX_RECORD_BYTES,
                "--size must be 8.." + (MAX_RECORD_BYTES - MAX_KEY_BYTES) + " (a record's data and partition key are at most 1 MiB)");
        require((long) batch * (size + MAX_KEY_BYTES) <= MAX_BATCH_BYTES,
                "--batch x (--size + " + MAX_KEY_BYTES + " key bytes) must be at most 5 MiB (a PutRecords request's limit)");
        require(rate >= 0 && warmupS >= 0 && durationS >= 1, "--rate and --warmup must be >= 0, --duration >= 1");
    }

    private void require(boolean ok, String message) {
        if (!ok) {
            throw new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }

    /** Creates the stream if missing and waits until it is ACTIVE; answers its open shards. */
    private List<Shard> prepare(StreamClient streams) throws InterruptedException {
        try {
            streams.createStream(CreateStreamRequest.newBuilder().setStreamName(stream).setShardCount(shards)
                    .setEnforceShardLimits(shardLimits).build());
            out.printf("created stream %s with %d shards (shard limits %s)%n", stream, shards, shardLimits ? "on" : "off");
        } catch (PontoonException e) {
            if (!"ResourceInUseException".equals(e.awsCode())) {
                throw e;
            }
            out.printf("using existing stream %s%n", stream);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!"ACTIVE".equals(streams.describeStreamSummary(stream).getStreamStatus())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("stream " + stream + " did not become ACTIVE within 60 s");
            }
            Thread.sleep(100);
        }
        return streams.listShards(stream).stream().filter(s -> s.getSequenceNumberRange().getEndingSequenceNumber().isEmpty()).toList();
    }

    /** 64 partition keys whose hash keys fall into {@code shard}'s range, so that a batch of them is one shard's. */
    static List<String> keysFor(Shard shard) {
        java.math.BigInteger lo = new java.math.BigInteger(shard.getHashKeyRange().getStartingHashKey());
        java.math.BigInteger hi = new java.math.BigInteger(shard.getHashKeyRange().getEndingHashKey());
        List<String> keys = new ArrayList<>();
        for (long i = 0; keys.size() < 64; i++) {
            if (i == MAX_KEY_CANDIDATES) {
                throw new IllegalStateException("shard " + shard.getShardId() + " is too narrow to find 64 partition keys in; use a stream with fewer shards");
            }
            String key = "k" + i;
            java.math.BigInteger h = StreamClient.hashOf(key);
            if (h.compareTo(lo) >= 0 && h.compareTo(hi) <= 0) {
                keys.add(key);
            }
        }
        return keys;
    }

    /** Warm-up, then the measured window; prints a line a second. Answers the measured window's length. */
    private long runPhases() {
        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.SECONDS.toNanos(warmupS);
        long end = measureFrom + TimeUnit.SECONDS.toNanos(durationS);
        long lastRecords = 0;
        for (long tick = start + TimeUnit.SECONDS.toNanos(1); ; tick += TimeUnit.SECONDS.toNanos(1)) {
            if (!measuring && System.nanoTime() >= measureFrom) {
                measuring = true;
            }
            LockSupport.parkNanos(Math.max(0, Math.min(tick, end) - System.nanoTime()));
            long records = live.putRecords.sum();
            out.printf(Locale.ROOT, "[%3ds] put %,d records/s (%.1f MB/s), pushed %,d, failed %,d%s%n", (System.nanoTime() - start) / 1_000_000_000L,
                    records - lastRecords, (records - lastRecords) * (double) size / 1e6, live.pushedRecords.sum(), live.failedRecords(),
                    measuring ? "" : " (warm-up)");
            lastRecords = records;
            if (System.nanoTime() >= end) {
                measuring = false;
                return end - measureFrom;
            }
        }
    }

    /** Sends one shard's batches back to back, paced by --rate when set. */
    private final class Producer implements Runnable {
        private final StreamClient streams;
        private final List<String> keys;
        private final byte[] filler;
        private final long nanosPerBatch;

        Producer(StreamClient streams, List<String> keys, int index) {
            this.streams = streams;
            this.keys = keys;
            this.filler = new byte[size - SEND_TIME_BYTES];
            java.util.Arrays.fill(filler, (byte) ('a' + index % 26));
            this.nanosPerBatch = rate == 0 ? 0 : (long) (1e9 * batch * producers / rate);
        }

        @Override
        public void run() {
            long next = System.nanoTime();
            int n = 0;
            while (!stopping) {
                if (nanosPerBatch > 0) {
                    LockSupport.parkNanos(next - System.nanoTime());
                    next += nanosPerBatch;
                }
                long sentAt = System.nanoTime();
                PutRecordsRequest.Builder req = PutRecordsRequest.newBuilder().setStreamName(stream);
                for (int i = 0; i < batch; i++, n++) {
                    ByteString data = ByteString.copyFrom(ByteBuffer.allocate(SEND_TIME_BYTES).putLong(0, sentAt)).concat(ByteString.copyFrom(filler));
                    req.addRecords(PutRecordsRequestEntry.newBuilder().setPartitionKey(keys.get(n % keys.size())).setData(data));
                }
                put(req.build(), sentAt);
            }
        }

        private void put(PutRecordsRequest req, long sentAt) {
            boolean m = measuring;
            try {
                PutRecordsResponse r = streams.putRecords(req);
                long latency = System.nanoTime() - sentAt;
                int failed = 0;
                for (PutRecordsResultEntry e : r.getRecordsList()) {
                    if (!e.getErrorCode().isEmpty()) {
                        failed++;
                        count(e.getErrorCode(), 1, m);
                    }
                }
                int ok = req.getRecordsCount() - failed;
                for (Stats s : m ? List.of(live, measured) : List.of(live)) {
                    s.putRecords.add(ok);
                    s.putBytes.add((long) ok * size);
                    s.putRequests.increment();
                    s.putLatency.record(latency);
                }
            } catch (PontoonException e) {
                count(e.awsCode(), req.getRecordsCount(), m);
            }
        }

        private void count(String code, long n, boolean m) {
            live.error(code, n);
            if (m) {
                measured.error(code, n);
            }
        }
    }

    /** One enhanced fan-out subscription per shard from LATEST, resubscribed from its continuation number when it ends. */
    private void startSubscriptions(StreamClient streams, List<Shard> openShards) {
        String arn = streams.describeStreamSummary(stream).getStreamArn();
        String consumerArn;
        try {
            consumerArn = streams.registerConsumer(arn, "stream-load-tool").getConsumerArn();
        } catch (PontoonException e) {
            if (!"ResourceInUseException".equals(e.awsCode())) {
                throw e;
            }
            consumerArn = arn + "/consumer/stream-load-tool";
        }
        for (Shard shard : openShards) {
            subscribe(streams, consumerArn, shard.getShardId(), StartingPosition.newBuilder().setType("LATEST").build());
        }
    }

    private void subscribe(StreamClient streams, String consumerArn, String shardId, StartingPosition from) {
        SubscribeToShardRequest req = SubscribeToShardRequest.newBuilder().setConsumerArn(consumerArn).setShardId(shardId).setStartingPosition(from).build();
        streams.subscribeToShard(stream, req, new StreamObserver<>() {
            private String continuation = from.getSequenceNumber();

            @Override
            public void onNext(SubscribeToShardEvent event) {
                long now = System.nanoTime();
                boolean m = measuring;
                for (Record r : event.getRecordsList()) {
                    long sentAt = r.getData().asReadOnlyByteBuffer().getLong(0);
                    live.pushedRecords.increment();
                    live.pushLatency.record(now - sentAt);
                    if (m) {
                        measured.pushedRecords.increment();
                        measured.pushLatency.record(now - sentAt);
                    }
                }
                if (!event.getContinuationSequenceNumber().isEmpty()) {
                    continuation = event.getContinuationSequenceNumber();
                }
            }

            @Override
            public void onError(Throwable t) {
                resubscribe();
            }

            @Override
            public void onCompleted() {
                resubscribe();
            }

            /** After a pause, so that a refusal that lasts (a takeover window, an ended shard) is not retried in a spin. */
            private void resubscribe() {
                if (stopping) {
                    return;
                }
                StartingPosition next = continuation.isEmpty() ? StartingPosition.newBuilder().setType("LATEST").build()
                        : StartingPosition.newBuilder().setType("AFTER_SEQUENCE_NUMBER").setSequenceNumber(continuation).build();
                resubscribes.schedule(() -> subscribe(streams, consumerArn, shardId, next), RESUBSCRIBE_DELAY_MS, TimeUnit.MILLISECONDS);
            }
        });
    }

    /** The measured window's figures, as text and JSON. */
    record Summary(StreamLoadTool o, Stats s, double seconds) {
        double recordsPerS() {
            return s.putRecords.sum() / seconds;
        }

        double megabytesPerS() {
            return s.putBytes.sum() / 1e6 / seconds;
        }

        String text() {
            return String.format(Locale.ROOT, """
                    ==== summary (%d producers, %d-record batches of %d B, %s, %.1f s measured) ====
                    put:    %,d records (%,.0f records/s, %.1f MB/s), %,d requests, %,d failed records %s
                    put latency per PutRecords (ms): p50 %.2f  p90 %.2f  p99 %.2f  max %.2f
                    push:   %,d records; put-to-push latency (ms): p50 %.2f  p90 %.2f  p99 %.2f  max %.2f
                    """, o.producers, o.batch, o.size, o.rate == 0 ? "unpaced" : o.rate + " records/s", seconds,
                    s.putRecords.sum(), recordsPerS(), megabytesPerS(), s.putRequests.sum(), s.failedRecords(), s.errors,
                    ms(s.putLatency, 50), ms(s.putLatency, 90), ms(s.putLatency, 99), s.putLatency.count() == 0 ? 0 : s.putLatency.max() / 1e6,
                    s.pushedRecords.sum(), ms(s.pushLatency, 50), ms(s.pushLatency, 90), ms(s.pushLatency, 99),
                    s.pushLatency.count() == 0 ? 0 : s.pushLatency.max() / 1e6);
        }

        String json() {
            return String.format(Locale.ROOT, """
                    {"stream": %s, "producers": %d, "batch": %d, "size": %d, "rate": %d, "seconds": %.3f,
                     "put": {"records": %d, "records_per_s": %.1f, "mb_per_s": %.3f, "requests": %d, "failed_records": %d,
                             "latency_ms": {"p50": %.3f, "p90": %.3f, "p99": %.3f}},
                     "push": {"records": %d, "latency_ms": {"p50": %.3f, "p90": %.3f, "p99": %.3f}}}
                    """, JsonText.quote(o.stream), o.producers, o.batch, o.size, o.rate, seconds, s.putRecords.sum(), recordsPerS(), megabytesPerS(),
                    s.putRequests.sum(), s.failedRecords(), ms(s.putLatency, 50), ms(s.putLatency, 90), ms(s.putLatency, 99),
                    s.pushedRecords.sum(), ms(s.pushLatency, 50), ms(s.pushLatency, 90), ms(s.pushLatency, 99));
        }

        private static double ms(Latencies h, double p) {
            return h.percentile(p) / 1e6;
        }
    }
}

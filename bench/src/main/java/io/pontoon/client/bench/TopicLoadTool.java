package io.pontoon.client.bench;

import com.sun.net.httpserver.HttpServer;
import io.pontoon.api.v1.DeleteMessageBatchRequest;
import io.pontoon.api.v1.DeleteMessageBatchRequestEntry;
import io.pontoon.api.v1.Message;
import io.pontoon.api.v1.PublishBatchRequest;
import io.pontoon.api.v1.PublishBatchRequestEntry;
import io.pontoon.api.v1.PublishBatchResponse;
import io.pontoon.api.v1.PublishRequest;
import io.pontoon.api.v1.ReceiveMessageRequest;
import io.pontoon.api.v1.SubscribeRequest;
import io.pontoon.client.PontoonClient;
import io.pontoon.client.PontoonException;
import io.pontoon.client.TopicClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load generator for Pontoon's SNS API: publish throughput, fan-out deliveries per second, publish latency and
 * publish-to-delivery latency, with {@code --queues} queue subscribers (raw delivery, drained by {@code --consumers}
 * threads each) and optionally one HTTP subscriber served by this tool on loopback ({@code --http}). A message's
 * body starts with its send time on this JVM's {@code System.nanoTime}, so delivery latency is measured on one clock.
 *
 * <p>Exit code: 0 on success, 1 if any publish failed, 2 on bad options or setup failure.
 */
@Command(name = "TopicLoadTool", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Publishes to a Pontoon topic and measures publish throughput, fan-out deliveries and latencies.")
public final class TopicLoadTool implements Callable<Integer> {
    private static final Pattern TOKEN = Pattern.compile("\"Token\":\"([0-9a-f]+)\"");

    @Option(names = "--endpoint", description = "bootstrap client endpoint, repeatable (default 127.0.0.1:7001)")
    List<String> endpoints = new ArrayList<>();
    @Option(names = "--topic", description = "topic name; created if missing (default ${DEFAULT-VALUE})")
    String topic = "pontoon-bench-topic";
    @Option(names = "--queues", description = "queue subscribers (raw delivery), 0..100 (default ${DEFAULT-VALUE})")
    int queues = 1;
    @Option(names = "--consumers", description = "receiving threads per queue; 0: nothing is received and deliveries are counted "
            + "by the queues' growth (default ${DEFAULT-VALUE})")
    int consumers = 4;
    @Option(names = "--http", description = "add an HTTP subscriber served by this tool on 127.0.0.1")
    boolean http;
    @Option(names = "--publishers", description = "publishing threads, one call in flight each (default ${DEFAULT-VALUE})")
    int publishers = 4;
    @Option(names = "--batch", description = "messages per call: 1 = Publish, 2..10 = PublishBatch (default ${DEFAULT-VALUE})")
    int batch = 1;
    @Option(names = "--size", description = "message bytes, 24..262144 (default ${DEFAULT-VALUE})")
    int size = 1024;
    @Option(names = "--rate", description = "target messages/s over all publishers, 0 = unlimited (default ${DEFAULT-VALUE})")
    int rate;
    @Option(names = "--warmup", description = "seconds run but not measured (default ${DEFAULT-VALUE})")
    int warmupS = 5;
    @Option(names = "--duration", description = "measured seconds (default ${DEFAULT-VALUE})")
    int durationS = 30;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final PrintStream out;
    private final Stats live = new Stats();
    private final Stats measured = new Stats();
    private volatile boolean measuring;
    private volatile boolean stopping;

    TopicLoadTool(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new TopicLoadTool(System.out)).execute(args));
    }

    static final class Stats {
        final LongAdder published = new LongAdder();
        final LongAdder calls = new LongAdder();
        final LongAdder queueDeliveries = new LongAdder();
        final LongAdder httpDeliveries = new LongAdder();
        final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        final Latencies publishLatency = new Latencies();
        final Latencies queueLatency = new Latencies();
        final Latencies httpLatency = new Latencies();

        void reset() {
            published.reset();
            calls.reset();
            queueDeliveries.reset();
            httpDeliveries.reset();
            errors.clear();
            publishLatency.reset();
            queueLatency.reset();
            httpLatency.reset();
        }
    }

    @Override
    public Integer call() throws Exception {
        require(queues >= 0 && queues <= 100, "--queues must be 0..100 (0 and no --http: publish only, to a topic without subscribers)");
        require(consumers >= 0 && publishers >= 1 && publishers <= 1024, "--consumers must be >= 0 and --publishers >= 1");
        require(batch >= 1 && batch <= 10 && (long) batch * size <= 262_144, "--batch must be 1..10 and --batch x --size at most 256 KiB");
        require(size >= 24 && size <= 262_144 && rate >= 0 && warmupS >= 0 && durationS >= 1, "bad --size, --rate, --warmup or --duration");
        try (PontoonClient client = PontoonClient.builder().bootstrap(endpoints.isEmpty() ? List.of("127.0.0.1:7001") : endpoints).build()) {
            TopicClient topics = client.topics();
            String arn = topics.createTopic(topic);
            List<Thread> threads = new ArrayList<>();
            List<String> urls = new ArrayList<>();
            for (int q = 0; q < queues; q++) {
                String name = topic + "-q" + q;
                String url = client.createQueue(name);
                urls.add(url);
                topics.subscribeQueue(arn, name, Map.of("RawMessageDelivery", "true"));
                for (int c = 0; c < consumers; c++) {
                    threads.add(start("consumer-" + q + "-" + c, () -> consume(client, url)));
                }
            }
            HttpServer server = http ? httpSubscriber(topics, arn) : null;
            for (int p = 0; p < publishers; p++) {
                threads.add(start("publisher-" + p, () -> publish(topics, arn)));
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmupS));
            measured.reset();
            long depthBefore = consumers == 0 ? depth(client, urls) : 0;
            measuring = true;
            long start = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(durationS));
            measuring = false;
            double seconds = (System.nanoTime() - start) / 1e9;
            if (consumers == 0) {
                measured.queueDeliveries.add(depth(client, urls) - depthBefore);
            }
            stopping = true;
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
            if (server != null) {
                server.stop(0);
            }
            report(seconds);
            return measured.errors.isEmpty() ? 0 : 1;
        }
    }

    /** Messages in the queues now (ApproximateNumberOfMessages, summed). */
    private static long depth(PontoonClient client, List<String> urls) {
        long n = 0;
        for (String url : urls) {
            n += Long.parseLong(client.getQueueAttributes(url, "ApproximateNumberOfMessages").get("ApproximateNumberOfMessages"));
        }
        return n;
    }

    private void report(double seconds) {
        Stats s = measured;
        int subscribers = queues + (http ? 1 : 0);
        out.printf(Locale.ROOT, "topic %s: %d queue subscriber(s)%s, %d publisher(s), batch %d, %d-byte messages, %.0f s measured%n",
                topic, queues, http ? " + 1 HTTP" : "", publishers, batch, size, seconds);
        out.printf(Locale.ROOT, "published      %10.0f msg/s   (%d messages, %d calls)%n", s.published.sum() / seconds, s.published.sum(), s.calls.sum());
        out.printf(Locale.ROOT, "delivered      %10.0f msg/s   (queues %d, http %d; %d subscriber(s))%n",
                (s.queueDeliveries.sum() + s.httpDeliveries.sum()) / seconds, s.queueDeliveries.sum(), s.httpDeliveries.sum(), subscribers);
        out.printf(Locale.ROOT, "publish call   p50 %7.2f ms  p99 %7.2f ms%n", ms(s.publishLatency, 50), ms(s.publishLatency, 99));
        if (queues > 0) {
            out.printf(Locale.ROOT, "to queue recv  p50 %7.2f ms  p99 %7.2f ms%n", ms(s.queueLatency, 50), ms(s.queueLatency, 99));
        }
        if (http) {
            out.printf(Locale.ROOT, "to http POST   p50 %7.2f ms  p99 %7.2f ms%n", ms(s.httpLatency, 50), ms(s.httpLatency, 99));
        }
        s.errors.forEach((code, n) -> out.printf("errors %s: %d%n", code, n.sum()));
    }

    private static double ms(Latencies h, double p) {
        return h.count() == 0 ? 0 : h.percentile(p) / 1e6;
    }

    private Stats stats() {
        return measuring ? measured : live;
    }

    private void publish(TopicClient topics, String arn) {
        long perCallNanos = rate == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) * batch * publishers / rate;
        long next = System.nanoTime();
        String pad = "x".repeat(size - 20);
        while (!stopping) {
            if (perCallNanos > 0) {
                LockSupport.parkNanos(next - System.nanoTime());
                next += perCallNanos;
            }
            long t0 = System.nanoTime();
            try {
                if (batch == 1) {
                    topics.publish(PublishRequest.newBuilder().setTopicArn(arn).setMessage(body(t0, pad)).build());
                } else {
                    PublishBatchRequest.Builder b = PublishBatchRequest.newBuilder().setTopicArn(arn);
                    for (int i = 0; i < batch; i++) {
                        b.addPublishBatchRequestEntries(PublishBatchRequestEntry.newBuilder().setId("e" + i).setMessage(body(t0, pad)));
                    }
                    PublishBatchResponse r = topics.publishBatch(b.build());
                    r.getFailedList().forEach(f -> stats().errors.computeIfAbsent(f.getCode(), k -> new LongAdder()).increment());
                }
                Stats s = stats();
                s.publishLatency.record(System.nanoTime() - t0);
                s.calls.increment();
                s.published.add(batch);
            } catch (PontoonException e) {
                stats().errors.computeIfAbsent(e.awsCode(), k -> new LongAdder()).add(batch);
            }
        }
    }

    private static String body(long sendNanos, String pad) {
        return String.format(Locale.ROOT, "%019d|", sendNanos) + pad;
    }

    private static long sentAt(String body) {
        return Long.parseLong(body.substring(0, 19));
    }

    private void consume(PontoonClient client, String url) {
        while (!stopping) {
            try {
                List<Message> got = client.receiveMessage(ReceiveMessageRequest.newBuilder().setQueueUrl(url).setMaxNumberOfMessages(10)
                        .setWaitTimeSeconds(1).build()).getMessagesList();
                if (got.isEmpty()) {
                    continue;
                }
                long now = System.nanoTime();
                Stats s = stats();
                DeleteMessageBatchRequest.Builder d = DeleteMessageBatchRequest.newBuilder().setQueueUrl(url);
                for (int i = 0; i < got.size(); i++) {
                    s.queueLatency.record(now - sentAt(got.get(i).getBody()));
                    d.addEntries(DeleteMessageBatchRequestEntry.newBuilder().setId("d" + i).setReceiptHandle(got.get(i).getReceiptHandle()));
                }
                s.queueDeliveries.add(got.size());
                client.deleteMessageBatch(d.build());
            } catch (PontoonException e) {
                stats().errors.computeIfAbsent("consumer:" + e.awsCode(), k -> new LongAdder()).increment();
            }
        }
    }

    /** An HTTP endpoint on loopback, subscribed raw and confirmed with the token it is sent. */
    private HttpServer httpSubscriber(TopicClient topics, String arn) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "http-subscriber");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if ("SubscriptionConfirmation".equals(x.getRequestHeaders().getFirst("x-amz-sns-message-type"))) {
                Matcher m = TOKEN.matcher(body);
                if (m.find()) {
                    String token = m.group(1);
                    Thread.ofVirtual().start(() -> topics.confirmSubscription(arn, token));
                }
            } else {
                Stats s = stats();
                s.httpLatency.record(System.nanoTime() - sentAt(body));
                s.httpDeliveries.increment();
            }
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        server.start();
        topics.subscribe(SubscribeRequest.newBuilder().setTopicArn(arn).setProtocol("http")
                .setEndpoint("http://127.0.0.1:" + server.getAddress().getPort() + "/").putAttributes("RawMessageDelivery", "true").build());
        return server;
    }

    private static Thread start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void require(boolean ok, String message) {
        if (!ok) {
            throw new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }
}

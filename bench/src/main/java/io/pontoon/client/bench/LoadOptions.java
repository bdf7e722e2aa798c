package io.pontoon.client.bench;

import io.pontoon.api.QueueUrls;
import io.pontoon.client.ClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Command-line options of {@link LoadTool}. {@link #parse} validates everything and applies the
 * mode's defaults; it throws {@link IllegalArgumentException} with a message naming the option.
 *
 * <p>{@code queue} is the full name (it ends in {@code .fifo} iff {@code fifo}); {@code groups} is the
 * number of FIFO message groups, 0 for a standard queue.
 */
public record LoadOptions(
        List<String> endpoints,
        List<String> awsEndpoints,
        String queue,
        int queues,
        boolean fifo,
        int groups,
        int producers,
        int consumers,
        int size,
        int batch,
        int inFlight,
        int durationSeconds,
        int warmupSeconds,
        int rate,
        Mode mode,
        int waitTimeSeconds,
        String jsonFile,
        String tlsCa,
        boolean help) {

    public enum Mode {
        /** Producers only. */
        SEND,
        /** Producers plus consumers that receive and delete (end to end). */
        SEND_RECEIVE,
        /** One producer, one SendMessage at a time, paced by --rate: per-send latency. */
        LATENCY;

        static Mode parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "send" -> SEND;
                case "send-receive", "send_receive", "sendreceive", "e2e" -> SEND_RECEIVE;
                case "latency" -> LATENCY;
                default -> throw new IllegalArgumentException("--mode must be send, send-receive or latency, got '" + s + "'");
            };
        }

        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public static final int MAX_BATCH = 10;
    public static final int MAX_SIZE = 256 * 1024;
    public static final int DEFAULT_LATENCY_RATE = 100;
    public static final int MAX_GROUPS = 10_000;
    public static final String FIFO_SUFFIX = ".fifo";

    /**
     * The command line as picocli reads it: every value as given (numbers as text, so that {@link #intIn} can
     * accept {@code 10_000} and name the option and its range when refusing one); {@link #parse} validates.
     */
    @Command(name = "LoadTool", sortOptions = false, usageHelpWidth = 110,
            description = "Queue load: producers (SendMessageBatch) and consumers (ReceiveMessage + DeleteMessageBatch) against a Pontoon cluster.")
    static final class Args {
        @Option(names = "--endpoint", split = ",", paramLabel = "HOST:PORT",
                description = "bootstrap client endpoint, repeatable (default 127.0.0.1:7001)")
        List<String> endpoints = new ArrayList<>();
        @Option(names = "--queue", paramLabel = "NAME", description = "queue name, created if missing (default pontoon-bench)")
        String queue = "pontoon-bench";
        @Option(names = "--queues", paramLabel = "N", description = "spread over N queues NAME-0..NAME-(N-1) (default 1)")
        String queues;
        @Option(names = "--fifo", arity = "0..1", paramLabel = "BOOL", description = "FIFO queue(s) (FifoQueue=true); \".fifo\" is "
                + "appended to NAME if missing. A --queue ending in .fifo implies --fifo")
        String fifo;
        @Option(names = "--groups", paramLabel = "N", description = "FIFO only: message groups, 1..10000 (default 1). Message n of producer p "
                + "goes to group (n + p x batch) mod N; every message has a unique MessageDeduplicationId. N > 1 creates the queue with "
                + "DeduplicationScope=messageGroup, FifoThroughputLimit=perMessageGroupId. A producer never has two requests in flight "
                + "for the same group")
        String groups;
        @Option(names = "--producers", paramLabel = "N", description = "producer workers (default 1)")
        String producers;
        @Option(names = "--consumers", paramLabel = "M", description = "consumer workers (default 0 in send mode, = producers in send-receive)")
        String consumers;
        @Option(names = "--size", paramLabel = "BYTES", description = "message body size (default 1024)")
        String size;
        @Option(names = "--batch", paramLabel = "K", description = "entries per SendMessageBatch, 1..10 (default 10)")
        String batch;
        @Option(names = {"--in-flight", "--inflight"}, paramLabel = "W", description = "max outstanding requests per producer (default 8)")
        String inFlight;
        @Option(names = "--duration", paramLabel = "S", description = "measured seconds, after warm-up (default 30)")
        String duration;
        @Option(names = "--warmup", paramLabel = "S", description = "seconds run but not measured (default 5)")
        String warmup;
        @Option(names = "--rate", paramLabel = "R", description = "target total msgs/s over all producers; 0 = unlimited (default 0; 100 in latency mode)")
        String rate;
        @Option(names = "--mode", paramLabel = "MODE", description = "send | send-receive | latency (default send). latency = 1 producer, "
                + "1 in flight, SendMessage one message at a time, paced by --rate")
        String mode;
        @Option(names = "--wait-time", paramLabel = "S", description = "consumers' ReceiveMessage long-poll wait, 0..20 (default 1)")
        String waitTime;
        @Option(names = "--aws-endpoint", split = ",", paramLabel = "URL", description = "send, receive and delete with the AWS SDK for "
                + "Java v2 through a node's HTTP gateway (http://127.0.0.1:7301), repeatable; producers and consumers are spread over "
                + "them. Setup stays on --endpoint (gRPC). Standard queues")
        List<String> awsEndpoints = new ArrayList<>();
        @Option(names = "--json", paramLabel = "FILE", description = "also write the final summary as JSON to FILE")
        String json;
        @Option(names = "--tls-ca", paramLabel = "FILE", description = "connect over TLS, trusting the CA certificate(s) in FILE "
                + "(a cluster with tls.enabled; scripts/local-cluster start --tls writes run/tls/ca.pem)")
        String tlsCa;
        @Option(names = {"--help", "-h"}, usageHelp = true, description = "this text")
        boolean help;
    }

    /** The usage text, generated from {@link Args}. */
    public static String usage() {
        return new CommandLine(new Args()).getUsageMessage();
    }

    /** Parses {@code args}; both {@code --key value} and {@code --key=value} are accepted. */
    public static LoadOptions parse(String... args) {
        Args a = new Args();
        CommandLine cl = new CommandLine(a);
        try {
            cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        List<String> endpoints = new ArrayList<>();
        for (String e : a.endpoints) {
            String t = e.trim();
            try {
                ClientConfig.validateEndpoint(t);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("--endpoint: " + ex.getMessage());
            }
            endpoints.add(t);
        }
        List<String> awsEndpoints = new ArrayList<>();
        for (String e : a.awsEndpoints) {
            if (!e.trim().matches("https?://[^/]+/?")) {
                throw new IllegalArgumentException("--aws-endpoint: '" + e.trim() + "' is not http(s)://host:port");
            }
            awsEndpoints.add(e.trim());
        }
        String queue = a.queue;
        boolean fifoFlag;
        if (a.fifo == null || a.fifo.isEmpty() || a.fifo.equalsIgnoreCase("true")) {
            fifoFlag = a.fifo != null;
        } else if (a.fifo.equalsIgnoreCase("false")) {
            fifoFlag = false;
        } else {
            throw new IllegalArgumentException("--fifo takes no value (or =true / =false), got '" + a.fifo + "'");
        }
        Integer queues = a.queues == null ? null : intIn("queues", a.queues, 1, 10_000);
        Integer groups = a.groups == null ? null : intIn("groups", a.groups, 1, MAX_GROUPS);
        Integer producers = a.producers == null ? null : intIn("producers", a.producers, 0, 10_000);
        Integer consumers = a.consumers == null ? null : intIn("consumers", a.consumers, 0, 10_000);
        int size = a.size == null ? 1024 : intIn("size", a.size, 1, MAX_SIZE);
        Integer batch = a.batch == null ? null : intIn("batch", a.batch, 1, MAX_BATCH);
        Integer inFlight = a.inFlight == null ? null : intIn("in-flight", a.inFlight, 1, 100_000);
        int duration = a.duration == null ? 30 : intIn("duration", a.duration, 1, 86_400);
        int warmup = a.warmup == null ? 5 : intIn("warmup", a.warmup, 0, 86_400);
        Integer rate = a.rate == null ? null : intIn("rate", a.rate, 0, Integer.MAX_VALUE);
        Mode mode = a.mode == null ? Mode.SEND : Mode.parse(a.mode);
        int waitTime = a.waitTime == null ? 1 : intIn("wait-time", a.waitTime, 0, 20);
        if (a.json != null && a.json.isBlank()) {
            throw new IllegalArgumentException("--json needs a file name");
        }
        String json = a.json;
        boolean help = cl.isUsageHelpRequested();
        if (endpoints.isEmpty()) endpoints.add("127.0.0.1:7001");
        int nQueues = queues == null ? 1 : queues;
        boolean fifo = fifoFlag || queue.endsWith(FIFO_SUFFIX);
        if (fifo && !queue.endsWith(FIFO_SUFFIX)) queue = queue + FIFO_SUFFIX;
        if (fifo && !awsEndpoints.isEmpty()) {
            throw new IllegalArgumentException("--aws-endpoint drives standard queues only");
        }
        if (!fifo && groups != null) {
            throw new IllegalArgumentException("--groups needs a FIFO queue (--fifo, or a --queue ending in .fifo)");
        }
        int nGroups = fifo ? (groups == null ? 1 : groups) : 0;
        String longestName = namesOf(queue, fifo, nQueues).get(nQueues - 1);
        if (!QueueUrls.isValidName(longestName)) {
            throw new IllegalArgumentException("--queue: invalid queue name '" + longestName
                    + "' (1-80 chars of [A-Za-z0-9_-], FIFO names end in .fifo)");
        }

        if (mode == Mode.LATENCY) {
            if (producers != null && producers != 1) throw new IllegalArgumentException("--mode latency uses exactly 1 producer");
            if (batch != null && batch != 1) throw new IllegalArgumentException("--mode latency sends one message at a time (--batch 1)");
            if (inFlight != null && inFlight != 1) throw new IllegalArgumentException("--mode latency keeps 1 request in flight");
            producers = 1;
            batch = 1;
            inFlight = 1;
            if (rate == null) rate = DEFAULT_LATENCY_RATE;
            if (rate == 0) throw new IllegalArgumentException("--mode latency needs a --rate > 0");
            if (consumers == null) consumers = 0;
        }
        if (producers == null) producers = 1;
        if (consumers == null) consumers = mode == Mode.SEND_RECEIVE ? Math.max(1, producers) : 0;
        if (mode == Mode.SEND && consumers > 0) {
            throw new IllegalArgumentException("--mode send runs no consumers; use --mode send-receive with --consumers");
        }
        if (mode == Mode.SEND_RECEIVE && consumers == 0) {
            throw new IllegalArgumentException("--mode send-receive needs --consumers >= 1");
        }
        if (producers == 0 && consumers == 0) throw new IllegalArgumentException("nothing to do: 0 producers and 0 consumers");
        if (batch == null) batch = MAX_BATCH;
        if (inFlight == null) inFlight = 8;
        if (rate == null) rate = 0;
        if ((long) size * batch > 1024 * 1024) {
            throw new IllegalArgumentException("--size x --batch exceeds the 1 MiB batch limit");
        }
        return new LoadOptions(List.copyOf(endpoints), List.copyOf(awsEndpoints), queue, nQueues, fifo, nGroups, producers, consumers, size, batch,
                inFlight, duration, warmup, rate, mode, waitTime, json, a.tlsCa, help);
    }

    /**
     * The queue names used: {@code queue} alone, or {@code queue-0 .. queue-(N-1)}; for FIFO queues the
     * index goes before the suffix ({@code q-0.fifo}).
     */
    public List<String> queueNames() {
        return namesOf(queue, fifo, queues);
    }

    /** How the queue names read in the report: the name, or {@code N x q-N(.fifo)}. */
    public String queueNamesDescription() {
        return queues == 1 ? queue : queues + "x" + stem(queue, fifo) + "-N" + (fifo ? FIFO_SUFFIX : "");
    }

    /** "standard", or "fifo, N group(s)": for report headers. */
    public String queueTypeDescription() {
        return fifo ? "fifo, " + groups + (groups == 1 ? " group" : " groups") : "standard";
    }

    /**
     * CreateQueue attributes: none for a standard queue; FifoQueue=true for FIFO, plus (with more than one
     * group) AWS's high-throughput settings, DeduplicationScope=messageGroup and
     * FifoThroughputLimit=perMessageGroupId. Deduplication ids are explicit, so ContentBasedDeduplication
     * stays off.
     */
    public Map<String, String> queueAttributes() {
        if (!fifo) return Map.of();
        Map<String, String> a = new LinkedHashMap<>();
        a.put("FifoQueue", "true");
        if (groups > 1) {
            a.put("DeduplicationScope", "messageGroup");
            a.put("FifoThroughputLimit", "perMessageGroupId");
        }
        return a;
    }

    private static List<String> namesOf(String queue, boolean fifo, int queues) {
        if (queues == 1) return List.of(queue);
        String stem = stem(queue, fifo);
        String suffix = fifo ? FIFO_SUFFIX : "";
        List<String> names = new ArrayList<>(queues);
        for (int i = 0; i < queues; i++) names.add(stem + "-" + i + suffix);
        return names;
    }

    private static String stem(String queue, boolean fifo) {
        return fifo ? queue.substring(0, queue.length() - FIFO_SUFFIX.length()) : queue;
    }

    private static int intIn(String key, String value, int min, int max) {
        long v;
        try {
            v = Long.parseLong(value.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be an integer, got '" + value + "'");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException("--" + key + " must be in " + min + ".." + max + ", got " + v);
        }
        return (int) v;
    }
}

package io.pontoon.client.bench;

import io.pontoon.api.QueueUrls;
import io.pontoon.client.ClientConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Command-line options of {@link LoadTool}. {@link #parse} validates everything and applies the
 * mode's defaults; it throws {@link IllegalArgumentException} with a message naming the option.
 */
public record LoadOptions(
        List<String> endpoints,
        String queue,
        int queues,
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

    public static final String USAGE = """
            Usage: LoadTool [options]
              --endpoint HOST:PORT   bootstrap client endpoint, repeatable (default 127.0.0.1:7001)
              --queue NAME           queue name, created if missing (default pontoon-bench)
              --queues N             spread over N queues NAME-0..NAME-(N-1) (default 1)
              --producers N          producer workers (default 1)
              --consumers M          consumer workers (default 0 in send mode, = producers in send-receive)
              --size BYTES           message body size (default 1024)
              --batch K              entries per SendMessageBatch, 1..10 (default 10)
              --in-flight W          max outstanding requests per producer (default 8)
              --duration S           measured seconds, after warm-up (default 30)
              --warmup S             seconds run but not measured (default 5)
              --rate R               target total msgs/s over all producers; 0 = unlimited (default 0;
                                     100 in latency mode)
              --mode MODE            send | send-receive | latency (default send). latency = 1 producer,
                                     1 in flight, SendMessage one message at a time, paced by --rate
              --wait-time S          consumers' ReceiveMessage long-poll wait, 0..20 (default 1)
              --json FILE            also write the final summary as JSON to FILE
              --help                 this text
            """;

    /** Parses {@code args}; both {@code --key value} and {@code --key=value} are accepted. */
    public static LoadOptions parse(String... args) {
        List<String> endpoints = new ArrayList<>();
        String queue = "pontoon-bench";
        Integer queues = null, producers = null, consumers = null, batch = null, inFlight = null, rate = null;
        int size = 1024, duration = 30, warmup = 5, waitTime = 1;
        Mode mode = Mode.SEND;
        String json = null;
        boolean help = false;

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            String key = arg.substring(2);
            String value = null;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            }
            if (key.equals("help") || key.equals("h")) {
                help = true;
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length) throw new IllegalArgumentException("--" + key + " needs a value");
                value = args[++i];
            }
            switch (key) {
                case "endpoint" -> {
                    for (String e : value.split(",")) {
                        String t = e.trim();
                        try {
                            ClientConfig.validateEndpoint(t);
                        } catch (IllegalArgumentException ex) {
                            throw new IllegalArgumentException("--endpoint: " + ex.getMessage());
                        }
                        endpoints.add(t);
                    }
                }
                case "queue" -> queue = value;
                case "queues" -> queues = intIn(key, value, 1, 10_000);
                case "producers" -> producers = intIn(key, value, 0, 10_000);
                case "consumers" -> consumers = intIn(key, value, 0, 10_000);
                case "size" -> size = intIn(key, value, 1, MAX_SIZE);
                case "batch" -> batch = intIn(key, value, 1, MAX_BATCH);
                case "in-flight", "inflight" -> inFlight = intIn(key, value, 1, 100_000);
                case "duration" -> duration = intIn(key, value, 1, 86_400);
                case "warmup" -> warmup = intIn(key, value, 0, 86_400);
                case "rate" -> rate = intIn(key, value, 0, Integer.MAX_VALUE);
                case "mode" -> mode = Mode.parse(value);
                case "wait-time" -> waitTime = intIn(key, value, 0, 20);
                case "json" -> {
                    if (value.isBlank()) throw new IllegalArgumentException("--json needs a file name");
                    json = value;
                }
                default -> throw new IllegalArgumentException("unknown option --" + key);
            }
        }
        if (endpoints.isEmpty()) endpoints.add("127.0.0.1:7001");
        int nQueues = queues == null ? 1 : queues;
        String baseName = nQueues == 1 ? queue : queue + "-" + (nQueues - 1);
        if (!QueueUrls.isValidName(baseName)) {
            throw new IllegalArgumentException("--queue: invalid queue name '" + baseName
                    + "' (1-80 chars of [A-Za-z0-9_-], FIFO queues are not supported by the load tool)");
        }
        if (queue.endsWith(".fifo")) {
            throw new IllegalArgumentException("--queue: FIFO queues are not supported by the load tool");
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
        return new LoadOptions(List.copyOf(endpoints), queue, nQueues, producers, consumers, size, batch, inFlight,
                duration, warmup, rate, mode, waitTime, json, help);
    }

    /** The queue names used: {@code queue} alone, or {@code queue-0 .. queue-(N-1)}. */
    public List<String> queueNames() {
        if (queues == 1) return List.of(queue);
        List<String> names = new ArrayList<>(queues);
        for (int i = 0; i < queues; i++) names.add(queue + "-" + i);
        return names;
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

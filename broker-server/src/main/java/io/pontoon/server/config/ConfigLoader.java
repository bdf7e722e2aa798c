package io.pontoon.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Builds a {@link NodeConfig} from, in increasing precedence: defaults, a properties file, environment
 * variables ({@code PONTOON_NODE_ID} for {@code node.id}) and {@code --key=value} flags.
 */
public final class ConfigLoader {
    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("metrics.port", "0"),
            Map.entry("raft.listen.port", "0"),
            Map.entry("raft.election.timeout.min.ms", "1000"),
            Map.entry("raft.election.timeout.max.ms", "2000"),
            Map.entry("raft.request.timeout.ms", "3000"),
            Map.entry("raft.snapshot.threshold.entries", "100000"),
            Map.entry("raft.log.segment.bytes", String.valueOf(4L << 20)),
            Map.entry("raft.log.cache.bytes", String.valueOf(4L << 20)),
            Map.entry("raft.log.purge.gap", "1024"),
            Map.entry("raft.log.purge.upto.snapshot", "false"),
            Map.entry("tick.interval.ms", "1000"),
            Map.entry("group.commit.max.commands", "256"),
            Map.entry("group.commit.max.bytes", String.valueOf(2 << 20)),
            Map.entry("group.commit.max.in.flight", "4"),
            Map.entry("group.commit.max.queued.bytes", String.valueOf(8L << 20)),
            Map.entry("node.request.buffer.bytes", String.valueOf(32L << 20)),
            Map.entry("node.response.buffer.bytes", String.valueOf(32L << 20)),
            Map.entry("rocksdb.block.cache.bytes", String.valueOf(256L << 20)),
            Map.entry("rocksdb.write.buffer.bytes", String.valueOf(128L << 20)),
            Map.entry("queue.max.in.flight", "120000"),
            Map.entry("queue.recreate.delay.ms", "60000"),
            Map.entry("long.poll.recheck.ms", "1000"),
            Map.entry("clock.offset.ms", "0"),
            Map.entry("test.clock.offset.file", ""),
            Map.entry("fifo.high.throughput.partitions", "0"),
            Map.entry("sns.signing.key.file", ""),
            Map.entry("sns.signing.cert.file", ""),
            Map.entry("test.seeded.bug", "none"),
            Map.entry("aws.region", io.pontoon.api.AwsIdentity.DEFAULT.region()),
            Map.entry("aws.account.id", io.pontoon.api.AwsIdentity.DEFAULT.accountId()),
            Map.entry("gateway.port", "0"),
            Map.entry("gateway.advertised.url", ""),
            Map.entry("gateway.max.request.bytes", String.valueOf(io.pontoon.gateway.GatewayConfig.MAX_REQUEST_BYTES_LIMIT)),
            Map.entry("gateway.request.buffer.bytes", String.valueOf(64L << 20)),
            Map.entry("gateway.max.connections", "1000"),
            Map.entry("gateway.idle.timeout.ms", "60000"),
            Map.entry("gateway.call.timeout.ms", "30000"),
            Map.entry("auth.mode", "none"),
            Map.entry("auth.keys.file", ""),
            Map.entry("tls.enabled", "false"),
            Map.entry("tls.cert.file", ""),
            Map.entry("tls.key.file", ""),
            Map.entry("tls.ca.file", ""),
            Map.entry("tls.reload.interval.ms", "60000"),
            Map.entry("audit.max.file.bytes", String.valueOf(10L << 20)),
            Map.entry("audit.max.files", "5"));

    private ConfigLoader() {
    }

    /** Loads {@code --config=FILE} (if given) plus environment and flag overrides. */
    public static NodeConfig load(String[] args, Map<String, String> env) throws IOException {
        Properties p = new Properties();
        DEFAULTS.forEach(p::setProperty);
        String file = flag(args, "config");
        if (file != null) {
            try (Reader r = Files.newBufferedReader(Path.of(file))) {
                p.load(r);
            }
        }
        for (String key : List.copyOf(p.stringPropertyNames())) {
            String v = env.get(envName(key));
            if (v != null) {
                p.setProperty(key, v);
            }
        }
        for (String key : List.of("node.id", "data.dir", "peers", "partitions")) {
            String v = env.get(envName(key));
            if (v != null) {
                p.setProperty(key, v);
            }
        }
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=") && !arg.startsWith("--config=")) {
                p.setProperty(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
        }
        return fromProperties(p);
    }

    /** Keys without a default: the node cannot start without the first three. */
    private static final java.util.Set<String> REQUIRED_OR_DERIVED = java.util.Set.of("node.id", "data.dir", "peers", "partitions");

    /** Builds the config from {@code given}; keys it lacks take their defaults, unknown keys are refused (typos). */
    public static NodeConfig fromProperties(Properties given) {
        for (String key : given.stringPropertyNames()) {
            if (!DEFAULTS.containsKey(key) && !REQUIRED_OR_DERIVED.contains(key)) {
                throw new ConfigException(key + ": unknown setting (see docs/configuration.md)");
            }
        }
        Properties p = new Properties();
        DEFAULTS.forEach(p::setProperty);
        given.stringPropertyNames().forEach(k -> p.setProperty(k, given.getProperty(k)));
        List<NodeConfig.Member> members = parseMembers(required(p, "peers"));
        int partitions = p.getProperty("partitions") == null ? 3 * members.size() : intValue(p, "partitions");
        return new NodeConfig(
                required(p, "node.id"),
                Path.of(required(p, "data.dir")),
                members,
                partitions,
                intValue(p, "metrics.port"),
                intValue(p, "raft.listen.port"),
                intValue(p, "raft.election.timeout.min.ms"),
                intValue(p, "raft.election.timeout.max.ms"),
                intValue(p, "raft.request.timeout.ms"),
                longValue(p, "raft.snapshot.threshold.entries"),
                longValue(p, "raft.log.segment.bytes"),
                longValue(p, "raft.log.cache.bytes"),
                intValue(p, "raft.log.purge.gap"),
                booleanValue(p, "raft.log.purge.upto.snapshot"),
                intValue(p, "tick.interval.ms"),
                intValue(p, "group.commit.max.commands"),
                intValue(p, "group.commit.max.bytes"),
                intValue(p, "group.commit.max.in.flight"),
                longValue(p, "group.commit.max.queued.bytes"),
                longValue(p, "node.request.buffer.bytes"),
                longValue(p, "node.response.buffer.bytes"),
                longValue(p, "rocksdb.block.cache.bytes"),
                longValue(p, "rocksdb.write.buffer.bytes"),
                intValue(p, "queue.max.in.flight"),
                longValue(p, "queue.recreate.delay.ms"),
                intValue(p, "long.poll.recheck.ms"),
                longValue(p, "clock.offset.ms"),
                optionalPath(p, "test.clock.offset.file"),
                intValue(p, "fifo.high.throughput.partitions"),
                optionalPath(p, "sns.signing.key.file"),
                optionalPath(p, "sns.signing.cert.file"),
                SeededBug.parse(required(p, "test.seeded.bug")),
                identity(p),
                gateway(p, members),
                tls(p),
                accessKeys(p),
                new AuditConfig(longValue(p, "audit.max.file.bytes"), intValue(p, "audit.max.files")));
    }

    /** TLS settings when {@code tls.enabled=true}; the files are read (and checked) when the node starts. */
    private static java.util.Optional<TlsConfig> tls(Properties p) {
        if (!booleanValue(p, "tls.enabled")) {
            for (String key : List.of("tls.cert.file", "tls.key.file", "tls.ca.file")) {
                if (!p.getProperty(key).isEmpty()) {
                    throw new ConfigException(key + ": set, but tls.enabled is false; set tls.enabled=true to use TLS");
                }
            }
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new TlsConfig(optionalPath(p, "tls.cert.file").orElse(null), optionalPath(p, "tls.key.file").orElse(null),
                optionalPath(p, "tls.ca.file").orElse(null), longValue(p, "tls.reload.interval.ms")));
    }

    /**
     * The access keys requests must be signed with: none for {@code auth.mode=none}; for {@code sigv4}, the
     * {@code ACCESS_KEY_ID=SECRET} lines of {@code auth.keys.file} (a file of its own, so that its permissions can
     * differ from the config's).
     */
    static Map<String, String> accessKeys(Properties p) {
        String mode = p.getProperty("auth.mode");
        String file = p.getProperty("auth.keys.file");
        switch (mode) {
            case "none" -> {
                if (!file.isEmpty()) {
                    throw new ConfigException("auth.keys.file: set, but auth.mode is none; set auth.mode=sigv4 to require signatures");
                }
                return Map.of();
            }
            case "sigv4" -> {
                if (file.isEmpty()) {
                    throw new ConfigException("auth.keys.file: auth.mode=sigv4 needs a file of ACCESS_KEY_ID=SECRET lines");
                }
                Properties keys = new Properties();
                try (Reader r = Files.newBufferedReader(Path.of(file))) {
                    keys.load(r);
                } catch (IOException e) {
                    throw new ConfigException("auth.keys.file: cannot read " + file + ": " + e.getMessage());
                }
                if (keys.isEmpty()) {
                    throw new ConfigException("auth.keys.file: " + file + " holds no access key");
                }
                Map<String, String> out = new java.util.HashMap<>();
                keys.stringPropertyNames().forEach(id -> out.put(id, keys.getProperty(id)));
                return out;
            }
            default -> throw new ConfigException("auth.mode: must be none or sigv4, not '" + mode + "'");
        }
    }

    private static io.pontoon.api.AwsIdentity identity(Properties p) {
        try {
            return new io.pontoon.api.AwsIdentity(p.getProperty("aws.region"), p.getProperty("aws.account.id"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** The gateway's settings, or empty when {@code gateway.port} is 0 (off); it listens on this node's host. */
    private static java.util.Optional<io.pontoon.gateway.GatewayConfig> gateway(Properties p, List<NodeConfig.Member> members) {
        Map<String, String> keys = accessKeys(p); // checked even while the gateway is off: a wrong auth setting is never silent
        int port = intValue(p, "gateway.port");
        if (port == 0) {
            return java.util.Optional.empty();
        }
        String host = members.stream().filter(m -> m.nodeId().equals(p.getProperty("node.id"))).map(NodeConfig.Member::host)
                .findFirst().orElse("127.0.0.1");
        String advertised = p.getProperty("gateway.advertised.url");
        try {
            return java.util.Optional.of(new io.pontoon.gateway.GatewayConfig(host, port,
                    advertised.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(advertised),
                    intValue(p, "gateway.max.request.bytes"), longValue(p, "gateway.request.buffer.bytes"),
                    intValue(p, "gateway.max.connections"), longValue(p, "gateway.idle.timeout.ms"), longValue(p, "gateway.call.timeout.ms"),
                    keys));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** {@code n1@127.0.0.1:7101:7001,n2@...}: id @ host : raft port : client port. */
    static List<NodeConfig.Member> parseMembers(String spec) {
        List<NodeConfig.Member> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String s = part.trim();
            int at = s.indexOf('@');
            String[] hostPorts = at < 0 ? new String[0] : s.substring(at + 1).split(":");
            if (at <= 0 || hostPorts.length != 3) {
                throw new ConfigException("peers: '" + s + "' is not id@host:raftPort:clientPort");
            }
            try {
                out.add(new NodeConfig.Member(s.substring(0, at), hostPorts[0], Integer.parseInt(hostPorts[1]), Integer.parseInt(hostPorts[2])));
            } catch (NumberFormatException e) {
                throw new ConfigException("peers: '" + s + "' has a non-numeric port");
            }
        }
        return out;
    }

    private static String flag(String[] args, String name) {
        for (String a : args) {
            if (a.startsWith("--" + name + "=")) {
                return a.substring(name.length() + 3);
            }
        }
        return null;
    }

    static String envName(String key) {
        return "PONTOON_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new ConfigException(key + ": is required");
        }
        return v.trim();
    }

    private static boolean booleanValue(Properties p, String key) {
        String v = required(p, key);
        if (!v.equals("true") && !v.equals("false")) {
            throw new ConfigException(key + ": '" + v + "' is not true or false");
        }
        return Boolean.parseBoolean(v);
    }

    private static int intValue(Properties p, String key) {
        long v = longValue(p, key);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new ConfigException(key + ": " + v + " is out of range");
        }
        return (int) v;
    }

    private static long longValue(Properties p, String key) {
        String v = required(p, key);
        try {
            return Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": '" + v + "' is not a number");
        }
    }

    /** Empty = absent. */
    private static java.util.Optional<Path> optionalPath(Properties p, String key) {
        String v = p.getProperty(key, "").trim();
        return v.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(Path.of(v));
    }
}

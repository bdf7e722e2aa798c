package io.pontoon.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One real 3-node cluster (3 partitions) shared by the test classes that only add queues of their own and never stop
 * a node: starting a cluster costs seconds, and the suite must stay fast. Started on first use, closed when the
 * test JVM exits; tests must use queue names of their own. Classes that kill, wipe or reconfigure nodes start
 * their own {@link TestCluster}.
 */
public final class SharedCluster {
    static final int PARTITIONS = 3;
    /** Deleted queue names are blocked this briefly here, so tests can re-create a name (AWS: 60 s). */
    static final long RECREATE_DELAY_MS = 500;
    private static TestCluster cluster;

    private SharedCluster() {
    }

    public static synchronized TestCluster get() {
        if (cluster == null) {
            try {
                Path dir = Files.createTempDirectory("pontoon-shared-cluster");
                cluster = new TestCluster(dir, 3, PARTITIONS, Map.of("queue.recreate.delay.ms", String.valueOf(RECREATE_DELAY_MS)));
                cluster.awaitLeaders(PARTITIONS, 30_000);
                TestCluster started = cluster;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    started.close();
                    TestCluster.deleteRecursively(dir);
                }, "shared-cluster-stop"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!cluster.fatalErrors.isEmpty()) {
            throw new AssertionError("the shared cluster had fatal apply errors: " + cluster.fatalErrors);
        }
        return cluster;
    }
}

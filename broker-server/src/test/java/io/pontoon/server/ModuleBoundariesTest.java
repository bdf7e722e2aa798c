package io.pontoon.server;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The dependency rules of DESIGN.md, checked on the compiled classes of every module: only the Raft adapter
 * touches Ratis, only the storage adapter touches RocksDB, and the core depends on nothing but the JDK.
 * (client-java's boundary needs no rule: its pom depends on grpc-api alone, so it cannot compile otherwise.)
 * Two rules keep apply a pure function of the log: the core reads no clock, randomness or environment, and a
 * node cannot hand its own settings to the state machines (anything node-specific travels inside a command).
 */
class ModuleBoundariesTest {
    private static JavaClasses pontoon;

    @BeforeAll
    static void importClasses() {
        pontoon = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.pontoon");
    }

    @Test
    void onlyTheRaftAdapterImportsRatis() {
        noClasses().that().resideOutsideOfPackage("io.pontoon.raft..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.ratis..")
                .check(pontoon);
    }

    @Test
    void onlyTheStorageAdapterImportsRocksDb() {
        noClasses().that().resideOutsideOfPackage("io.pontoon.storage.rocksdb..")
                .should().dependOnClassesThat().resideInAPackage("org.rocksdb..")
                .check(pontoon);
    }

    @Test
    void theCoreDependsOnlyOnTheJdk() {
        noClasses().that().resideInAPackage("io.pontoon.core..")
                .should().dependOnClassesThat().resideOutsideOfPackages("io.pontoon.core..", "java..")
                .check(pontoon);
    }

    @Test
    void theCoreReadsNoClockRandomnessOrEnvironment() {
        noClasses().that().resideInAPackage("io.pontoon.core..")
                .should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(System.class, "getenv", String.class)
                .orShould().callMethod(System.class, "getenv")
                .orShould().callMethod(System.class, "getProperty", String.class)
                .orShould().callMethod(System.class, "getProperty", String.class, String.class)
                .orShould().callMethod(java.util.UUID.class, "randomUUID")
                .orShould().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(java.lang.Math.class, "random")
                .orShould().dependOnClassesThat().belongToAnyOf(java.util.Random.class, java.util.concurrent.ThreadLocalRandom.class,
                        java.security.SecureRandom.class, java.time.Clock.class)
                .check(pontoon);
    }

    /**
     * A node's own settings never reach apply: broker-server may only use the core's default tunables, so replicas
     * with different node configurations still compute the same state. (A setting such as the in-flight limit is
     * stamped into the command by the node that proposes it.)
     */
    @Test
    void nodesRunTheStateMachinesWithTheCoresDefaultsOnly() {
        noClasses().that().resideInAPackage("io.pontoon.server..")
                .should().callConstructor(io.pontoon.core.CoreConfig.class, int.class, int.class, long.class)
                .orShould().callMethod(io.pontoon.core.CoreConfig.class, "withRetentionSweepBatch", int.class)
                .check(pontoon);
    }

    /** The chaos harness's seeded bug is installed in front of the send path, never a branch inside it. */
    @Test
    void theQueueServiceKnowsNothingOfSeededBugs() {
        noClasses().that().resideInAnyPackage("io.pontoon.server.queue..", "io.pontoon.server.partition..")
                .should().dependOnClassesThat().resideInAPackage("io.pontoon.server.redgate..")
                .orShould().dependOnClassesThat().belongToAnyOf(io.pontoon.server.config.SeededBug.class)
                .check(pontoon);
    }

    @Test
    void theCoreKnowsNothingOfTheOtherModules() {
        noClasses().that().resideInAPackage("io.pontoon.core..")
                .should().dependOnClassesThat().resideInAnyPackage("io.pontoon.server..", "io.pontoon.raft..",
                        "io.pontoon.storage..", "io.pontoon.api..", "io.pontoon.client..")
                .check(pontoon);
    }

    /** Each model stands alone: a model's code, core or server, never reaches into another model's package in either layer. */
    @Test
    void modelsDoNotDependOnEachOther() {
        String[] models = {"queue", "stream", "topic"};
        String[] layers = {"io.pontoon.core.", "io.pontoon.server."};
        for (String layer : layers) {
            for (String m : models) {
                String[] others = java.util.Arrays.stream(models).filter(o -> !o.equals(m))
                        .flatMap(o -> java.util.Arrays.stream(layers).map(l -> l + o + "..")).toArray(String[]::new);
                noClasses().that().resideInAPackage(layer + m + "..").should().dependOnClassesThat().resideInAnyPackage(others)
                        .allowEmptyShould(true).check(pontoon);
            }
        }
    }

    /**
     * The shared partition layer of the server (routing, group commit, budgets) serves every model and knows none. In the
     * core, the partition layer names the models in one place only: the registry that lists them and the storage ports
     * it aggregates (Models, StoreView, StoreTxn); the in-memory store, like storage-rocksdb, implements every model's port.
     */
    @Test
    void theSharedPartitionLayerKnowsNoModel() {
        noClasses().that().resideInAPackage("io.pontoon.server.partition..")
                .should().dependOnClassesThat().resideInAnyPackage("io.pontoon.server.queue..", "io.pontoon.server.stream..", "io.pontoon.server.topic..",
                        "io.pontoon.core.queue..", "io.pontoon.core.stream..", "io.pontoon.core.topic..")
                .check(pontoon);
        noClasses().that().resideInAPackage("io.pontoon.core.partition")
                .and().doNotHaveSimpleName("Models").and().doNotHaveSimpleName("StoreView").and().doNotHaveSimpleName("StoreTxn")
                .should().dependOnClassesThat().resideInAnyPackage("io.pontoon.core.queue..", "io.pontoon.core.stream..", "io.pontoon.core.topic..")
                .check(pontoon);
    }
}

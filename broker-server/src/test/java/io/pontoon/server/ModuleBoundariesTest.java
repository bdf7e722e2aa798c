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
    void theCoreKnowsNothingOfTheOtherModules() {
        noClasses().that().resideInAPackage("io.pontoon.core..")
                .should().dependOnClassesThat().resideInAnyPackage("io.pontoon.server..", "io.pontoon.raft..",
                        "io.pontoon.storage..", "io.pontoon.api..", "io.pontoon.client..")
                .check(pontoon);
    }
}

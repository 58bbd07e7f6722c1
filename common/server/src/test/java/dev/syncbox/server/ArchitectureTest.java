package dev.syncbox.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.syncbox.server.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** Adapters stay at the edge, and the packages of the server commons are modules without cycles. */
class ArchitectureTest {

    private static final JavaClasses SYNCBOX = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.syncbox");

    @Test
    void shouldKeepTheRulesEveryModuleKeeps() {
        ArchitectureRules.check();
    }

    @Test
    void shouldKeepAwsSdkInsideTheBlockStoreAdapter() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.syncbox.server.blockstore..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("software.amazon.awssdk..")
                .check(SYNCBOX);
    }

    @Test
    void shouldKeepRedisAndItsBreakerInsideTheCacheAdapter() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.syncbox.server.cache..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.springframework.data.redis..",
                        "io.lettuce..",
                        "io.github.resilience4j..",
                        "io.github.bucket4j..")
                .check(SYNCBOX);
    }

    @Test
    void shouldKeepCoreFreeOfSpringAndServerCode() {
        noClasses()
                .that()
                .resideInAPackage("dev.syncbox.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework..", "jakarta..", "dev.syncbox.server..")
                .check(SYNCBOX);
    }

    @Test
    void shouldKeepItsModulesFreeOfCyclesAndTheirInternalsHidden() {
        var modules = ArchitectureRules.checkModules("dev.syncbox.server");

        assertThat(modules.stream().map(m -> m.getName()))
                .contains("auth", "blockstore", "cache", "content", "files", "journal", "metadata", "share", "web");
    }
}

package dev.syncbox.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Adapters stay at the edge: vendor client types live in one package each. */
class ArchitectureTest {

    private static final JavaClasses SYNCBOX = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.syncbox");

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
}

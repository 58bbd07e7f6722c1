package dev.syncbox.server.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.springframework.modulith.core.ApplicationModules;

/**
 * The dependency rules every module's architecture test checks: vendor clients stay in their
 * adapters, and the packages of a module form named modules without cycles or reaching into each
 * other's internals (docs/architecture.md).
 */
public final class ArchitectureRules {

    private ArchitectureRules() {}

    /** Checks the production classes of {@code dev.syncbox} on the caller's class path. */
    public static void check() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("dev.syncbox");
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.syncbox.server.blockstore..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("software.amazon.awssdk..")
                .allowEmptyShould(true)
                .check(classes);
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
                .allowEmptyShould(true)
                .check(classes);
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.syncbox.server.search..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("co.elastic.clients..", "org.elasticsearch..")
                .allowEmptyShould(true)
                .check(classes);
        // Block bytes are read in one place, which knows how each block is stored (whole or as a delta).
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.syncbox.server.blockstore..")
                .and()
                .doNotHaveFullyQualifiedName("dev.syncbox.server.content.BlockReads")
                .should()
                .callMethod("dev.syncbox.server.blockstore.BlockStore", "open", "java.lang.String", "long", "long")
                .allowEmptyShould(true)
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("dev.syncbox.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework..", "jakarta..", "dev.syncbox.server..")
                .allowEmptyShould(true)
                .check(classes);
    }

    /**
     * Verifies the application modules under {@code rootPackage} (its direct sub-packages) with
     * Spring Modulith: no cycles between them, and no use of another module's internal types.
     * Classes of {@code ignoredPackages} (libraries linked into the same packages) are left out.
     */
    public static ApplicationModules checkModules(String rootPackage, String... ignoredPackages) {
        return ignoredPackages.length == 0
                ? ApplicationModules.of(rootPackage).verify()
                : ApplicationModules.of(
                                rootPackage,
                                com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage(
                                        ignoredPackages))
                        .verify();
    }
}

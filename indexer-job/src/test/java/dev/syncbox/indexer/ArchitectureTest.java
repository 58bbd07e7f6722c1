package dev.syncbox.indexer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    @Test
    void shouldKeepElasticsearchClientInsideTheSearchAdapter() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.syncbox.indexer.search..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("co.elastic.clients..", "org.elasticsearch..")
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.syncbox"));
    }
}

package dev.syncbox.server.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

/** The migration step of the local run and of compose, against the integration tests' database. */
class SchemaMigrationIT {

    private static final String URL =
            System.getenv().getOrDefault("SYNCBOX_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:15432/syncbox_test");

    @Test
    void shouldLeaveTheSchemaAtTheNewestMigrationAndApplyNothingTheSecondTime() throws IOException, URISyntaxException {
        SchemaMigration.migrate(URL, "postgres", "");

        MigrateResult again = SchemaMigration.migrate(URL, "postgres", "");

        assertThat(again.success).isTrue();
        assertThat(again.migrationsExecuted).isZero();
        assertThat(again.initialSchemaVersion).isEqualTo(newestMigration());
    }

    private static String newestMigration() throws IOException, URISyntaxException {
        Pattern versioned = Pattern.compile("V(\\d+)__.*\\.sql");
        Path folder = Path.of(SchemaMigration.class.getResource("/db/migration").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> versioned.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(m -> Integer.parseInt(m.group(1)))
                    .max(Comparator.naturalOrder())
                    .map(String::valueOf)
                    .orElseThrow();
        }
    }
}

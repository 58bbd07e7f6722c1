package dev.syncbox.server.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
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

    @Test
    void shouldListTheSharedItemsOfADatabaseSharedBeforeV14InTheirHoldingNamespace() throws SQLException {
        String url = scratch("syncbox_v14_backfill");
        Flyway.configure()
                .dataSource(url, "postgres", "")
                .locations(SchemaMigration.LOCATION)
                .target("13")
                .load()
                .migrate();
        try (Connection db = DriverManager.getConnection(url, "postgres", "");
                Statement st = db.createStatement()) {
            st.execute("INSERT INTO users (user_id, email, name, password_hash, max_space_bytes)"
                    + " VALUES (1, 'owner@example.test', 'O', 'x', 1000)");
            st.execute("INSERT INTO namespaces (namespace_id, owner_id, kind) VALUES (10, 1, 'ROOT')");
            st.execute("INSERT INTO files (file_id, namespace_id, owner_id, file_path, path_key, is_dir) VALUES"
                    + " ('F0000000000000000000000001', 10, 1, '/shared', '/shared', true),"
                    + " ('F0000000000000000000000002', 10, 1, '/purged', '/purged', true)");
            // a shared folder, and the namespace of one whose folder was purged (root_file_id cleared)
            st.execute("INSERT INTO namespaces (namespace_id, owner_id, kind, root_file_id, parent_namespace_id)"
                    + " VALUES (11, 1, 'SHARED', 'F0000000000000000000000001', 10), (12, 1, 'SHARED', NULL, 10)");
        }

        SchemaMigration.migrate(url, "postgres", "");

        try (Connection db = DriverManager.getConnection(url, "postgres", "");
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT namespace_id, file_id, shared_namespace_id FROM shared_roots")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getLong(3));
            }
            assertThat(rows).containsExactly("10 F0000000000000000000000001 11");
        }
    }

    private static String scratch(String name) throws SQLException {
        String server = URL.substring(0, URL.lastIndexOf('/') + 1);
        try (Connection admin = DriverManager.getConnection(server + "postgres", "postgres", "");
                Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + name);
        }
        return server + name;
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

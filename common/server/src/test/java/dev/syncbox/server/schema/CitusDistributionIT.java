package dev.syncbox.server.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;

/**
 * The distribution of the metadata over Citus ({@code db/citus}, docs/scale-out.md). Citus cannot be
 * installed here, so the script's own statements run on the real schema in a scratch PostgreSQL database
 * with Citus's two table functions replaced by a recorder, and the layout they leave is then checked
 * against the rules Citus enforces when it distributes a table: each table distributed once, a group's
 * columns of one type, every primary key and unique index containing the distribution column, every
 * foreign key joining two tables of one group on it. The data already there must survive the rebuild.
 */
class CitusDistributionIT {

    private static final String TEST_URL =
            System.getenv().getOrDefault("SYNCBOX_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:15432/syncbox_test");
    private static final String SCRIPT = "/db/citus/V1000__distribute_metadata.sql";
    private static final String EXTENSION = "CREATE EXTENSION IF NOT EXISTS citus;";

    private record Distribution(String table, String column, String colocateWith) {}

    @Test
    void shouldLeaveALayoutCitusAcceptsAndKeepEveryRow() throws Exception {
        String url = scratch("syncbox_citus_layout");
        SchemaMigration.migrate(url, "postgres", "");
        try (Connection db = DriverManager.getConnection(url, "postgres", "")) {
            Map<String, Long> before = seed(db);
            try (Statement st = db.createStatement()) {
                st.execute(
                        "CREATE TABLE citus_recorded (ord SERIAL, table_name TEXT, column_name TEXT, colocate TEXT)");
                st.execute("CREATE FUNCTION create_distributed_table(table_name regclass, distribution_column text,"
                        + " colocate_with text DEFAULT 'default') RETURNS void LANGUAGE sql AS $$"
                        + " INSERT INTO citus_recorded (table_name, column_name, colocate)"
                        + " VALUES (table_name::text, distribution_column, colocate_with) $$");
                st.execute("CREATE FUNCTION create_reference_table(table_name regclass) RETURNS void LANGUAGE sql AS $$"
                        + " INSERT INTO citus_recorded (table_name) VALUES (table_name::text) $$");
                db.setAutoCommit(false);
                st.execute(scriptWithoutExtension());
                db.commit();
                db.setAutoCommit(true);
            }
            Map<String, Distribution> layout = recorded(db);

            assertThat(layout.keySet()).isEqualTo(dataTables(db));
            Map<String, String> groupOf = groups(layout);
            assertEveryGroupHasOneColumnType(db, layout, groupOf);
            assertEveryUniqueKeyHoldsTheDistributionColumn(db, layout);
            assertEveryForeignKeyStaysInItsGroup(db, layout, groupOf);
            assertThat(counts(db, before.keySet())).isEqualTo(before);
            assertThat(scalar(db, "SELECT count(*) FROM trash WHERE namespace_id = 900001"))
                    .isEqualTo(1);
        }
    }

    @Test
    void shouldRefuseOnAPostgresqlWithoutCitusAndLeaveTheSchemaAsItWas() throws Exception {
        String url = scratch("syncbox_citus_refused");
        SchemaMigration.migrate(url, "postgres", "");

        assertThatThrownBy(() -> SchemaMigration.migrate(url, "postgres", "", true))
                .isInstanceOf(FlywayException.class)
                .hasMessageContaining("citus");

        try (Connection db = DriverManager.getConnection(url, "postgres", "")) {
            assertThat(scalar(
                            db,
                            "SELECT count(*) FROM pg_constraint WHERE conname = 'files_pkey'"
                                    + " AND pg_get_constraintdef(oid) = 'PRIMARY KEY (file_id)'"))
                    .isEqualTo(1);
            assertThat(scalar(db, "SELECT count(*) FROM flyway_schema_history WHERE version = '1000'"))
                    .isZero();
        }
    }

    /** One row in each table that the script rebuilds, some written the way an older release wrote them. */
    private static Map<String, Long> seed(Connection db) throws SQLException {
        try (Statement st = db.createStatement()) {
            st.execute("INSERT INTO users (user_id, email, name, password_hash, max_space_bytes)"
                    + " VALUES (900001, 'citus@example.test', 'C', 'x', 1000)");
            st.execute("INSERT INTO user_emails (email, user_id) VALUES ('citus@example.test', 900001)");
            st.execute("INSERT INTO namespaces (namespace_id, owner_id, kind) VALUES (900001, 900001, 'ROOT')");
            st.execute(
                    "INSERT INTO devices (device_id, user_id, name) VALUES ('D0000000000000000000000001', 900001, 'd')");
            st.execute("BEGIN");
            st.execute(
                    "INSERT INTO files (file_id, namespace_id, owner_id, file_path, path_key, current_version_id)"
                            + " VALUES ('F0000000000000000000000001', 900001, 900001, '/a', '/a', 'V0000000000000000000000001')");
            st.execute("INSERT INTO file_versions (version_id, namespace_id, file_id, content_hash, size_bytes,"
                    + " block_ids) VALUES ('V0000000000000000000000001', 900001, 'F0000000000000000000000001',"
                    + " repeat('0', 64), 0, '{}')");
            st.execute("COMMIT");
            st.execute("INSERT INTO conflicts (conflict_id, namespace_id, file_id, device_b_version, diverged_at,"
                    + " status) VALUES ('C0000000000000000000000001', 900001, 'F0000000000000000000000001',"
                    + " 'V0000000000000000000000001', now(), 'OPEN')");
            // as a release before trash.namespace_id wrote it
            st.execute("INSERT INTO trash (file_id, deleted_path, recovery_deadline)"
                    + " VALUES ('F0000000000000000000000001', '/a', now())");
            st.execute("INSERT INTO sync_cursors (user_id, device_id) VALUES (900001, 'D0000000000000000000000001')");
        }
        List<String> tables = List.of(
                "users",
                "user_emails",
                "namespaces",
                "devices",
                "files",
                "file_versions",
                "conflicts",
                "trash",
                "sync_cursors");
        return counts(db, tables);
    }

    private static Map<String, Long> counts(Connection db, Iterable<String> tables) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : tables) {
            counts.put(table, scalar(db, "SELECT count(*) FROM " + table));
        }
        return counts;
    }

    private static Map<String, Distribution> recorded(Connection db) throws SQLException {
        Map<String, Distribution> layout = new LinkedHashMap<>();
        try (Statement st = db.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT table_name, column_name, colocate FROM citus_recorded ORDER BY ord")) {
            while (rs.next()) {
                Distribution d = new Distribution(rs.getString(1), rs.getString(2), rs.getString(3));
                assertThat(layout.put(d.table(), d))
                        .as("%s is distributed once", d.table())
                        .isNull();
                assertThat(d.column())
                        .as("%s: only distributed tables (no reference tables)", d.table())
                        .isNotNull();
                if (!"none".equals(d.colocateWith())) {
                    assertThat(layout)
                            .as("%s joins a group started before it", d.table())
                            .containsKey(d.colocateWith());
                }
            }
        }
        return layout;
    }

    /** Each table's group: the table that started it (colocate_with 'none'). */
    private static Map<String, String> groups(Map<String, Distribution> layout) {
        Map<String, String> groupOf = new HashMap<>();
        for (Distribution d : layout.values()) {
            groupOf.put(d.table(), "none".equals(d.colocateWith()) ? d.table() : groupOf.get(d.colocateWith()));
        }
        return groupOf;
    }

    private static void assertEveryGroupHasOneColumnType(
            Connection db, Map<String, Distribution> layout, Map<String, String> groupOf) throws SQLException {
        Map<String, String> typeOfGroup = new HashMap<>();
        for (Distribution d : layout.values()) {
            String type = scalarText(
                    db,
                    "SELECT format_type(atttypid, atttypmod) || CASE WHEN attnotnull THEN '' ELSE ' NULL' END"
                            + " FROM pg_attribute WHERE attrelid = '" + d.table() + "'::regclass"
                            + " AND attname = '" + d.column() + "'");
            assertThat(type)
                    .as("%s.%s exists and is NOT NULL", d.table(), d.column())
                    .isNotNull()
                    .doesNotEndWith(" NULL");
            String first = typeOfGroup.putIfAbsent(groupOf.get(d.table()), type);
            assertThat(first == null ? type : first)
                    .as("%s.%s has its group's type", d.table(), d.column())
                    .isEqualTo(type);
        }
    }

    private static void assertEveryUniqueKeyHoldsTheDistributionColumn(Connection db, Map<String, Distribution> layout)
            throws SQLException {
        List<String> violations = new ArrayList<>();
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT c.relname, i.indexrelid::regclass::text,"
                        + " array(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid"
                        + " AND a.attnum = ANY(i.indkey))::text[]"
                        + " FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
                        + " WHERE i.indisunique AND c.relnamespace = 'public'::regnamespace")) {
            while (rs.next()) {
                Distribution d = layout.get(rs.getString(1));
                if (d == null) {
                    continue;
                }
                Set<String> columns = Set.of((String[]) rs.getArray(3).getArray());
                if (!columns.contains(d.column())) {
                    violations.add(rs.getString(2) + " on " + d.table() + " lacks " + d.column());
                }
            }
        }
        assertThat(violations)
                .as("unique keys without their table's distribution column")
                .isEmpty();
    }

    private static void assertEveryForeignKeyStaysInItsGroup(
            Connection db, Map<String, Distribution> layout, Map<String, String> groupOf) throws SQLException {
        List<String> violations = new ArrayList<>();
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT conname, conrelid::regclass::text, confrelid::regclass::text,"
                        + " array(SELECT attname FROM pg_attribute WHERE attrelid = conrelid AND attnum = ANY(conkey)"
                        + " ORDER BY array_position(conkey, attnum))::text[],"
                        + " array(SELECT attname FROM pg_attribute WHERE attrelid = confrelid AND attnum = ANY(confkey)"
                        + " ORDER BY array_position(confkey, attnum))::text[]"
                        + " FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace")) {
            while (rs.next()) {
                String name = rs.getString(1);
                Distribution from = layout.get(rs.getString(2));
                Distribution to = layout.get(rs.getString(3));
                List<String> fromColumns = List.of((String[]) rs.getArray(4).getArray());
                List<String> toColumns = List.of((String[]) rs.getArray(5).getArray());
                if (!groupOf.get(from.table()).equals(groupOf.get(to.table()))) {
                    violations.add(name + ": " + from.table() + " -> " + to.table() + " crosses groups");
                    continue;
                }
                int at = fromColumns.indexOf(from.column());
                if (at < 0 || !toColumns.get(at).equals(to.column())) {
                    violations.add(name + ": " + fromColumns + " -> " + toColumns + " does not pair " + from.column()
                            + " with " + to.column());
                }
            }
        }
        assertThat(violations).as("foreign keys Citus refuses").isEmpty();
    }

    private static Set<String> dataTables(Connection db) throws SQLException {
        Set<String> tables = new TreeSet<>();
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace"
                                + " AND relkind = 'r' AND relname NOT IN ('flyway_schema_history', 'citus_recorded')")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }

    private static String scriptWithoutExtension() throws IOException {
        try (InputStream in = CitusDistributionIT.class.getResourceAsStream(SCRIPT)) {
            assertThat(in).as(SCRIPT).isNotNull();
            String script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(script).as("the script installs Citus first").contains(EXTENSION);
            return script.replace(EXTENSION, "");
        }
    }

    /** A new, empty database on the test server. */
    private static String scratch(String name) throws SQLException {
        String server = TEST_URL.substring(0, TEST_URL.lastIndexOf('/') + 1);
        try (Connection admin = DriverManager.getConnection(server + "postgres", "postgres", "");
                Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + name);
        }
        return server + name;
    }

    private static long scalar(Connection db, String sql) throws SQLException {
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String scalarText(Connection db, String sql) throws SQLException {
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}

package dev.syncbox.server.schema;

import ch.qos.logback.classic.Level;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the Flyway migrations of {@code classpath:db/migration} and exits, so that one process owns the
 * schema and the services can start with {@code SPRING_FLYWAY_ENABLED=false}. Run from any service jar:
 * {@code java -cp <extracted service jar> dev.syncbox.server.schema.SchemaMigration}. Reads the same
 * {@code SYNCBOX_DB_URL}, {@code SYNCBOX_DB_USER}, {@code SYNCBOX_DB_PASSWORD} and {@code SYNCBOX_DB_CITUS} as the
 * services.
 */
public final class SchemaMigration {

    /** Where the services' schema lives, the same as {@code spring.flyway.locations}. */
    public static final String LOCATION = "classpath:db/migration";

    /**
     * The distribution of the metadata over a Citus cluster, applied after the schema when
     * {@code SYNCBOX_DB_CITUS=true} (docs/scale-out.md). Its version is above any of the schema's, and
     * migrations added to the schema later are applied after it (out of order).
     */
    public static final String CITUS_LOCATION = "classpath:db/citus";

    private SchemaMigration() {}

    public static void main(String[] args) {
        long started = System.nanoTime();
        // no Spring Boot here to configure logging: logback's default would print every DEBUG line
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(Level.INFO);
        }
        MigrateResult result = migrate(
                env("SYNCBOX_DB_URL", "jdbc:postgresql://127.0.0.1:15432/syncbox"),
                env("SYNCBOX_DB_USER", "postgres"),
                env("SYNCBOX_DB_PASSWORD", ""),
                Boolean.parseBoolean(env("SYNCBOX_DB_CITUS", "false")));
        System.out.printf(
                "schema %s: version %s, %d migration(s) applied in %d ms%n",
                result.database,
                result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
                result.migrationsExecuted,
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Migrates the database at {@code url} to the latest version; fails on a migration that does not apply. */
    public static MigrateResult migrate(String url, String user, String password) {
        return migrate(url, user, password, false);
    }

    /** As {@link #migrate(String, String, String)}, then distributes the metadata when {@code citus}. */
    public static MigrateResult migrate(String url, String user, String password, boolean citus) {
        return Flyway.configure()
                .dataSource(url, user, password)
                .locations(locations(citus))
                .outOfOrder(citus)
                .connectRetries(5)
                .load()
                .migrate();
    }

    /** The Flyway locations of a plain PostgreSQL ({@code citus} false) or of a Citus coordinator. */
    public static String[] locations(boolean citus) {
        return citus ? new String[] {LOCATION, CITUS_LOCATION} : new String[] {LOCATION};
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}

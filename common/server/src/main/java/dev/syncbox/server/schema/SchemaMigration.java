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
 * {@code SYNCBOX_DB_URL}, {@code SYNCBOX_DB_USER} and {@code SYNCBOX_DB_PASSWORD} as the services.
 */
public final class SchemaMigration {

    /** Where the services' schema lives, the same as {@code spring.flyway.locations}. */
    public static final String LOCATION = "classpath:db/migration";

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
                env("SYNCBOX_DB_PASSWORD", ""));
        System.out.printf(
                "schema %s: version %s, %d migration(s) applied in %d ms%n",
                result.database,
                result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
                result.migrationsExecuted,
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Migrates the database at {@code url} to the latest version; fails on a migration that does not apply. */
    public static MigrateResult migrate(String url, String user, String password) {
        return Flyway.configure()
                .dataSource(url, user, password)
                .locations(LOCATION)
                .connectRetries(5)
                .load()
                .migrate();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}

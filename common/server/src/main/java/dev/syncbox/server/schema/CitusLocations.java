package dev.syncbox.server.schema;

import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.stereotype.Component;

/**
 * A service that migrates the schema itself (tests, a single node) does what {@link SchemaMigration}
 * does: with {@code syncbox.db.citus} ({@code SYNCBOX_DB_CITUS}) true it also applies the distribution
 * of the metadata over Citus.
 */
@Component
class CitusLocations implements FlywayConfigurationCustomizer {

    private final boolean citus;

    CitusLocations(@Value("${syncbox.db.citus:false}") boolean citus) {
        this.citus = citus;
    }

    @Override
    public void customize(FluentConfiguration configuration) {
        if (citus) {
            configuration.locations(SchemaMigration.locations(true)).outOfOrder(true);
        }
    }
}

package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.Scraped;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * What each service offers operators on its own port, without a token: its OpenAPI document at
 * {@code /v3/api-docs}, listing its own routes, and its metrics at {@code /actuator/prometheus},
 * where a metric appears only in the service that does the work (docs/metrics.md).
 */
class OperatorEndpointsIT {

    static RunningSystem system;

    @BeforeAll
    static void start() {
        system = RunningSystem.get();
    }

    private JsonNode openApi(ConfigurableApplicationContext service) {
        Api.Response response = system.api(service).get("/v3/api-docs", null);
        assertThat(response.status()).isEqualTo(200);
        return response.body();
    }

    @Test
    void eachServiceDescribesItsOwnRoutesInOpenApiWithoutAToken() {
        Map<ConfigurableApplicationContext, String> own = Map.of(
                system.sync, "/files/sync",
                system.upload, "/files/upload",
                system.download, "/files/download/{fileId}",
                system.conflict, "/files/{fileId}/conflicts");
        own.forEach((service, route) -> {
            JsonNode document = openApi(service);
            assertThat(document.path("openapi").asString()).startsWith("3.");
            assertThat(document.path("info").path("title").asString())
                    .isEqualTo("syncbox " + service.getEnvironment().getProperty("spring.application.name"));
            assertThat(document.path("paths").has(route)).as(route).isTrue();
            // Another service's route is not in this one's document.
            own.values().stream()
                    .filter(other -> !other.equals(route))
                    .forEach(other -> assertThat(document.path("paths").has(other))
                            .as(other)
                            .isFalse());
        });
    }

    @Test
    void metricsAreServedWithoutATokenAndOnlyByTheServiceThatDoesTheWork() {
        Scraped sync = Scraped.from(system.api(system.sync));
        Scraped upload = Scraped.from(system.api(system.upload));
        Scraped download = Scraped.from(system.api(system.download));
        Scraped conflict = Scraped.from(system.api(system.conflict));

        assertThat(sync.has("syncbox_sync_delay_seconds_count")).isTrue();
        assertThat(sync.has("syncbox_sync_cursor_staleness_seconds")).isTrue();
        assertThat(upload.has("syncbox_upload_received_bytes_total")).isTrue();
        assertThat(download.has("syncbox_delta_saved_bytes_total")).isTrue();
        for (Scraped other : new Scraped[] {upload, download, conflict}) {
            assertThat(other.has("syncbox_sync_delay_seconds_count")).isFalse();
            assertThat(other.has("syncbox_sync_cursor_staleness_seconds")).isFalse();
        }
        for (Scraped other : new Scraped[] {sync, download, conflict}) {
            assertThat(other.has("syncbox_upload_received_bytes_total")).isFalse();
            assertThat(other.has("syncbox_files_unrecoverable")).isFalse();
            assertThat(other.has("syncbox_storage_bytes")).isFalse();
            assertThat(other.has("syncbox_storage_delta_saved_bytes")).isFalse();
        }
        assertThat(upload.has("syncbox_storage_bytes")).isTrue();
        assertThat(upload.has("syncbox_storage_delta_saved_bytes")).isTrue();
        // Nothing is committed or stored by the services that only read.
        for (Scraped reader : new Scraped[] {download, conflict}) {
            assertThat(reader.has("syncbox_commits_total")).isFalse();
            assertThat(reader.has("syncbox_conflicts_total")).isFalse();
            assertThat(reader.has("syncbox_blocks_stored_bytes_total")).isFalse();
        }
    }
}

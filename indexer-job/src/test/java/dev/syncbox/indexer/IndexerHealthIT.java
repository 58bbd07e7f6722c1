package dev.syncbox.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.server.testing.Api;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

// The loop stays off: these are checks of health and metrics, and SearchIT runs the job against the same database.
@SpringBootTest(
        classes = IndexerJobApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "syncbox.indexer.enabled=false")
@ActiveProfiles("it")
class IndexerHealthIT {

    @LocalServerPort
    int port;

    @Test
    void shouldReportElasticsearchClusterInHealth() {
        Api.Response health = Api.local(port).get("/actuator/health", null);

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.text("status")).isEqualTo("UP");
    }

    @Test
    void shouldGateReadinessOnElasticsearchAndTheDatabase() {
        Api.Response readiness = Api.local(port).get("/actuator/health/readiness", null);

        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.body().path("components").propertyNames())
                .containsExactlyInAnyOrder("readinessState", "db", "redis", "elasticsearch");
        assertThat(readiness
                        .body()
                        .path("components")
                        .path("elasticsearch")
                        .path("status")
                        .asString())
                .isEqualTo("UP");
    }

    @Test
    void shouldExposePrometheusMetricsTaggedWithService() {
        Api api = Api.local(port);
        var response = api.bytes(api.request("/actuator/prometheus").GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new String(response.body())).contains("service=\"indexer-job\"");
    }
}

package dev.syncbox.conflict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.server.testing.Api;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

@SpringBootTest(classes = ConflictEngineApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("it")
class ConflictEngineHealthIT {

    @LocalServerPort
    int port;

    @Test
    void shouldReportHealthOfDatabaseRedisAndBlockStore() {
        Api.Response health = Api.local(port).get("/actuator/health", null);

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.text("status")).isEqualTo("UP");
        assertThat(health.body().path("components").propertyNames())
                .contains("db", "redis", "blockStore", "livenessState", "readinessState");
    }

    @Test
    void shouldListItsDependenciesInReadinessAndOnlyTheProcessInLiveness() {
        Api api = Api.local(port);

        Api.Response readiness = api.get("/actuator/health/readiness", null);
        Api.Response liveness = api.get("/actuator/health/liveness", null);

        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.body().path("components").propertyNames())
                .containsExactlyInAnyOrder("readinessState", "db", "redis", "blockStore");
        assertThat(liveness.status()).isEqualTo(200);
        assertThat(liveness.text("status")).isEqualTo("UP");
        assertThat(liveness.body().path("components").propertyNames())
                .as("no dependency decides liveness")
                .doesNotContain("db", "redis", "blockStore");
    }

    @Test
    void shouldExposePrometheusMetricsTaggedWithService() {
        Api api = Api.local(port);
        var response = api.bytes(api.request("/actuator/prometheus").GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new String(response.body())).contains("service=\"conflict-engine\"");
    }

    @Test
    void shouldRequireTokenForApi() {
        Api.Response response = Api.local(port).get("/files/01ARZ3NDEKTSV4RRFFQ69G5FAV/conflicts", null);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.code()).isEqualTo("unauthorized");
    }
}

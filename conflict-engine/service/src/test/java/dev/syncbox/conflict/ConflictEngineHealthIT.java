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

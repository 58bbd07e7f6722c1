package dev.syncbox.sync.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.id.Ids;
import dev.syncbox.server.testing.Api;
import dev.syncbox.sync.SyncServiceApplication;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

@SpringBootTest(classes = SyncServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("it")
class AccountIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Api api;
    String email;

    @BeforeEach
    void setUp() {
        api = Api.local(port);
        email = "Ada-" + Ids.newId() + "@Example.test";
    }

    private Api.Response register(String email, String password, String name) {
        return api.postJson("/auth/register", null, Map.of("email", email, "password", password, "name", name));
    }

    @Test
    void shouldRegisterThenLoginAndUseTheToken() {
        Api.Response registered = register(email, "correct horse battery", "Ada");
        assertThat(registered.status()).isEqualTo(201);
        long userId = registered.body().path("user_id").asLong();
        assertThat(userId).isPositive();

        Api.Response login = api.postJson(
                "/auth/login",
                null,
                Map.of("email", email.toUpperCase(), "password", "correct horse battery", "device_name", "laptop"));
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.text("access_token")).isNotBlank();
        assertThat(login.text("device_id")).hasSize(26);

        Api.Response withToken =
                api.get("/files/01ARZ3NDEKTSV4RRFFQ69G5FAV/metadata", "Bearer " + login.text("access_token"));
        assertThat(withToken.status()).as("authenticated, file unknown").isEqualTo(404);

        Map<String, Object> user = jdbc.queryForMap(
                "SELECT plan, used_space_bytes, max_space_bytes, root_namespace_id, password_hash FROM users WHERE user_id = ?",
                userId);
        assertThat(user.get("plan")).isEqualTo("free");
        assertThat((Long) user.get("used_space_bytes")).isZero();
        assertThat((Long) user.get("max_space_bytes")).isPositive();
        assertThat(user.get("root_namespace_id")).isNotNull();
        assertThat((String) user.get("password_hash")).startsWith("$2").doesNotContain("correct horse");
        assertThat(jdbc.queryForObject(
                        "SELECT name FROM devices WHERE device_id = ?", String.class, login.text("device_id")))
                .isEqualTo("laptop");
    }

    @Test
    void shouldRejectDuplicateEmailIgnoringCase() {
        assertThat(register(email, "password-1", "Ada").status()).isEqualTo(201);

        Api.Response again = register(email.toLowerCase(), "password-2", "Other");

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("email_taken");
    }

    @Test
    void shouldRejectInvalidRegistrations() {
        for (Map<String, Object> body : new Map[] {
            Map.of("email", "not-an-email", "password", "long enough", "name", "A"),
            Map.of("email", email, "password", "short", "name", "A"),
            Map.of("email", email, "password", "long enough", "name", ""),
            Map.of("email", email, "password", "long enough")
        }) {
            Api.Response response = api.postJson("/auth/register", null, body);
            assertThat(response.status()).as(body.toString()).isEqualTo(400);
            assertThat(response.code()).isEqualTo("invalid_request");
        }
        Api.Response malformed = api.postJson("/auth/register", null, "{not json");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.code()).isEqualTo("invalid_request");
    }

    @Test
    void shouldRejectWrongPasswordAndUnknownEmailAlike() {
        register(email, "the right one", "Ada");

        Api.Response wrong = api.postJson(
                "/auth/login", null, Map.of("email", email, "password", "the wrong one", "device_name", "phone"));
        Api.Response unknown = api.postJson(
                "/auth/login",
                null,
                Map.of("email", "nobody-" + email, "password", "the right one", "device_name", "phone"));

        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.code()).isEqualTo("invalid_credentials");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.code()).isEqualTo("invalid_credentials");
        assertThat(unknown.text("detail")).isEqualTo(wrong.text("detail"));
    }

    @Test
    void shouldExposeHealthAndPrometheusWithoutToken() {
        assertThat(api.get("/actuator/health", null).text("status")).isEqualTo("UP");
        var prometheus = api.bytes(api.request("/actuator/prometheus").GET());
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(new String(prometheus.body())).contains("service=\"sync-service\"");
    }
}

package dev.syncbox.sync.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.id.Ids;
import dev.syncbox.server.testing.Api;
import dev.syncbox.sync.SyncServiceIT;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Failed logins against the shared Redis; every test uses client addresses of its own. */
class LoginThrottleIT extends SyncServiceIT {

    private String address;

    @BeforeEach
    void ownAddress() {
        address = newAddress();
    }

    private static String newAddress() {
        return "2001:db8::" + Long.toHexString(Ids.newId().hashCode() & 0xffffL) + ":"
                + Long.toHexString(System.nanoTime() & 0xffffL);
    }

    private String registered() {
        String email = "throttle-" + Ids.newId().toLowerCase() + "@example.test";
        Api.Response response = api.postJson(
                "/auth/register", null, Map.of("email", email, "password", "right password", "name", "Ada"));
        assertThat(response.status()).isEqualTo(201);
        return email;
    }

    /** A login through the gateway: it appended {@code from}; what comes before is the client's. */
    private Api.Response login(String email, String password, String from) {
        return api.json(api.request("/auth/login")
                .header("Content-Type", "application/json")
                .header("X-Forwarded-For", "198.51.100." + (System.nanoTime() % 250) + ", " + from)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"email\":\"" + email + "\",\"password\":\"" + password + "\",\"device_name\":\"phone\"}")));
    }

    @Test
    void shouldRefuseTheEleventhAttemptEvenWithTheRightPassword() {
        String email = registered();
        for (int i = 0; i < 10; i++) {
            Api.Response wrong = login(email, "wrong password", address);
            assertThat(wrong.status()).as("failure %d", i + 1).isEqualTo(401);
            assertThat(wrong.code()).isEqualTo("invalid_credentials");
        }

        Api.Response refused = login(email, "right password", address);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.code()).isEqualTo("too_many_attempts");
        long retryAfter =
                Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 900L);
        assertThat(refused.body().path("retry_after").asLong()).isEqualTo(retryAfter);
        assertThat(login(email, "right password", newAddress()).status())
                .as("the account is limited from any address")
                .isEqualTo(429);
        assertThat(login(registered(), "right password", address).status())
                .as("another account is not")
                .isEqualTo(200);
    }

    @Test
    void shouldNeverCountASuccessfulLogin() {
        String email = registered();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 9; i++) {
                assertThat(login(email, "wrong password", address).status()).isEqualTo(401);
            }
            assertThat(login(email, "right password", address).status()).isEqualTo(200);
        }
        for (int i = 0; i < 9; i++) {
            assertThat(login(email, "wrong password", address).status()).isEqualTo(401);
        }
        assertThat(login(email, "right password", address).status()).isEqualTo(200);
    }

    @Test
    void shouldLimitOneAddressAcrossAccountsAndNoOtherAddress() {
        for (int account = 0; account < 10; account++) {
            String unknown = "nobody-" + Ids.newId().toLowerCase() + "@example.test";
            for (int i = 0; i < 10; i++) {
                assertThat(login(unknown, "guess " + i, address).status())
                        .as("account %d, failure %d", account, i + 1)
                        .isEqualTo(401);
            }
        }
        String email = registered();

        Api.Response refused = login(email, "right password", address);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.code()).isEqualTo("too_many_attempts");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(login(email, "right password", newAddress()).status())
                .as("the account itself has no failures")
                .isEqualTo(200);
    }
}

package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dropbox.core.RateLimitException;
import dev.syncbox.server.dropbox.DropboxProperties;
import dev.syncbox.server.testing.Api;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Dropbox's rate limit, through the gateway: a user who spends the allowance is answered 429 {@code
 * too_many_requests} with {@code Retry-After} (the SDK's RateLimitException with its backoff), on every service's
 * routes, while another user goes on.
 */
class DropboxRateLimitIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static RunningSystem system;
    static TestGateway gateway;
    static Api sync;

    @BeforeAll
    static void start() throws Exception {
        system = RunningSystem.get();
        gateway = TestGateway.in(system);
        sync = system.api(system.sync);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aUserPastTheAllowanceIsToldToWaitAndAnotherUserIsNot() throws Exception {
        DropboxSdk.Account busy = DropboxSdk.account(sync, gateway.url(), "Busy");
        DropboxSdk.Account other = DropboxSdk.account(sync, gateway.url(), "Other");
        int allowance = system.sync.getBean(DropboxProperties.class).requestsPerWindow();
        Api api = new Api(gateway.url());

        // Eight at a time, a few more than the allowance in all: the answers past it are 429s.
        List<HttpResponse<byte[]>> answers = new ArrayList<>();
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<byte[]>>> sent = new ArrayList<>();
            for (int i = 0; i < allowance + 8; i++) {
                sent.add(senders.submit(() -> api.bytes(api.request("/2/users/get_current_account")
                        .header("Authorization", busy.bearer())
                        .POST(HttpRequest.BodyPublishers.noBody()))));
            }
            for (Future<HttpResponse<byte[]>> answer : sent) {
                answers.add(answer.get());
            }
        } finally {
            senders.shutdownNow();
        }
        Map<Integer, Long> statuses =
                answers.stream().collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
        assertThat(statuses).as("answers by status").containsOnlyKeys(200, 429);
        assertThat(statuses.get(200)).as("answered within the allowance").isEqualTo((long) allowance);
        HttpResponse<byte[]> refused =
                answers.stream().filter(a -> a.statusCode() == 429).findFirst().orElse(null);

        assertThat(refused).isNotNull();
        long retryAfter =
                Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter)
                .isBetween(
                        1L,
                        system.sync.getBean(DropboxProperties.class).window().toSeconds());
        JsonNode body = JSON.readTree(new String(refused.body(), StandardCharsets.UTF_8));
        assertThat(body.path("error_summary").asString()).startsWith("too_many_requests/");
        assertThat(body.path("error").path("reason").path(".tag").asString()).isEqualTo("too_many_requests");
        assertThat(body.path("error").path("retry_after").asLong()).isEqualTo(retryAfter);

        // The SDK turns it into its RateLimitException, with the wait to honour; on a content route too.
        assertThatThrownBy(() -> busy.client().users().getCurrentAccount())
                .isInstanceOfSatisfying(
                        RateLimitException.class,
                        e -> assertThat(e.getBackoffMillis()).isPositive());
        HttpResponse<byte[]> download = api.bytes(api.request("/2/files/download")
                .header("Authorization", busy.bearer())
                .header("Dropbox-API-Arg", "{\"path\":\"/nothing.txt\"}")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(download.statusCode()).isEqualTo(429);

        assertThat(other.client().users().getCurrentAccount().getEmail()).isEqualTo(other.email());
    }
}

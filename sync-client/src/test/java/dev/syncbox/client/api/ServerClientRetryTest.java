package dev.syncbox.client.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import dev.syncbox.client.sync.RemoteSide;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Which requests the client repeats after a transient failure, against a stand-in server that fails on purpose. */
class ServerClientRetryTest {

    @RegisterExtension
    final StandInServer server = new StandInServer(this::answer);

    final AtomicInteger requests = new AtomicInteger();
    volatile int failuresLeft;
    volatile int failWith = 503;

    @Test
    void shouldRepeatAReadThatTheServerAsksToRepeatLater() throws IOException {
        failuresLeft = 2;

        assertThat(client().get("/files/sync").path("ok").asBoolean()).isTrue();
        assertThat(requests).hasValue(3);
    }

    @Test
    void shouldRepeatBlockTransfersAndChecksButNotACommit() throws IOException {
        failuresLeft = 1;
        client().put("/blocks/abc", new byte[] {1}, 0, 1);
        failuresLeft = 1;
        client().post("/blocks/check", Map.of("block_hashes", new String[0]));
        failuresLeft = 1;
        try (InputStream in = client().stream("/blocks/abc")) {
            assertThat(in.readAllBytes()).isNotEmpty();
        }
        assertThat(requests).hasValue(6);

        requests.set(0);
        failuresLeft = 1;
        assertThatThrownBy(() -> client().post("/files/commit", Map.of("file_path", "/a.txt")))
                .isInstanceOfSatisfying(
                        RemoteSide.Refused.class, e -> assertThat(e.status()).isEqualTo(503));
        assertThat(requests).as("a commit is not repeated blindly").hasValue(1);
    }

    @Test
    void shouldGiveUpAfterThreeTriesAndNotRepeatAnAnswerThatWillNotChange() {
        failuresLeft = 10;
        assertThatThrownBy(() -> client().get("/files/sync"))
                .isInstanceOfSatisfying(
                        RemoteSide.Refused.class, e -> assertThat(e.status()).isEqualTo(503));
        assertThat(requests).hasValue(ServerClient.ATTEMPTS);

        requests.set(0);
        failWith = 404;
        failuresLeft = 10;
        assertThatThrownBy(() -> client().get("/files/sync")).isInstanceOf(RemoteSide.Refused.class);
        assertThat(requests).hasValue(1);
    }

    private ServerClient client() {
        return server.client();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            if (failuresLeft > 0) {
                failuresLeft--;
                byte[] problem = ("{\"status\":" + failWith + ",\"code\":\"later\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Retry-After", "0");
                exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
                exchange.sendResponseHeaders(failWith, problem.length);
                exchange.getResponseBody().write(problem);
                return;
            }
            byte[] ok = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
        }
    }
}

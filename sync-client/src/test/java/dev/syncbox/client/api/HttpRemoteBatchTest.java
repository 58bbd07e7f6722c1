package dev.syncbox.client.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import dev.syncbox.client.local.LocalFolder;
import dev.syncbox.client.sync.RemoteSide;
import dev.syncbox.core.hash.BlockId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How the client reads the answers of the batch requests, against a stand-in for the server's HTTP contract: each
 * file's own outcome, a refused block failing only the files made of it, a refused entry only itself.
 */
class HttpRemoteBatchTest {

    @TempDir
    Path folder;

    @RegisterExtension
    final StandInServer server = new StandInServer(this::answer);

    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    String refusedBlock;
    String refusedPath;

    @Test
    void shouldAnswerForEachFileOfABatch() throws IOException {
        Files.writeString(folder.resolve("ok.txt"), "fine");
        Files.writeString(folder.resolve("bad-block.txt"), "the store will not keep this");
        Files.writeString(folder.resolve("bad-entry.txt"), "the commit of this is refused");
        Files.writeString(folder.resolve("twin.txt"), "fine");
        refusedBlock = BlockId.of("the store will not keep this".getBytes(StandardCharsets.UTF_8), 0, 28);
        refusedPath = "/bad-entry.txt";

        List<RemoteSide.Uploaded> done = remote().uploadAll(List.of(
                new RemoteSide.Upload("/ok.txt", null, null),
                new RemoteSide.Upload("/bad-block.txt", null, null),
                new RemoteSide.Upload("/bad-entry.txt", "f-1", "v-parent"),
                new RemoteSide.Upload("/twin.txt", null, null)));

        assertThat(done).hasSize(4);
        assertThat(done.get(0).committed().fileId()).isEqualTo("id-/ok.txt");
        assertThat(done.get(0).committed().conflict()).isFalse();
        assertThat(((RemoteSide.Refused) done.get(1).failure()).code()).isEqualTo("storage_unavailable");
        assertThat(((RemoteSide.Refused) done.get(1).failure()).status()).isEqualTo(503);
        assertThat(((RemoteSide.Refused) done.get(2).failure()).code()).isEqualTo("quota_exceeded");
        assertThat(done.get(3).committed().fileId()).isEqualTo("id-/twin.txt");
        assertThat(requests)
                .containsExactly("POST /blocks/check", "POST /blocks/upload_batch", "POST /files/commit_batch");
    }

    @Test
    void shouldAnswerEveryFileWhenBatchesAreSentWhileTheNextIsRead() throws IOException {
        List<RemoteSide.Upload> uploads = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            Files.writeString(folder.resolve("f" + i + ".txt"), "file " + i);
            uploads.add(new RemoteSide.Upload("/f" + i + ".txt", null, null));
        }

        List<RemoteSide.Uploaded> done = remote().uploadAll(uploads);

        assertThat(done).hasSize(2_500);
        for (int i = 0; i < done.size(); i++) {
            assertThat(done.get(i).failure()).isNull();
            assertThat(done.get(i).committed().fileId()).isEqualTo("id-/f" + i + ".txt");
        }
        assertThat(requests).filteredOn("POST /files/commit_batch"::equals).hasSize(3);
    }

    @Test
    void shouldFailEveryFileOfABatchTheServerDidNotAnswer() throws IOException {
        Files.writeString(folder.resolve("a.txt"), "a");
        Files.writeString(folder.resolve("b.txt"), "b");
        server.stop();

        List<RemoteSide.Uploaded> done = remote().uploadAll(List.of(
                new RemoteSide.Upload("/a.txt", null, null), new RemoteSide.Upload("/b.txt", null, null)));

        assertThat(done).allSatisfy(u -> {
            assertThat(u.committed()).isNull();
            assertThat(u.failure()).isNotNull();
        });
    }

    @Test
    void shouldReportAFileThatIsGoneWithoutStoppingTheOthers() throws IOException {
        Files.writeString(folder.resolve("here.txt"), "here");

        List<RemoteSide.Uploaded> done = remote().uploadAll(List.of(
                new RemoteSide.Upload("/gone.txt", null, null), new RemoteSide.Upload("/here.txt", null, null)));

        assertThat(done.get(0).failure()).isInstanceOf(java.nio.file.NoSuchFileException.class);
        assertThat(done.get(1).committed().fileId()).isEqualTo("id-/here.txt");
    }

    /** Counted down by every block PUT; the first waits on it for a second, which comes only if files go side by side. */
    final java.util.concurrent.CountDownLatch twoPuts = new java.util.concurrent.CountDownLatch(2);

    final java.util.concurrent.atomic.AtomicInteger puts = new java.util.concurrent.atomic.AtomicInteger();
    volatile boolean sideBySide;

    @Test
    void shouldSendLargerFilesSideBySideWhileTheSmallOnesGoInABatch() throws Exception {
        java.util.Random random = new java.util.Random(5);
        List<RemoteSide.Upload> uploads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] bytes = new byte[HttpRemote.SMALL_FILE + 1024 * 1024];
            random.nextBytes(bytes);
            Files.write(folder.resolve("big" + i + ".bin"), bytes);
            uploads.add(new RemoteSide.Upload("/big" + i + ".bin", null, null));
            Files.writeString(folder.resolve("small" + i + ".txt"), "small " + i);
            uploads.add(new RemoteSide.Upload("/small" + i + ".txt", null, null));
        }

        List<RemoteSide.Uploaded> done = remote().uploadAll(uploads);

        assertThat(done).hasSize(6);
        for (int i = 0; i < 3; i++) {
            assertThat(done.get(2 * i).failure()).isNull();
            assertThat(done.get(2 * i).committed().fileId()).isEqualTo("id-/big" + i + ".bin");
            assertThat(done.get(2 * i + 1).committed().fileId()).isEqualTo("id-/small" + i + ".txt");
        }
        assertThat(sideBySide)
                .as("a second file's block arrived while the first file's first block was held")
                .isTrue();
        assertThat(requests).filteredOn("POST /files/commit"::equals).hasSize(3);
        assertThat(requests).filteredOn("POST /files/commit_batch"::equals).hasSize(1);
    }

    private HttpRemote remote() {
        ServerClient client = server.client();
        return new HttpRemote(client, new LocalFolder(folder), "device-1");
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String request =
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            requests.add(request);
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (request.startsWith("PUT /blocks/")) {
                int n = puts.incrementAndGet();
                twoPuts.countDown();
                if (n == 1) {
                    try {
                        sideBySide = twoPuts.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                exchange.sendResponseHeaders(201, -1);
                return;
            }
            JsonNode answer = switch (request) {
                case "POST /blocks/check" -> {
                    ObjectNode a = ServerClient.JSON.createObjectNode();
                    a.set("missing", ServerClient.JSON.readTree(body).path("block_hashes"));
                    yield a;
                }
                case "POST /blocks/upload_batch" -> blocks(new String(body, StandardCharsets.ISO_8859_1));
                case "POST /files/commit_batch" -> commits(ServerClient.JSON.readTree(body));
                case "POST /files/commit" -> {
                    String path =
                            ServerClient.JSON.readTree(body).path("file_path").asString();
                    yield ServerClient.JSON
                            .createObjectNode()
                            .put("file_id", "id-" + path)
                            .put("version_id", "v-" + path)
                            .putNull("conflict");
                }
                default -> null;
            };
            if (answer == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] out = ServerClient.JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
        }
    }

    private JsonNode blocks(String multipart) {
        ObjectNode answer = ServerClient.JSON.createObjectNode();
        ArrayNode blocks = answer.putArray("blocks");
        Matcher part = Pattern.compile("form-data; name=\"([0-9a-f]{64})\"").matcher(multipart);
        while (part.find()) {
            String id = part.group(1);
            if (id.equals(refusedBlock)) {
                blocks.addObject().put("status", 503).put("code", "storage_unavailable");
            } else {
                blocks.addObject().put("block_id", id).put("status", "stored");
            }
        }
        return answer;
    }

    private JsonNode commits(JsonNode request) {
        ObjectNode answer = ServerClient.JSON.createObjectNode();
        ArrayNode entries = answer.putArray("entries");
        for (JsonNode entry : request.path("entries")) {
            String path = entry.path("file_path").asString();
            assertThat(entry.path("mode").asString()).isEqualTo("auto");
            if (path.equals(refusedPath)) {
                entries.addObject().put("status", 507).put("code", "quota_exceeded");
            } else {
                entries.addObject()
                        .put("file_id", "id-" + path)
                        .put("version_id", "v-" + path)
                        .putNull("conflict");
            }
        }
        return answer;
    }
}

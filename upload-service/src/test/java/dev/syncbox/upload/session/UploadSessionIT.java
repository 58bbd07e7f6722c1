package dev.syncbox.upload.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncbox.core.chunk.ChunkRef;
import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.RandomContent;
import dev.syncbox.upload.UploadServiceIT;
import dev.syncbox.upload.maintenance.BlockReaper;
import dev.syncbox.upload.maintenance.ReaperFaults;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class UploadSessionIT extends UploadServiceIT {

    @Autowired
    SessionCleanup cleanup;

    @Autowired
    BlockReaper reaper;

    private String start() {
        Api.Response started = api.json(api.request("/upload-sessions")
                .header("Authorization", user.bearer())
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(started.status()).isEqualTo(201);
        assertThat(started.body().path("offset").asLong()).isZero();
        assertThat(started.text("expires_at")).isNotBlank();
        return started.text("session_id");
    }

    private Api.Response append(String session, long offset, byte[] data, int from, int to) {
        return api.json(api.request("/upload-sessions/" + session + "?offset=" + offset)
                .header("Authorization", user.bearer())
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data, from, to - from)));
    }

    private Api.Response finish(String session, String path) {
        return api.postJson("/upload-sessions/" + session + "/finish", user.bearer(), Map.of("file_path", path));
    }

    private long offset(String session) {
        return api.get("/upload-sessions/" + session, user.bearer())
                .body()
                .path("offset")
                .asLong();
    }

    @Test
    void shouldAssembleAppendsIntoOneVersion() {
        byte[] content = RandomContent.bytes(300, 9 * 1024 * 1024 + 5);
        String session = start();
        int[] cuts = {0, 1, 3 * 1024 * 1024, 3 * 1024 * 1024 + 17, 8 * 1024 * 1024, content.length};
        for (int i = 0; i + 1 < cuts.length; i++) {
            Api.Response appended = append(session, cuts[i], content, cuts[i], cuts[i + 1]);
            assertThat(appended.status()).isEqualTo(200);
            assertThat(appended.body().path("offset").asLong()).isEqualTo(cuts[i + 1]);
        }

        Api.Response finished = finish(session, "/sessions/big.bin");

        assertThat(finished.status()).isEqualTo(200);
        assertThat(finished.text("checksum")).isEqualTo(ContentHasher.of(content));
        assertThat(contentOf(finished.text("version_id"))).isEqualTo(content);
        List<String> expectedBlocks =
                CHUNKER.split(content).stream().map(ChunkRef::blockId).toList();
        assertThat(versions.findById(finished.text("version_id")).orElseThrow().blockIds())
                .as("same blocks as chunking the whole file at once")
                .isEqualTo(expectedBlocks);
        assertThat(api.get("/upload-sessions/" + session, user.bearer()).status())
                .isEqualTo(404);
    }

    @Test
    void shouldAnswerWrongOffsetWithTheExpectedOne() {
        String session = start();
        append(session, 0, new byte[1000], 0, 1000);

        Api.Response wrong = append(session, 500, new byte[1000], 0, 1000);

        assertThat(wrong.status()).isEqualTo(409);
        assertThat(wrong.code()).isEqualTo("incorrect_offset");
        assertThat(wrong.body().path("expected_offset").asLong()).isEqualTo(1000);
        assertThat(offset(session)).isEqualTo(1000);
    }

    @Test
    void shouldResumeAfterADroppedConnectionWithoutLosingOrDuplicatingBytes() {
        byte[] content = RandomContent.bytes(301, 6 * 1024 * 1024);
        String session = start();
        assertThat(append(session, 0, content, 0, 1024 * 1024).status()).isEqualTo(200);

        // The client sends 3 MiB more, but the connection breaks after 2 MiB of them.
        InputStream breaking = new InputStream() {
            final InputStream data = new ByteArrayInputStream(content, 1024 * 1024, 2 * 1024 * 1024);

            @Override
            public int read() throws IOException {
                int b = data.read();
                if (b < 0) {
                    throw new IOException("network dropped");
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = data.read(buf, off, len);
                if (n < 0) {
                    throw new IOException("network dropped");
                }
                return n;
            }
        };
        assertThatThrownBy(() -> api.json(api.request("/upload-sessions/" + session + "?offset=" + 1024 * 1024)
                        .header("Authorization", user.bearer())
                        .header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(() -> breaking), 3 * 1024 * 1024))))
                .isInstanceOf(UncheckedIOException.class);

        long resumeAt = offset(session);
        assertThat(resumeAt).isBetween(1024L * 1024, 3L * 1024 * 1024);
        assertThat(append(session, resumeAt, content, (int) resumeAt, content.length)
                        .status())
                .isEqualTo(200);
        Api.Response finished = finish(session, "/sessions/resumed.bin");

        assertThat(finished.status()).isEqualTo(200);
        assertThat(contentOf(finished.text("version_id"))).isEqualTo(content);
    }

    @Test
    void shouldRemoveExpiredSessionsWithTheirOrphanBlocks() {
        // A seed no other test uses: another test's version sharing these blocks would keep them.
        byte[] content = RandomContent.bytes(ThreadLocalRandom.current().nextLong(), 3 * 1024 * 1024);
        String session = start();
        append(session, 0, content, 0, content.length);
        List<String> sessionBlocks = List.of((String[]) jdbc.queryForObject(
                "SELECT block_ids FROM upload_sessions WHERE session_id = ?",
                (rs, n) -> rs.getArray(1).getArray(),
                session));
        assertThat(sessionBlocks).isNotEmpty();
        sessionBlocks.forEach(id -> assertThat(blocks.exists(id)).isTrue());
        jdbc.update("UPDATE upload_sessions SET expires_at = now() - interval '1 hour' WHERE session_id = ?", session);
        jdbc.update(
                "UPDATE file_blocks SET last_accessed_at = now() - interval '2 days' WHERE block_id = ANY(?)",
                (Object) sessionBlocks.toArray(String[]::new));

        SessionCleanup.Cleaned cleaned = cleanup.cleanUp();

        assertThat(cleaned.sessions()).isGreaterThanOrEqualTo(1);
        assertThat(api.get("/upload-sessions/" + session, user.bearer()).status())
                .isEqualTo(404);
        sessionBlocks.forEach(id -> assertThat(blocks.exists(id)).as(id).isFalse());
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM file_blocks WHERE block_id = ANY(?)", Integer.class, (Object)
                                sessionBlocks.toArray(String[]::new)))
                .isZero();
    }

    @Test
    void shouldRemoveTheGrantsOfTheBlocksItRemoves() {
        List<String> sessionBlocks = expiredSessionWithGrantedBlocks();

        cleanup.cleanUp();

        sessionBlocks.forEach(id -> assertThat(blocks.exists(id)).as(id).isFalse());
        assertThat(rows(sessionBlocks)).isZero();
        assertThat(grants(sessionBlocks)).as("grants of removed blocks").isZero();
    }

    @Test
    void shouldRemoveItsBlocksThroughTheReaperWhichFinishesAfterAnAbort() {
        List<String> sessionBlocks = expiredSessionWithGrantedBlocks();
        ReaperFaults.failAt(reaper, "OBJECTS_DELETED");
        try {
            assertThatThrownBy(cleanup::cleanUp).hasMessageContaining("aborted");
        } finally {
            ReaperFaults.clear(reaper);
        }
        sessionBlocks.forEach(id -> assertThat(blocks.exists(id)).as(id).isFalse());
        assertThat(rows(sessionBlocks)).as("tombstoned, not yet removed").isEqualTo(sessionBlocks.size());
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM file_blocks WHERE block_id = ANY(?) AND (stored OR tombstoned_at IS NULL)",
                        Integer.class,
                        (Object) sessionBlocks.toArray(String[]::new)))
                .as("none stored, all tombstoned")
                .isZero();
        assertThat(grants(sessionBlocks)).as("kept while their rows are").isEqualTo(sessionBlocks.size());

        cleanup.cleanUp();

        assertThat(rows(sessionBlocks)).isZero();
        assertThat(grants(sessionBlocks)).isZero();
    }

    /** An expired session whose blocks, past the grace period, the user also sent on their own (grants). */
    private List<String> expiredSessionWithGrantedBlocks() {
        byte[] content = RandomContent.bytes(ThreadLocalRandom.current().nextLong(), 3 * 1024 * 1024);
        String session = start();
        append(session, 0, content, 0, content.length);
        List<String> sessionBlocks = List.of((String[]) jdbc.queryForObject(
                "SELECT block_ids FROM upload_sessions WHERE session_id = ?",
                (rs, n) -> rs.getArray(1).getArray(),
                session));
        assertThat(sessionBlocks).isNotEmpty();
        CHUNKER.split(content).stream()
                .filter(c -> sessionBlocks.contains(c.blockId()))
                .forEach(c -> assertThat(putBlock(user, Arrays.copyOfRange(content, (int) c.offset(), (int) c.end()))
                                .status())
                        .isEqualTo(200));
        assertThat(grants(sessionBlocks)).isEqualTo(sessionBlocks.size());
        jdbc.update("UPDATE upload_sessions SET expires_at = now() - interval '1 hour' WHERE session_id = ?", session);
        jdbc.update(
                "UPDATE file_blocks SET last_accessed_at = now() - interval '2 days' WHERE block_id = ANY(?)",
                (Object) sessionBlocks.toArray(String[]::new));
        return sessionBlocks;
    }

    private int rows(List<String> blockIds) {
        return jdbc.queryForObject("SELECT count(*) FROM file_blocks WHERE block_id = ANY(?)", Integer.class, (Object)
                blockIds.toArray(String[]::new));
    }

    private int grants(List<String> blockIds) {
        return jdbc.queryForObject("SELECT count(*) FROM block_grants WHERE block_id = ANY(?)", Integer.class, (Object)
                blockIds.toArray(String[]::new));
    }

    @Test
    void shouldKeepBlocksThatAVersionStillUses() {
        byte[] content = RandomContent.bytes(303, 2 * 1024 * 1024);
        uploadAndCommit(user, "/kept.bin", null, content);
        String session = start();
        append(session, 0, content, 0, content.length);
        jdbc.update("UPDATE upload_sessions SET expires_at = now() - interval '1 hour' WHERE session_id = ?", session);
        jdbc.update("UPDATE file_blocks SET last_accessed_at = now() - interval '2 days' WHERE refcount > 0");

        cleanup.cleanUp();

        CHUNKER.split(content)
                .forEach(c -> assertThat(blocks.exists(c.blockId())).isTrue());
    }

    @Test
    void shouldRefuseFinishOverQuota() {
        var small = accounts.create(10_000);
        var saved = user;
        user = small;
        String session = start();
        append(session, 0, new byte[8000], 0, 8000);
        uploadAndCommit(user, "/other.bin", null, RandomContent.bytes(304, 5000));

        Api.Response finished = finish(session, "/s.bin");

        assertThat(finished.status()).isEqualTo(507);
        assertThat(finished.code()).isEqualTo("quota_exceeded");
        assertThat(offset(session)).as("the session survives a failed finish").isEqualTo(8000);
        user = saved;
    }

    @Test
    void shouldAnswer404ForUnknownSession() {
        Api.Response response = append("01ARZ3NDEKTSV4RRFFQ69G5FAV", 0, new byte[1], 0, 1);

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.code()).isEqualTo("not_found");
    }
}

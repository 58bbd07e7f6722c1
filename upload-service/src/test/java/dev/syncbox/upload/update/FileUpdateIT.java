package dev.syncbox.upload.update;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.core.hash.Sha256;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.Multipart;
import dev.syncbox.server.testing.RandomContent;
import dev.syncbox.upload.UploadServiceIT;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FileUpdateIT extends UploadServiceIT {

    static final int SIZE = 12 * 1024 * 1024 + 77;

    byte[] original;
    Api.Response created;

    @BeforeEach
    void createFile() {
        original = RandomContent.bytes(200 + user.userId(), SIZE);
        created = uploadAndCommit(user, "/update/doc.bin", null, original);
        assertThat(created.status()).isEqualTo(200);
    }

    private Api.Response update(long offset, byte[] delta, Multipart extra) {
        Multipart body = extra.field("start_offset", Long.toString(offset)).file("delta", delta);
        return api.json(api.request("/files/" + created.text("file_id") + "/update")
                .header("Authorization", user.bearer())
                .header("Content-Type", body.contentType())
                .PUT(body.publisher()));
    }

    private static byte[] apply(byte[] base, long offset, byte[] delta) {
        byte[] result = Arrays.copyOf(base, (int) Math.max(base.length, offset + delta.length));
        System.arraycopy(delta, 0, result, (int) offset, delta.length);
        return result;
    }

    private int newBlockRows(Runnable action) {
        int before = jdbc.queryForObject("SELECT count(*) FROM file_blocks", Integer.class);
        action.run();
        return jdbc.queryForObject("SELECT count(*) FROM file_blocks", Integer.class) - before;
    }

    private void assertUpdated(Api.Response response, byte[] expected) {
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().path("merged_size").asLong()).isEqualTo(expected.length);
        assertThat(response.text("new_checksum")).isEqualTo(ContentHasher.of(expected));
        assertThat(contentOf(response.text("version_id"))).isEqualTo(expected);
    }

    @Test
    void shouldOverwriteInTheMiddleStoringOnlyTheAffectedBlocks() {
        byte[] delta = RandomContent.bytes(201, 1024);
        Api.Response[] response = new Api.Response[1];

        int newBlocks = newBlockRows(() -> response[0] = update(
                SIZE / 2,
                delta,
                new Multipart()
                        .field("checksum", Sha256.hex(delta))
                        .field("parent_version_id", created.text("version_id"))));

        assertUpdated(response[0], apply(original, SIZE / 2, delta));
        assertThat(newBlocks).isBetween(1, 2);
    }

    @Test
    void shouldOverwriteAtTheStart() {
        byte[] delta = RandomContent.bytes(202, 5000);

        Api.Response response = update(0, delta, new Multipart());

        assertUpdated(response, apply(original, 0, delta));
    }

    @Test
    void shouldAppendAtTheEnd() {
        byte[] delta = RandomContent.bytes(203, 1024 * 1024);

        Api.Response response = update(SIZE, delta, new Multipart());

        assertUpdated(response, apply(original, SIZE, delta));
        assertThat(accounts.usedSpace(user.userId())).isEqualTo(SIZE + delta.length);
    }

    @Test
    void shouldOverwritePastTheEndGrowingTheFile() {
        byte[] delta = RandomContent.bytes(204, 3 * 1024 * 1024);

        Api.Response response = update(SIZE - 1000, delta, new Multipart());

        assertUpdated(response, apply(original, SIZE - 1000, delta));
    }

    @Test
    void shouldRejectOffsetBeyondTheEnd() {
        Api.Response response = update(SIZE + 1, new byte[10], new Multipart());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("invalid_request");
        assertThat(currentVersion()).isEqualTo(created.text("version_id"));
    }

    @Test
    void shouldRejectChecksumThatIsNotTheDeltas() {
        Api.Response response = update(0, new byte[10], new Multipart().field("checksum", Sha256.hex(new byte[11])));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("content_hash_mismatch");
        assertThat(currentVersion()).isEqualTo(created.text("version_id"));
    }

    @Test
    void shouldRefuseUpdateBasedOnStaleVersion() {
        Api.Response first = update(10, new byte[] {1, 2, 3}, new Multipart());
        assertThat(first.status()).isEqualTo(200);

        Api.Response stale = update(
                20, new byte[] {4, 5, 6}, new Multipart().field("parent_version_id", created.text("version_id")));

        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.code()).isEqualTo("conflict");
        assertThat(stale.text("current_version_id")).isEqualTo(first.text("version_id"));
        assertThat(currentVersion()).isEqualTo(first.text("version_id"));
    }

    @Test
    void shouldAnswer404ForSomeoneElsesFile() {
        var stranger = accounts.create();
        Multipart body = new Multipart().field("start_offset", "0").file("delta", new byte[1]);

        Api.Response response = api.json(api.request("/files/" + created.text("file_id") + "/update")
                .header("Authorization", stranger.bearer())
                .header("Content-Type", body.contentType())
                .PUT(body.publisher()));

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.code()).isEqualTo("not_found");
    }

    private String currentVersion() {
        return jdbc.queryForObject(
                "SELECT current_version_id FROM files WHERE file_id = ?", String.class, created.text("file_id"));
    }
}

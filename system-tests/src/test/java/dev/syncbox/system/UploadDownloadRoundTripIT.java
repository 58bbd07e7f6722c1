package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.core.id.Ids;
import dev.syncbox.server.blockstore.BlockStore;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.Multipart;
import dev.syncbox.server.testing.RandomContent;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A client's first session: register, log in, upload 50 MiB, read it back and describe it. */
class UploadDownloadRoundTripIT {

    private static final long SIZE = 50L * 1024 * 1024;
    private static final long SEED = 50;

    static RunningSystem system;
    static Api sync;
    static Api upload;
    static Api download;
    static String bearer;

    @BeforeAll
    static void signIn() {
        system = RunningSystem.get();
        sync = system.api(system.sync);
        upload = system.api(system.upload);
        download = system.api(system.download);
        String email = "e2e-" + Ids.newId() + "@example.test";
        Api.Response registered = sync.postJson(
                "/auth/register", null, Map.of("email", email, "password", "a long password", "name", "E2E"));
        assertThat(registered.status()).isEqualTo(201);
        Api.Response login = sync.postJson(
                "/auth/login", null, Map.of("email", email, "password", "a long password", "device_name", "ci"));
        assertThat(login.status()).isEqualTo(200);
        bearer = "Bearer " + login.text("access_token");
    }

    private static Api.Response upload50MiB(String path) {
        return upload.upload(
                "/files/upload",
                bearer,
                new Multipart()
                        .field("file_path", path)
                        .field("file_size", Long.toString(SIZE))
                        .file("content", () -> new RandomContent(SEED, SIZE)));
    }

    @Test
    void shouldRoundTrip50MiBByteForByte() throws IOException {
        Api.Response uploaded = upload50MiB("/big/random-50MiB.bin");
        assertThat(uploaded.status()).isEqualTo(200);
        String fileId = uploaded.text("file_id");

        HttpResponse<InputStream> response = download.stream(download.request("/files/download/" + fileId)
                .header("Authorization", bearer)
                .GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(SIZE);
        try (InputStream actual = response.body();
                InputStream expected = new RandomContent(SEED, SIZE)) {
            assertSameBytes(expected, actual);
        }
        assertThat(response.headers().firstValue("ETag")).hasValue('"' + uploaded.text("checksum") + '"');

        Api.Response metadata = sync.get("/files/" + fileId + "/metadata", bearer);
        assertThat(metadata.status()).isEqualTo(200);
        assertThat(metadata.body().path("size").asLong()).isEqualTo(SIZE);
        assertThat(metadata.text("content_hash")).isEqualTo(uploaded.text("checksum"));
        assertThat(metadata.text("current_version_id")).isEqualTo(uploaded.text("version_id"));
        assertThat(metadata.body().path("versions")).hasSize(1);
    }

    @Test
    void shouldServeRangeOfLargeFile() throws IOException {
        Api.Response uploaded = upload50MiB("/big/ranged.bin");
        long first = 20L * 1024 * 1024 - 5;
        long last = 30L * 1024 * 1024 + 5;

        HttpResponse<byte[]> response = download.bytes(download.request("/files/download/" + uploaded.text("file_id"))
                .header("Authorization", bearer)
                .header("Range", "bytes=" + first + "-" + last)
                .GET());

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes " + first + "-" + last + "/" + SIZE);
        try (InputStream expected = new RandomContent(SEED, SIZE)) {
            expected.skipNBytes(first);
            assertThat(response.body()).isEqualTo(expected.readNBytes((int) (last - first + 1)));
        }
    }

    @Test
    void shouldStoreNoNewObjectsForKnownContentAndKeepChecksumStable() {
        BlockStore blocks = system.upload.getBean(BlockStore.class);
        Api.Response first = upload50MiB("/big/original.bin");
        long objects = blocks.count();

        Api.Response copy = upload50MiB("/big/copy.bin");

        assertThat(copy.status()).isEqualTo(200);
        assertThat(blocks.count()).isEqualTo(objects);
        assertThat(copy.text("checksum")).isEqualTo(first.text("checksum"));
        assertThat(copy.text("file_id")).isNotEqualTo(first.text("file_id"));
        assertThat(first.text("checksum")).isEqualTo(contentHashOfSeed());
    }

    private static String contentHashOfSeed() {
        ContentHasher hasher = new ContentHasher();
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = new RandomContent(SEED, SIZE)) {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                hasher.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return hasher.hexDigest();
    }

    private static void assertSameBytes(InputStream expected, InputStream actual) throws IOException {
        byte[] want = new byte[1 << 20];
        long offset = 0;
        while (true) {
            int n = expected.readNBytes(want, 0, want.length);
            byte[] got = actual.readNBytes(n);
            assertThat(got.length).as("bytes at offset %d", offset).isEqualTo(n);
            if (!Arrays.equals(want, 0, n, got, 0, n)) {
                throw new AssertionError("content differs in the MiB at offset " + offset);
            }
            offset += n;
            if (n < want.length) {
                break;
            }
        }
        assertThat(actual.read()).as("no bytes past the end").isEqualTo(-1);
    }
}

package dev.syncbox.server.blockstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.hash.Sha256;
import dev.syncbox.server.config.SyncboxProperties;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The block store against the local S3: a block PUT goes with an unsigned payload, so the store's check of
 * the signed SHA-256 header is what keeps its bytes whole — a body that does not match is refused.
 */
class S3BlockStoreIT {

    private final S3BlockStore store = S3BlockStore.starting(
            () -> S3Configuration.client(new SyncboxProperties.S3(
                    URI.create(System.getenv().getOrDefault("SYNCBOX_S3_ENDPOINT", "http://127.0.0.1:19000")),
                    "us-east-1",
                    System.getenv().getOrDefault("SYNCBOX_S3_ACCESS_KEY", "syncbox-local"),
                    System.getenv().getOrDefault("SYNCBOX_S3_SECRET_KEY", "syncbox-local-secret"),
                    "syncbox-test-blocks",
                    true,
                    0)),
            System.getenv().getOrDefault("SYNCBOX_TEST_S3_BUCKET", "syncbox-test-blocks"),
            0);

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void shouldStoreABlockAtAnOffsetAndReadItBack() throws IOException {
        byte[] padded = random(1 << 20, 1);
        int off = 1000;
        int len = padded.length - 2 * off;
        byte[] digest = Sha256.newDigest().digest(java.util.Arrays.copyOfRange(padded, off, off + len));
        String id = Sha256.hex(padded, off, len);

        store.put(id, digest, padded, off, len);

        try (InputStream in = store.open(id, 0, len - 1)) {
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(padded, off, off + len));
        }
        store.delete(List.of(id));
    }

    @Test
    void shouldRefuseBytesThatDoNotMatchTheChecksum() {
        byte[] block = random(256 * 1024, 2);
        byte[] other = random(256 * 1024, 3);
        String id = Sha256.hex(block);

        assertThatThrownBy(() -> store.put(id, Sha256.newDigest().digest(block), other, 0, other.length))
                .isInstanceOfSatisfying(
                        SyncboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE));
        assertThat(store.exists(id)).isFalse();
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new SplittableRandom(seed).nextBytes(data);
        return data;
    }
}

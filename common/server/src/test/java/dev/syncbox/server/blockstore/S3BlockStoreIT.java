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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The block store against the local S3, with block PUTs and GETs sent directly ({@link BlockTransfers}) and
 * through the SDK: a block PUT goes with an unsigned payload, so the store's check of the signed SHA-256 header
 * is what keeps its bytes whole — a body that does not match is refused.
 */
class S3BlockStoreIT {

    private static final String BUCKET = System.getenv().getOrDefault("SYNCBOX_TEST_S3_BUCKET", "syncbox-test-blocks");

    private final List<S3BlockStore> opened = new ArrayList<>();

    static Stream<Boolean> directAndSdk() {
        return Stream.of(true, false);
    }

    private S3BlockStore store(boolean direct) {
        return store(direct, endpoint(), BUCKET);
    }

    private S3BlockStore store(boolean direct, URI endpoint, String bucket) {
        SyncboxProperties.S3 s3 = new SyncboxProperties.S3(
                endpoint,
                "us-east-1",
                System.getenv().getOrDefault("SYNCBOX_S3_ACCESS_KEY", "syncbox-local"),
                System.getenv().getOrDefault("SYNCBOX_S3_SECRET_KEY", "syncbox-local-secret"),
                bucket,
                true,
                0,
                direct);
        S3BlockStore store =
                S3BlockStore.starting(() -> S3Configuration.client(s3), S3Configuration.transfers(s3), bucket, 0);
        opened.add(store);
        return store;
    }

    private static URI endpoint() {
        return URI.create(System.getenv().getOrDefault("SYNCBOX_S3_ENDPOINT", "http://127.0.0.1:19000"));
    }

    @AfterEach
    void close() {
        opened.forEach(S3BlockStore::close);
    }

    @ParameterizedTest
    @MethodSource("directAndSdk")
    void shouldStoreABlockAtAnOffsetAndReadItBack(boolean direct) throws IOException {
        S3BlockStore store = store(direct);
        byte[] padded = random(1 << 20, direct ? 1 : 11);
        int off = 1000;
        int len = padded.length - 2 * off;
        byte[] digest = Sha256.newDigest().digest(Arrays.copyOfRange(padded, off, off + len));
        String id = Sha256.hex(padded, off, len);

        store.put(id, digest, padded, off, len);

        try (InputStream in = store.open(id, 0, len - 1)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(padded, off, off + len));
        }
        try (InputStream in = store.open(id, 4096, 4096 + 99)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(padded, off + 4096, off + 4096 + 100));
        }
        store.delete(List.of(id));
        assertThat(store.exists(id)).isFalse();
    }

    @ParameterizedTest
    @MethodSource("directAndSdk")
    void shouldRefuseBytesThatDoNotMatchTheChecksum(boolean direct) {
        S3BlockStore store = store(direct);
        byte[] block = random(256 * 1024, direct ? 2 : 12);
        byte[] other = random(256 * 1024, 3);
        String id = Sha256.hex(block);

        assertThatThrownBy(() -> store.put(id, Sha256.newDigest().digest(block), other, 0, other.length))
                .isInstanceOfSatisfying(
                        SyncboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE));
        assertThat(store.exists(id)).isFalse();
    }

    @ParameterizedTest
    @MethodSource("directAndSdk")
    void shouldReportAMissingBlockAsMissing(boolean direct) {
        S3BlockStore store = store(direct);
        String id = Sha256.hex(random(100, direct ? 4 : 14));

        assertThatThrownBy(() -> store.open(id, 0, 99).close()).isInstanceOf(BlockMissingException.class);
    }

    @Test
    void shouldKeepServingAfterReadsClosedEarlyAndReadsReadToTheirEnd() throws IOException {
        S3BlockStore store = store(true);
        byte[] block = random(512 * 1024, 5);
        String id = Sha256.hex(block);
        store.put(id, Sha256.newDigest().digest(block), block, 0, block.length);
        // More reads than the pool has connections: a connection not handed back would stall the rest.
        for (int i = 0; i < 200; i++) {
            try (InputStream in = store.open(id, 0, block.length - 1)) {
                if (i % 2 == 0) {
                    assertThat(in.readNBytes(1000)).isEqualTo(Arrays.copyOf(block, 1000));
                } else {
                    assertThat(in.readNBytes(block.length)).isEqualTo(block);
                }
            }
        }
        store.delete(List.of(id));
    }

    @Test
    void shouldPutIntoABucketTheStartUpHasNotCreatedYet() throws IOException {
        // Put at once, before the start-up thread has built the client or created the bucket.
        String bucket = "syncbox-test-new-" + Long.toString(System.nanoTime(), 36);
        roundTripIn(store(true, endpoint(), bucket), bucket, 8);
    }

    @Test
    void shouldCreateTheBucketWhenAPutFindsItGone() throws IOException {
        String bucket = "syncbox-test-fresh-" + Long.toString(System.nanoTime(), 36);
        S3BlockStore store = store(true, endpoint(), bucket);
        store.client().deleteBucket(b -> b.bucket(bucket));
        roundTripIn(store, bucket, 6);
    }

    /** Puts a block, reads it back whole, then removes it and the bucket. */
    private static void roundTripIn(S3BlockStore store, String bucket, long seed) throws IOException {
        byte[] block = random(1024, seed);
        String id = Sha256.hex(block);

        store.put(id, Sha256.newDigest().digest(block), block, 0, block.length);

        try (InputStream in = store.open(id, 0, block.length - 1)) {
            assertThat(in.readAllBytes()).isEqualTo(block);
        }
        store.delete(List.of(id));
        store.client().deleteBucket(b -> b.bucket(bucket));
    }

    @ParameterizedTest
    @MethodSource("directAndSdk")
    void shouldAnswerStorageUnavailableWhenTheStoreDoesNotAnswer(boolean direct) {
        // Nothing listens on the discard port: every attempt is refused at once.
        S3BlockStore store = store(direct, URI.create("http://127.0.0.1:9"), BUCKET);
        byte[] block = random(1024, 7);
        String id = Sha256.hex(block);

        assertThatThrownBy(() -> store.put(id, Sha256.newDigest().digest(block), block, 0, block.length))
                .isInstanceOfSatisfying(
                        SyncboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE));
        assertThatThrownBy(() -> store.open(id, 0, 10))
                .isInstanceOfSatisfying(
                        SyncboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE));
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new SplittableRandom(seed).nextBytes(data);
        return data;
    }
}

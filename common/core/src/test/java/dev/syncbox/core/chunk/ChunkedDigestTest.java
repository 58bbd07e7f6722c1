package dev.syncbox.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.core.hash.Hex;
import dev.syncbox.core.hash.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** One read, two threads or one: the same blocks as {@link Chunker#split} and the same hash as {@link ContentHasher}. */
class ChunkedDigestTest {

    private static final Chunker SMALL = Chunker.of(new ChunkingSpec(ChunkingSpec.Kind.FASTCDC, 64, 256, 1024));

    @Property(tries = 200)
    void shouldMatchThePlainChunkerAndHasher(
            @ForAll @IntRange(min = 0, max = 200_000) int size,
            @ForAll long seed,
            @ForAll boolean twoThreads,
            @ForAll @IntRange(min = 64, max = 20_000) int segment)
            throws IOException {
        byte[] data = random(size, seed);

        ChunkedDigest.Result result = ChunkedDigest.of(
                new ByteArrayInputStream(data),
                SMALL,
                twoThreads ? ChunkedDigest.TWO_THREADS_FROM : 0,
                ContentHasher.BLOCK_SIZE,
                segment);

        assertThat(result.blocks()).isEqualTo(SMALL.split(data));
        assertThat(result.contentHash()).isEqualTo(ContentHasher.of(data));
        assertThat(result.size()).isEqualTo(size);
    }

    /**
     * Content-hash windows far smaller than 4 MiB, so that blocks straddle windows and windows straddle blocks on
     * either thread; the reference is Dropbox's definition computed the plain way.
     */
    @Property(tries = 300)
    void shouldHashWindowsThatStraddleBlocks(
            @ForAll @IntRange(min = 0, max = 60_000) int size,
            @ForAll @IntRange(min = 1, max = 5_000) int window,
            @ForAll long seed,
            @ForAll boolean twoThreads,
            @ForAll @IntRange(min = 64, max = 5_000) int segment)
            throws IOException {
        byte[] data = random(size, seed);

        ChunkedDigest.Result result = ChunkedDigest.of(
                new ByteArrayInputStream(data),
                SMALL,
                twoThreads ? ChunkedDigest.TWO_THREADS_FROM : 0,
                window,
                segment);

        assertThat(result.blocks()).isEqualTo(SMALL.split(data));
        assertThat(result.contentHash()).isEqualTo(plainContentHash(data, window));
    }

    @Property(tries = 100)
    void shouldCutTheSameBlocksWithoutTheContentHash(
            @ForAll @IntRange(min = 0, max = 100_000) int size, @ForAll long seed, @ForAll boolean twoThreads)
            throws IOException {
        byte[] data = random(size, seed);

        ChunkedDigest.Result result = ChunkedDigest.blocks(
                new ByteArrayInputStream(data), SMALL, twoThreads ? ChunkedDigest.TWO_THREADS_FROM : 0);

        assertThat(result.blocks()).isEqualTo(SMALL.split(data));
        assertThat(result.contentHash()).isNull();
        assertThat(result.size()).isEqualTo(size);
    }

    /**
     * The default spec (256 KiB / 1 MiB / 4 MiB) over segments far smaller than a block, so that blocks span many
     * segments and cuts fall anywhere in one.
     */
    @Property(tries = 12)
    void shouldCutTheDefaultSpecAcrossSegments(
            @ForAll @IntRange(min = 0, max = 24 * 1024 * 1024) int size,
            @ForAll long seed,
            @ForAll @IntRange(min = 4_096, max = 3 * 1024 * 1024) int segment)
            throws IOException {
        byte[] data = random(size, seed);
        Chunker chunker = Chunker.of(ChunkingSpec.fastCdcDefault());

        ChunkedDigest.Result result = twoThreads(data, chunker, 0, segment);

        assertThat(result.blocks()).isEqualTo(chunker.split(data));
    }

    /** Low-entropy content: the fingerprints repeat, so cuts land on segment edges and in the 64 bytes after minSize. */
    @Property(tries = 100)
    void shouldCutRepetitiveContentAsThePlainChunker(
            @ForAll @IntRange(min = 0, max = 100_000) int size,
            @ForAll @IntRange(min = 1, max = 4) int symbols,
            @ForAll long seed,
            @ForAll @IntRange(min = 64, max = 3_000) int segment)
            throws IOException {
        byte[] data = new byte[size];
        Random random = new Random(seed);
        for (int i = 0; i < size; i++) {
            data[i] = (byte) random.nextInt(symbols);
        }

        ChunkedDigest.Result result = twoThreads(data, SMALL, 0, segment);

        assertThat(result.blocks()).isEqualTo(SMALL.split(data));
    }

    @Property(tries = 50)
    void shouldCutFixedBlocksOnTwoThreads(
            @ForAll @IntRange(min = 0, max = 50_000) int size,
            @ForAll @IntRange(min = 64, max = 5_000) int blockSize,
            @ForAll long seed,
            @ForAll @IntRange(min = 64, max = 3_000) int segment)
            throws IOException {
        byte[] data = random(size, seed);
        Chunker fixed = Chunker.of(ChunkingSpec.fixed(blockSize));

        ChunkedDigest.Result result = twoThreads(data, fixed, 1_000, segment);

        assertThat(result.blocks()).isEqualTo(fixed.split(data));
        assertThat(result.contentHash()).isEqualTo(plainContentHash(data, 1_000));
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** Cut and hashed on the two-thread path, {@code segment} bytes read at a time. */
    private static ChunkedDigest.Result twoThreads(byte[] data, Chunker chunker, int window, int segment)
            throws IOException {
        return ChunkedDigest.of(
                new ByteArrayInputStream(data), chunker, ChunkedDigest.TWO_THREADS_FROM, window, segment);
    }

    private static String plainContentHash(byte[] data, int window) {
        MessageDigest overall = Sha256.newDigest();
        for (int off = 0; off < data.length; off += window) {
            overall.update(
                    Sha256.newDigest().digest(Arrays.copyOfRange(data, off, Math.min(data.length, off + window))));
        }
        return Hex.encode(overall.digest());
    }
}

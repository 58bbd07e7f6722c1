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
            @ForAll @IntRange(min = 0, max = 200_000) int size, @ForAll long seed, @ForAll boolean twoThreads)
            throws IOException {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);

        ChunkedDigest.Result result = ChunkedDigest.of(
                new ByteArrayInputStream(data), SMALL, twoThreads ? ChunkedDigest.TWO_THREADS_FROM : 0);

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
            @ForAll boolean twoThreads)
            throws IOException {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);

        ChunkedDigest.Result result = ChunkedDigest.of(
                new ByteArrayInputStream(data), SMALL, twoThreads ? ChunkedDigest.TWO_THREADS_FROM : 0, window);

        assertThat(result.blocks()).isEqualTo(SMALL.split(data));
        assertThat(result.contentHash()).isEqualTo(plainContentHash(data, window));
    }

    @Property(tries = 100)
    void shouldCutTheSameBlocksWithoutTheContentHash(
            @ForAll @IntRange(min = 0, max = 100_000) int size, @ForAll long seed, @ForAll boolean twoThreads)
            throws IOException {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);

        ChunkedDigest.Result result = ChunkedDigest.blocks(
                new ByteArrayInputStream(data), SMALL, twoThreads ? ChunkedDigest.TWO_THREADS_FROM : 0);

        assertThat(result.blocks()).isEqualTo(SMALL.split(data));
        assertThat(result.contentHash()).isNull();
        assertThat(result.size()).isEqualTo(size);
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

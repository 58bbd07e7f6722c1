package dev.syncbox.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.hash.ContentHasher;
import java.io.ByteArrayInputStream;
import java.io.IOException;
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
}

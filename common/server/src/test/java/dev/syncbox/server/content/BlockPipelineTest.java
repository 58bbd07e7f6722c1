package dev.syncbox.server.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncbox.core.chunk.Chunker;
import dev.syncbox.core.chunk.ChunkingSpec;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.core.hash.Sha256;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The upload pipeline with a sink in memory: order, bounded buffers and reading, and failure midway. */
class BlockPipelineTest {

    private static final int KIB = 1024;
    // Small blocks so that a few MiB make many of them: 16 / 64 / 256 KiB.
    private static final Chunker CHUNKER = Chunker.of(ChunkingSpec.parse("fastcdc", 16 * KIB, 64 * KIB, 256 * KIB));
    private static final int MAX = CHUNKER.spec().maxSize();

    private final ExecutorService writers = Executors.newFixedThreadPool(8);

    @AfterEach
    void stop() {
        writers.shutdownNow();
    }

    @Test
    void shouldStoreEveryBlockAndListThemInContentOrder() throws IOException {
        byte[] content = random(3 * 1024 * KIB + 123, 1);
        Map<String, byte[]> stored = new ConcurrentHashMap<>();
        SplittableRandom jitter = new SplittableRandom(7);
        BlockPipeline.Sink sink = (data, off, len) -> {
            byte[] copy = Arrays.copyOfRange(data, off, off + len);
            sleep(jitter.split().nextInt(3)); // writers finish out of order
            String id = Sha256.hex(copy);
            stored.put(id, copy);
            return new BlockWriter.Written(id, len, true);
        };

        StoredContent result = new BlockPipeline(CHUNKER, writers, 4)
                .run(new ByteArrayInputStream(content), Long.MAX_VALUE, () -> null, sink);

        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        result.blockIds().forEach(id -> joined.writeBytes(stored.get(id)));
        assertThat(joined.toByteArray()).isEqualTo(content);
        assertThat(result.blockIds())
                .containsExactlyElementsOf(
                        CHUNKER.split(content).stream().map(c -> c.blockId()).toList());
        assertThat(result.size()).isEqualTo(content.length);
        assertThat(result.contentHash()).isEqualTo(ContentHasher.of(content));
        assertThat(result.newBytes()).isEqualTo(content.length);
    }

    @Test
    void shouldStopReadingWhileEveryBufferIsInFlight() throws Exception {
        int inFlight = 3;
        byte[] content = random(4 * 1024 * KIB, 2);
        CountingInput in = new CountingInput(new ByteArrayInputStream(content));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger waiting = new AtomicInteger();
        BlockPipeline.Sink stuck = (data, off, len) -> {
            waiting.incrementAndGet();
            await(release);
            return new BlockWriter.Written(Sha256.hex(Arrays.copyOfRange(data, off, off + len)), len, true);
        };
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<StoredContent> run = reader.submit(
                    () -> new BlockPipeline(CHUNKER, writers, inFlight).run(in, Long.MAX_VALUE, () -> null, stuck));
            while (waiting.get() < inFlight) {
                Thread.sleep(5);
            }
            Thread.sleep(200); // the reader would go on here if nothing held it back

            assertThat(waiting.get()).isEqualTo(inFlight);
            // The blocks in flight, one more block cut and waiting for a buffer, and the chunker's buffer.
            assertThat(in.read.get()).isLessThanOrEqualTo((long) (inFlight + 1) * MAX + 2L * MAX);
            release.countDown();
            assertThat(run.get(30, TimeUnit.SECONDS).size()).isEqualTo(content.length);
        } finally {
            release.countDown();
            reader.shutdownNow();
        }
    }

    @Test
    void shouldReuseAtMostInFlightFullSizeBuffers() throws IOException {
        int inFlight = 4;
        Set<byte[]> buffers = Collections.newSetFromMap(Collections.synchronizedMap(new IdentityHashMap<>()));
        BlockPipeline.Sink sink = (data, off, len) -> {
            if (data.length >= MAX) {
                buffers.add(data);
            }
            return new BlockWriter.Written(Sha256.hex(Arrays.copyOfRange(data, off, off + len)), len, true);
        };

        new BlockPipeline(CHUNKER, writers, inFlight)
                .run(new ByteArrayInputStream(random(8 * 1024 * KIB, 3)), Long.MAX_VALUE, () -> null, sink);

        assertThat(buffers).isNotEmpty().hasSizeLessThanOrEqualTo(inFlight);
    }

    @Test
    void shouldFailWithTheStoresErrorAndStopReadingSoonAfterABlockFails() {
        byte[] content = random(16 * 1024 * KIB, 4);
        CountingInput in = new CountingInput(new ByteArrayInputStream(content));
        AtomicInteger puts = new AtomicInteger();
        BlockPipeline.Sink failing = (data, off, len) -> {
            if (puts.incrementAndGet() == 5) {
                throw new SyncboxException(ErrorCode.STORAGE_UNAVAILABLE, "S3 went away");
            }
            return new BlockWriter.Written(Sha256.hex(Arrays.copyOfRange(data, off, off + len)), len, true);
        };

        assertThatThrownBy(() -> new BlockPipeline(CHUNKER, writers, 4).run(in, Long.MAX_VALUE, () -> null, failing))
                .isInstanceOfSatisfying(
                        SyncboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE));
        assertThat(in.read.get()).as("reading stops at the failure").isLessThan(content.length / 2);
    }

    @Test
    void shouldRefuseContentOverTheLimit() {
        byte[] content = random(1024 * KIB, 5);
        SyncboxException over = new SyncboxException(ErrorCode.QUOTA_EXCEEDED, "over");
        BlockPipeline.Sink sink = (data, off, len) -> new BlockWriter.Written("x", len, true);

        assertThatThrownBy(() -> new BlockPipeline(CHUNKER, writers, 4)
                        .run(new ByteArrayInputStream(content), content.length - 1, () -> over, sink))
                .isSameAs(over);
    }

    @Test
    void shouldGiveASmallBlockABufferOfItsOwnSize() {
        BlockPipeline.Buffers buffers = new BlockPipeline.Buffers(2, 16 * KIB, MAX);

        assertThat(buffers.take(4 * KIB)).hasSize(4 * KIB);
        byte[] full = buffers.take(20 * KIB);
        assertThat(full).hasSize(MAX);
        buffers.give(full);
        assertThat(buffers.take(MAX)).isSameAs(full);
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new SplittableRandom(seed).nextBytes(data);
        return data;
    }

    private static void sleep(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Counts the bytes the pipeline has read so far. */
    private static final class CountingInput extends FilterInputStream {
        final AtomicLong read = new AtomicLong();

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                read.addAndGet(n);
            }
            return n;
        }
    }
}

package dev.syncbox.bench;

import dev.syncbox.core.chunk.Chunker;
import dev.syncbox.core.chunk.ChunkingSpec;
import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.core.hash.Sha256;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Chunking and hashing 64 MiB of random data on one thread. Every operation processes all of {@link #SIZE} bytes, so
 * MB/s is the score (ops/s) times 64 MiB; {@code bench/chunk-throughput.sh} prints that and the ratio of each variant
 * to plain SHA-256.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class ChunkHashBenchmark {

    /** Bytes processed by every operation. */
    public static final int SIZE = 64 * 1024 * 1024;

    private static final int UPDATE_SIZE = 1024 * 1024;

    private final Chunker fastCdc = Chunker.of(ChunkingSpec.fastCdcDefault());
    private final Chunker fixed = Chunker.of(ChunkingSpec.fixed4MiB());
    private final MessageDigest digest = Sha256.newDigest();
    private byte[] data;

    @Setup
    public void setUp() {
        data = new byte[SIZE];
        new SplittableRandom(42).nextBytes(data);
    }

    /** The yardstick: one SHA-256 over all the data, fed in 1 MiB updates. */
    @Benchmark
    public byte[] sha256() {
        for (int off = 0; off < data.length; off += UPDATE_SIZE) {
            digest.update(data, off, Math.min(UPDATE_SIZE, data.length - off));
        }
        return digest.digest();
    }

    /** FastCDC cut points only. */
    @Benchmark
    public long fastCdcBoundaries() {
        long checksum = 0;
        for (int off = 0; off < data.length; ) {
            int length = fastCdc.nextBoundary(data, off, data.length - off);
            checksum = checksum * 31 + length;
            off += length;
        }
        return checksum;
    }

    /** Chunk + hash: FastCDC, each chunk's SHA-256 (its block id) taken as soon as its end is found. */
    @Benchmark
    public void fastCdcSha256(Blackhole blackhole) {
        chunkAndHash(fastCdc, blackhole, null);
    }

    /** The seed design: fixed 4 MiB blocks, each hashed. */
    @Benchmark
    public void fixed4MiBSha256(Blackhole blackhole) {
        chunkAndHash(fixed, blackhole, null);
    }

    /** What the upload path does: FastCDC, block ids, and Dropbox's content hash of the whole file. */
    @Benchmark
    public void fastCdcSha256ContentHash(Blackhole blackhole) {
        ContentHasher contentHasher = new ContentHasher();
        chunkAndHash(fastCdc, blackhole, contentHasher);
        blackhole.consume(contentHasher.hexDigest());
    }

    private void chunkAndHash(Chunker chunker, Blackhole blackhole, ContentHasher contentHasher) {
        for (int off = 0; off < data.length; ) {
            int length = chunker.nextBoundary(data, off, data.length - off);
            digest.update(data, off, length);
            blackhole.consume(digest.digest());
            if (contentHasher != null) {
                contentHasher.update(data, off, length);
            }
            off += length;
        }
    }
}

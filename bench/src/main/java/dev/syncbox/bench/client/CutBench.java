package dev.syncbox.bench.client;

import dev.syncbox.core.chunk.ChunkedDigest;
import dev.syncbox.core.chunk.Chunker;
import dev.syncbox.core.chunk.ChunkingSpec;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;

/**
 * (e) What the client does to a file before an upload — FastCDC blocks, each block's SHA-256 and the whole file's
 * Dropbox {@code content_hash}, in one read on at most two threads — against plain SHA-256 of the same file (one
 * thread, 1 MiB reads), both from the page cache. Best of five runs each, interleaved. The cuts alone say how much
 * room the reader has: it reads and cuts while the hashing is shared, so it holds the two threads back only where
 * cutting is slower than SHA-256.
 *
 * <p>Usage: {@code CutBench [size-MiB]} (default 1024)
 */
public final class CutBench {

    public static void main(String[] args) throws Exception {
        long size = (args.length > 0 ? Long.parseLong(args[0]) : 1024) * 1024 * 1024;
        Path file = Files.createTempFile("syncbox-cut-bench", ".bin");
        try {
            Random random = new Random(3);
            byte[] buffer = new byte[1024 * 1024];
            try (OutputStream out = Files.newOutputStream(file)) {
                for (long written = 0; written < size; written += buffer.length) {
                    random.nextBytes(buffer);
                    out.write(buffer);
                }
            }
            Chunker chunker = Chunker.of(ChunkingSpec.fastCdcDefault());
            double sha = 0;
            double cut = 0;
            double oneThread = 0;
            double blocksOnly = 0;
            double cutsAlone = 0;
            for (int run = 0; run < 5; run++) {
                sha = Math.max(sha, mbPerSecond(size, () -> plainSha256(file)));
                cut = Math.max(cut, mbPerSecond(size, () -> {
                    try (InputStream in = Files.newInputStream(file)) {
                        ChunkedDigest.of(in, chunker, size);
                    }
                }));
                blocksOnly = Math.max(blocksOnly, mbPerSecond(size, () -> {
                    try (InputStream in = Files.newInputStream(file)) {
                        ChunkedDigest.blocks(in, chunker, size);
                    }
                }));
                cutsAlone = Math.max(cutsAlone, mbPerSecond(size, () -> {
                    try (InputStream in = Files.newInputStream(file)) {
                        chunker.chunk(in, (buf, off, len) -> {});
                    }
                }));
                oneThread = Math.max(oneThread, mbPerSecond(size, () -> {
                    try (InputStream in = Files.newInputStream(file)) {
                        ChunkedDigest.of(in, chunker, 0);
                    }
                }));
            }
            System.out.printf("%n(e) chunk + hash of a %d MiB file (page cache), best of 5%n%n", size >> 20);
            System.out.println("| what | MB/s | vs plain SHA-256 |");
            System.out.println("|---|---:|---:|");
            System.out.printf("| plain SHA-256, one thread | %.0f | 1.00 |%n", sha);
            System.out.printf(
                    "| chunk + hash: FastCDC blocks and their SHA-256 ids, two threads | %.0f | %.2f |%n",
                    blocksOnly, blocksOnly / sha);
            System.out.printf(
                    "| the same and the Dropbox content_hash (a second SHA-256 pass), two threads | %.0f | %.2f |%n",
                    cut, cut / sha);
            System.out.printf(
                    "| blocks, ids and content_hash on one thread | %.0f | %.2f |%n", oneThread, oneThread / sha);
            System.out.printf(
                    "| the FastCDC cuts alone (read and scan, no hashing), one thread | %.0f | %.2f |%n",
                    cutsAlone, cutsAlone / sha);
            System.out.printf("%ntarget >= 0.90 (chunk + hash): %s%n", blocksOnly / sha >= 0.9 ? "met" : "not met");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    interface Work {
        void run() throws Exception;
    }

    private static double mbPerSecond(long size, Work work) throws Exception {
        long start = System.nanoTime();
        work.run();
        return size / 1e6 / ((System.nanoTime() - start) / 1e9);
    }

    private static void plainSha256(Path file) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1024 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        sha.digest();
    }
}

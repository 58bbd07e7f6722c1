package dev.syncbox.bench.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.SplittableRandom;

/** The random test file, written and compared in 1 MiB pieces: the tool's memory does not grow with the size. */
final class Payload {

    private static final int PIECE = 1 << 20;

    private Payload() {}

    /** Writes {@code size} fresh random bytes: a new seed each time, so nothing deduplicates against an earlier round. */
    static void write(Path file, long size, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        ByteBuffer piece = ByteBuffer.allocate(PIECE);
        try (FileChannel out = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long left = size; left > 0; ) {
                piece.clear();
                int n = (int) Math.min(PIECE, left);
                while (piece.position() + Long.BYTES <= n) {
                    piece.putLong(random.nextLong());
                }
                while (piece.position() < n) {
                    piece.put((byte) random.nextInt());
                }
                piece.flip();
                while (piece.hasRemaining()) {
                    out.write(piece);
                }
                left -= n;
            }
        }
    }

    /** Reads {@code in} to its end, failing at the first byte that differs from {@code file}. */
    static long compare(InputStream in, Path file) throws IOException {
        byte[] got = new byte[PIECE];
        ByteBuffer want = ByteBuffer.allocate(PIECE);
        long total = 0;
        try (FileChannel expected = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int n = in.readNBytes(got, 0, PIECE); n > 0; n = in.readNBytes(got, 0, PIECE)) {
                want.clear().limit(n);
                while (want.hasRemaining() && expected.read(want) >= 0) {}
                if (want.position() != n || Arrays.mismatch(got, 0, n, want.array(), 0, n) >= 0) {
                    throw new IllegalStateException("downloaded bytes differ from the upload near offset " + total);
                }
                total += n;
            }
            if (total != expected.size()) {
                throw new IllegalStateException("downloaded " + total + " bytes of " + expected.size());
            }
        }
        return total;
    }
}

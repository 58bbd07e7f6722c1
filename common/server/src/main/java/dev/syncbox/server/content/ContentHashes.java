package dev.syncbox.server.content;

import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.core.hash.Hex;
import dev.syncbox.core.hash.Sha256;
import dev.syncbox.server.content.ContentReader.BlockSpan;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Dropbox content hashes of versions assembled from blocks. A version keeps the SHA-256 of each 4 MiB
 * window; a new version built from a reference version re-reads from the store only the windows
 * whose bytes may differ: those not inside the blocks both layouts share at the same offsets. A
 * window that is exactly one block is never read: its digest is the block's id (a small file, or
 * fixed 4 MiB blocks, commit without reading anything back).
 */
@Component
public class ContentHashes {

    private static final int WINDOW = ContentHasher.BLOCK_SIZE;
    private static final int DIGEST = Sha256.DIGEST_LENGTH;

    private final ContentReader reader;

    ContentHashes(ContentReader reader) {
        this.reader = reader;
    }

    /**
     * The window digests of {@code layout}, reusing {@code referenceWindows} (the digests of {@code
     * reference}) where the bytes are provably the same. {@code reference} may be empty.
     */
    public byte[] windows(List<BlockSpan> layout, List<BlockSpan> reference, byte[] referenceWindows) {
        long size = size(layout);
        long referenceSize = size(reference);
        int count = (int) ((size + WINDOW - 1) / WINDOW);
        byte[] out = new byte[count * DIGEST];
        long samePrefix = referenceWindows == null ? 0 : commonPrefix(layout, reference);
        long sameSuffixFrom = referenceWindows == null || size != referenceSize
                ? Long.MAX_VALUE
                : commonSuffixStart(layout, reference);
        int block = 0;
        for (int w = 0; w < count; w++) {
            long start = (long) w * WINDOW;
            long end = Math.min(start + WINDOW, size);
            // A reference digest covers the reference's window: reusable only where that window ends
            // where ours does (a shortened file's last window is shorter than the parent's).
            boolean sameExtent = Math.min(start + WINDOW, referenceSize) == end;
            boolean reusable = sameExtent
                    && (end <= samePrefix || start >= sameSuffixFrom)
                    && referenceWindows.length >= (w + 1) * DIGEST;
            while (block < layout.size()
                    && layout.get(block).offset() + layout.get(block).size() <= start) {
                block++;
            }
            if (reusable) {
                System.arraycopy(referenceWindows, w * DIGEST, out, w * DIGEST, DIGEST);
            } else if (block < layout.size()
                    && layout.get(block).offset() == start
                    && layout.get(block).size() == end - start) {
                // A window that is exactly one block: a block's id is the SHA-256 of its bytes.
                System.arraycopy(Hex.decode(layout.get(block).blockId()), 0, out, w * DIGEST, DIGEST);
            } else {
                System.arraycopy(hash(layout, start, end - 1), 0, out, w * DIGEST, DIGEST);
            }
        }
        return out;
    }

    /** The window digests of {@code layout}, reading every byte. */
    public byte[] windows(List<BlockSpan> layout) {
        return windows(layout, List.of(), null);
    }

    /** True when every 4 MiB window is exactly one block, so {@link #windows} reads nothing. */
    public static boolean wholeBlockWindows(List<BlockSpan> layout) {
        for (int i = 0; i < layout.size(); i++) {
            BlockSpan span = layout.get(i);
            boolean last = i == layout.size() - 1;
            if (span.offset() != (long) i * WINDOW || (last ? span.size() > WINDOW : span.size() != WINDOW)) {
                return false;
            }
        }
        return true;
    }

    private byte[] hash(List<BlockSpan> layout, long first, long last) {
        MessageDigest sha = Sha256.newDigest();
        try {
            reader.write(layout, first, last, new DigestSink(sha));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sha.digest();
    }

    static long size(List<BlockSpan> layout) {
        return layout.isEmpty()
                ? 0
                : layout.get(layout.size() - 1).offset()
                        + layout.get(layout.size() - 1).size();
    }

    /** Bytes from the start covered by the same blocks at the same offsets in both layouts. */
    static long commonPrefix(List<BlockSpan> a, List<BlockSpan> b) {
        long end = 0;
        for (int i = 0; i < Math.min(a.size(), b.size()) && a.get(i).equals(b.get(i)); i++) {
            end = a.get(i).offset() + a.get(i).size();
        }
        return end;
    }

    /** For layouts of equal size: where the run of identical trailing blocks starts. */
    static long commonSuffixStart(List<BlockSpan> a, List<BlockSpan> b) {
        long start = size(a);
        for (int i = a.size() - 1, j = b.size() - 1;
                i >= 0 && j >= 0 && a.get(i).equals(b.get(j));
                i--, j--) {
            start = a.get(i).offset();
        }
        return start;
    }

    /** Feeds written bytes to a digest. */
    private static final class DigestSink extends OutputStream {

        private final MessageDigest sha;

        DigestSink(MessageDigest sha) {
            this.sha = sha;
        }

        @Override
        public void write(int b) {
            sha.update((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            sha.update(b, off, len);
        }
    }
}

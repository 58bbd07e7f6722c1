package dev.syncbox.core.hash;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;

/**
 * Dropbox's {@code content_hash}, computed while streaming: the input is cut into 4 MiB blocks, each block is
 * SHA-256'd, and the result is the SHA-256 of the concatenated block digests, in lowercase hex. The value depends only
 * on the bytes, never on how they are sliced into {@link #update} calls, and no block is held in memory.
 */
public final class ContentHasher {

    /** Dropbox's block size for {@code content_hash}: 4 MiB, unrelated to how syncbox chunks for storage. */
    public static final int BLOCK_SIZE = 4 * 1024 * 1024;

    private final MessageDigest blockDigest = Sha256.newDigest();
    private final MessageDigest overallDigest = Sha256.newDigest();
    private final ByteArrayOutputStream windowDigests = new ByteArrayOutputStream();
    private int bytesInBlock;
    private long size;
    private String result;

    public void update(byte[] b) {
        update(b, 0, b.length);
    }

    public void update(byte[] b, int off, int len) {
        if (result != null) {
            throw new IllegalStateException("hexDigest() was already called");
        }
        Objects.checkFromIndexSize(off, len, b.length);
        size += len;
        while (len > 0) {
            int n = Math.min(len, BLOCK_SIZE - bytesInBlock);
            blockDigest.update(b, off, n);
            bytesInBlock += n;
            off += n;
            len -= n;
            if (bytesInBlock == BLOCK_SIZE) {
                finishBlock();
            }
        }
    }

    /** Finishes hashing and returns the content hash; later calls return the same value. */
    public String hexDigest() {
        if (result == null) {
            if (bytesInBlock > 0) {
                finishBlock();
            }
            result = Hex.encode(overallDigest.digest());
        }
        return result;
    }

    /**
     * The SHA-256 of each 4 MiB block, concatenated (32 bytes a block); finishes hashing like {@link
     * #hexDigest()}. Kept per version so a later version only re-hashes the blocks an edit touched.
     */
    public byte[] blockDigests() {
        hexDigest();
        return windowDigests.toByteArray();
    }

    /** The content hash from {@link #blockDigests()}-style concatenated digests. */
    public static String ofConcatenatedDigests(byte[] digests) {
        if (digests.length % Sha256.DIGEST_LENGTH != 0) {
            throw new IllegalArgumentException("block digests come in 32-byte units, got " + digests.length + " bytes");
        }
        return Hex.encode(Sha256.newDigest().digest(digests));
    }

    /** The number of bytes seen so far. */
    public long size() {
        return size;
    }

    public static String of(byte[] data) {
        ContentHasher hasher = new ContentHasher();
        hasher.update(data);
        return hasher.hexDigest();
    }

    /** The content hash of a file whose 4 MiB blocks have these SHA-256 digests, in order. */
    public static String ofBlockDigests(List<byte[]> digests) {
        MessageDigest overall = Sha256.newDigest();
        for (byte[] digest : digests) {
            if (digest.length != Sha256.DIGEST_LENGTH) {
                throw new IllegalArgumentException("a block digest is 32 bytes, got " + digest.length);
            }
            overall.update(digest);
        }
        return Hex.encode(overall.digest());
    }

    private void finishBlock() {
        byte[] digest = blockDigest.digest();
        windowDigests.writeBytes(digest);
        overallDigest.update(digest);
        bytesInBlock = 0;
    }
}

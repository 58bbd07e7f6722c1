package dev.syncbox.upload.session;

import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.core.hash.Sha256;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;

/**
 * The content-hash state of a session between appends: digests of the completed 4 MiB windows, and
 * the bytes of the window in progress (a digest's internal state cannot be saved, its input can).
 */
final class HashWindows {

    private final ByteArrayOutputStream completed = new ByteArrayOutputStream();
    private final ByteArrayOutputStream window = new ByteArrayOutputStream();
    private final MessageDigest sha = Sha256.newDigest();

    HashWindows(byte[] completedDigests, byte[] windowTail) {
        completed.writeBytes(completedDigests);
        update(windowTail, 0, windowTail.length);
    }

    void update(byte[] b, int off, int len) {
        while (len > 0) {
            int n = Math.min(len, ContentHasher.BLOCK_SIZE - window.size());
            sha.update(b, off, n);
            window.write(b, off, n);
            off += n;
            len -= n;
            if (window.size() == ContentHasher.BLOCK_SIZE) {
                completed.writeBytes(sha.digest());
                window.reset();
            }
        }
    }

    byte[] completedDigests() {
        return completed.toByteArray();
    }

    byte[] windowTail() {
        return window.toByteArray();
    }

    /** All window digests, the one in progress included: the content is complete. */
    static byte[] finish(byte[] completedDigests, byte[] windowTail) {
        if (windowTail.length == 0) {
            return completedDigests;
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(completedDigests);
        all.writeBytes(Sha256.newDigest().digest(windowTail));
        return all.toByteArray();
    }
}

package dev.syncbox.client.sync;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** What the reconciler asks of the server. A refusal is a {@link Refused} with the problem's status and code. */
public interface RemoteSide {

    /**
     * What a commit did: the file and version written and where ({@code path}: a conflicted copy's own path when the
     * server kept the upload as a copy), the hash of the content read from the local file and uploaded, the local
     * file's inode, and {@code conflict} when the server did not simply take the upload (a copy, or a merge).
     */
    record Committed(String fileId, String path, String versionId, String contentHash, long inode, boolean conflict) {}

    /**
     * Uploads the local file at {@code path} and commits it on top of {@code parentVersionId} of {@code fileId} (both
     * null: a new file),
     * conflicts resolved by the server. The content committed is read once; a file that changes while it is read is
     * not committed ({@link Refused} with code {@code changed_while_reading}).
     */
    Committed upload(String path, String fileId, String parentVersionId) throws IOException;

    /**
     * One upload of {@link #uploadAll}: the local file at {@code path} on top of {@code parentVersionId}, with the
     * content hash the scan took of it when it noticed the change (null: not known).
     */
    record Upload(String path, String fileId, String parentVersionId, String contentHash) {
        public Upload(String path, String fileId, String parentVersionId) {
            this(path, fileId, parentVersionId, null);
        }
    }

    /**
     * As {@link #upload(String, String, String)}; a side that cuts files may take the scan's content hash instead of
     * hashing the file a second time.
     */
    default Committed upload(Upload u) throws IOException {
        return upload(u.path(), u.fileId(), u.parentVersionId());
    }

    /** What became of one upload of {@link #uploadAll}: committed, or failed and why. */
    record Uploaded(Committed committed, IOException failure) {}

    /**
     * Uploads many files, each exactly as {@link #upload} would, and answers for each in the order given. One that
     * fails does not stop the others. This one sends them one at a time; a server with batch requests does better.
     */
    default List<Uploaded> uploadAll(List<Upload> uploads) {
        List<Uploaded> done = new ArrayList<>(uploads.size());
        for (Upload u : uploads) {
            try {
                done.add(new Uploaded(upload(u), null));
            } catch (IOException e) {
                done.add(new Uploaded(null, e));
            }
        }
        return done;
    }

    /** Makes the folder; returns its file id. */
    String mkdir(String path) throws IOException;

    void move(String fileId, String toPath) throws IOException;

    void delete(String fileId) throws IOException;

    /**
     * Leaves the share of {@code fileId} if it is an item shared with this user (it stays its owner's and everyone
     * else's); answers whether it was one.
     */
    boolean leave(String fileId) throws IOException;

    /** A problem answer of the server, or a local reason not to go on. */
    final class Refused extends IOException {
        private final int status;
        private final String code;

        public Refused(int status, String code, String detail) {
            super(code + (detail == null ? "" : ": " + detail));
            this.status = status;
            this.code = code;
        }

        public int status() {
            return status;
        }

        public String code() {
            return code;
        }
    }
}

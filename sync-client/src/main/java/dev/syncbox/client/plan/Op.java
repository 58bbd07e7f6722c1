package dev.syncbox.client.plan;

/** One step of a plan. Paths are the folder-relative paths of the server ("/a/b.txt"). */
public sealed interface Op {

    /** A local file the server does not know yet. */
    record UploadNew(String path, String contentHash) implements Op {
        @Override
        public String subject() {
            return path;
        }
    }

    /** A new local version of a synced file, committed on top of the version both sides last agreed on. */
    record UploadChange(String fileId, String path, String parentVersionId, String contentHash) implements Op {
        @Override
        public String subject() {
            return path;
        }
    }

    record RemoteMkdir(String path) implements Op {
        @Override
        public String subject() {
            return path;
        }
    }

    /** Moves the entry (with everything under it) on the server. */
    record RemoteMove(String fileId, String toPath) implements Op {
        @Override
        public String subject() {
            return toPath;
        }
    }

    record RemoteDelete(String fileId, String path) implements Op {
        @Override
        public String subject() {
            return path;
        }
    }

    /**
     * Writes the version's content ({@code size} bytes) at {@code path}, replacing the local file of content hash
     * {@code replacing} (null: the path is free), and only that: anything else found there is left alone.
     */
    record Download(String fileId, String path, String versionId, String contentHash, long size, String replacing)
            implements Op {
        @Override
        public String subject() {
            return path;
        }
    }

    record LocalMkdir(String fileId, String path) implements Op {
        @Override
        public String subject() {
            return path;
        }
    }

    /** Moves the local entry at {@code fromPath} (with everything under it) to {@code toPath}. */
    record LocalMove(String fileId, String fromPath, String toPath) implements Op {
        @Override
        public String subject() {
            return toPath;
        }
    }

    /** Removes the local entry (into the quarantine) if it is still what was synced. */
    record LocalDelete(String fileId, String path, String contentHash) implements Op {
        @Override
        public String subject() {
            return path;
        }
    }

    /** Moves an unsynced local entry out of the way of a remote one. */
    record LocalConflictRename(String path, String toPath) implements Op {
        @Override
        public String subject() {
            return toPath;
        }
    }

    /** Both sides already hold the same thing: record it as synced. */
    record Adopt(String fileId, String path, boolean dir, String versionId, String contentHash, long inode)
            implements Op {
        @Override
        public String subject() {
            return path;
        }
    }

    /** Drops the synced record of an entry gone from both sides (or to be sent again as new). */
    record Forget(String fileId) implements Op {
        @Override
        public String subject() {
            return fileId;
        }
    }

    /** The path the operation makes or changes, for ordering and reporting. */
    String subject();
}

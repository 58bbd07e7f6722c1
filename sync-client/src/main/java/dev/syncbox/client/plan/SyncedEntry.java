package dev.syncbox.client.plan;

/**
 * The last state both sides agreed on for one file id: where it was, which version, its content hash and the local
 * inode it had then (0 when unknown).
 */
public record SyncedEntry(String fileId, String path, boolean dir, String versionId, String contentHash, long inode) {

    public SyncedEntry withPath(String newPath) {
        return new SyncedEntry(fileId, newPath, dir, versionId, contentHash, inode);
    }
}

package dev.syncbox.client.sync;

import java.io.IOException;
import java.util.List;

/** What the reconciler does to the local folder. Every method leaves the folder whole if it fails. */
public interface LocalSide {

    /** What {@link #download} answers when the path no longer holds what the plan expected: nothing was written. */
    long CHANGED = -1;

    /**
     * Writes the version ({@code size} bytes) at {@code path} if the path still holds the file of content hash
     * {@code replacing} (which goes to the quarantine), or nothing when {@code replacing} is null; returns the new
     * inode, or {@link #CHANGED} (nothing written) when something else is there: a user's edit since the scan is never
     * overwritten.
     */
    long download(String fileId, String path, String versionId, String contentHash, long size, String replacing)
            throws IOException;

    /** A download {@link #fetchAhead} may start before {@link #download} asks for it. */
    record Fetch(String fileId, String path, String versionId, String contentHash, long size) {}

    /**
     * The downloads this pass will ask for, in the order it will: their content may be fetched ahead, in parallel,
     * into temporary files. Nothing in the folder changes until {@link #download}.
     */
    default void fetchAhead(List<Fetch> fetches) {}

    /** Drops whatever was fetched ahead and not asked for. */
    default void dropAhead() {}

    /** Makes the folder (and missing parents); returns its inode. */
    long mkdir(String path) throws IOException;

    /** Moves an entry with everything under it; false if the source is gone or the target taken. */
    boolean move(String fromPath, String toPath) throws IOException;

    /**
     * Moves the entry into the quarantine if it is still what was synced ({@code contentHash} for a file; a folder
     * only if nothing unsynced is left in it); false if it changed meanwhile.
     */
    boolean delete(String path, String contentHash) throws IOException;

    /** The inode of the entry at {@code path}, 0 if there is none. */
    long inode(String path) throws IOException;
}

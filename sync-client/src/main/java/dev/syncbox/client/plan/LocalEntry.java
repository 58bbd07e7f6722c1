package dev.syncbox.client.plan;

/** An entry found in the local folder. Files carry their content hash; folders none. */
public record LocalEntry(String path, boolean dir, long inode, String contentHash, long size) {}

package dev.syncbox.client.plan;

/** An entry as the server has it, from the change feed. Folders have no version or hash. */
public record RemoteEntry(String fileId, String path, boolean dir, String versionId, String contentHash, long size) {}

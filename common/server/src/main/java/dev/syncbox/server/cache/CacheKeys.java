package dev.syncbox.server.cache;

/** The seed's Redis key layout, in one place. */
public final class CacheKeys {

    private CacheKeys() {}

    public static String fileMetadata(String fileId) {
        return "file:" + fileId + ":metadata";
    }

    public static String block(String blockId) {
        return "block:" + blockId;
    }
}

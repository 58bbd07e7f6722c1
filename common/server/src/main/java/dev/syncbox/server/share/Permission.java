package dev.syncbox.server.share;

/** What a share allows. A folder's permission applies to everything under it. */
public enum Permission {
    READ,
    READ_WRITE;

    public boolean canWrite() {
        return this == READ_WRITE;
    }
}

package dev.syncbox.client.api;

/** Told how far a transfer of one file has come; called from the threads doing the transfers. */
public interface Progress {

    Progress NONE = (up, path, done, total) -> {};

    /** {@code done} of {@code total} bytes of the file at {@code path}, sent ({@code up}) or received. */
    void update(boolean up, String path, long done, long total);
}

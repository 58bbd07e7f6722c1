package dev.syncbox.sync.feed;

import java.util.List;

/**
 * A journal entry as a device sees it through what it does not have ({@link Hiding}). A move out of
 * hiding is a create — for a folder, a listing of it owed from here on — a move into hiding is a
 * delete of the old path, and a folder move that carries something hidden across is a delete plus a
 * listing of the new place: a rename would leave the device with what it must not have, or without
 * what it must.
 */
final class Visibility {

    /** What to send, and a folder (device path) to list once the journal is caught up, or null. */
    record Seen(List<Change> changes, String owed) {
        static final Seen NOTHING = new Seen(List.of(), null);
    }

    private Visibility() {}

    /** {@code change} is the entry after {@code position} in journal {@code namespace}. */
    static Seen of(Change change, Hiding hiding, long namespace, long position) {
        boolean hidden = hiding.hides(change.path(), namespace, position);
        if (!"MOVE".equals(change.operation())) {
            return hidden ? Seen.NOTHING : new Seen(List.of(change), null);
        }
        boolean wasHidden = hiding.hides(change.fromPath(), namespace, position);
        if (hidden && wasHidden) {
            return Seen.NOTHING;
        }
        if (hidden) {
            return new Seen(List.of(deleted(change)), null);
        }
        if (wasHidden) {
            return change.isDir() ? new Seen(List.of(), change.path()) : new Seen(List.of(created(change)), null);
        }
        if (change.isDir()
                && (hiding.hidesBelow(change.fromPath(), namespace, position)
                        || hiding.hidesBelow(change.path(), namespace, position))) {
            return new Seen(List.of(deleted(change)), change.path());
        }
        return new Seen(List.of(change), null);
    }

    private static Change deleted(Change move) {
        return new Change(
                move.fileId(), move.fromPath(), null, "DELETE", null, null, null, move.isDir(), move.timestamp());
    }

    private static Change created(Change move) {
        return new Change(
                move.fileId(),
                move.path(),
                null,
                "CREATE",
                move.versionId(),
                move.size(),
                move.contentHash(),
                move.isDir(),
                move.timestamp());
    }
}

package dev.syncbox.server.journal;

import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.share.SharedPaths;
import java.util.List;

/**
 * How one change of an owner's namespace reads in the journal of a shared item inside it: paths
 * relative to the item ("/" is the item itself), a move across the item's edge as a create or a
 * delete, and nothing for changes elsewhere or for moves of the item itself (a sharee's mount point
 * stays where it is when the owner renames or moves the shared folder).
 */
final class SharedJournal {

    /** A shared item: its namespace and its current path in the owner's namespace. */
    record Root(long namespaceId, String fileId, String path) {}

    /**
     * @param movedInFolder a folder (owner's path) moved in from outside, whose contents must follow
     */
    record Mirrored(List<JournalEntry> entries, String movedInFolder) {
        static final Mirrored NONE = new Mirrored(List.of(), null);
    }

    private SharedJournal() {}

    static Mirrored mirror(JournalEntry entry, Root root) {
        boolean inside = SharedPaths.within(entry.path(), root.path());
        if (entry.operation() != Operation.MOVE) {
            return inside ? one(entry.withPaths(relative(entry.path(), root), null)) : Mirrored.NONE;
        }
        if (entry.fileId().equals(root.fileId()) || (entry.isDir() && SharedPaths.within(root.path(), entry.path()))) {
            return Mirrored.NONE;
        }
        boolean wasInside = SharedPaths.within(entry.fromPath(), root.path());
        if (inside && wasInside) {
            return one(entry.withPaths(relative(entry.path(), root), relative(entry.fromPath(), root)));
        }
        if (inside) {
            return new Mirrored(
                    List.of(entry.as(Operation.CREATE, relative(entry.path(), root))),
                    entry.isDir() ? entry.path() : null);
        }
        if (wasInside) {
            return one(entry.as(Operation.DELETE, relative(entry.fromPath(), root)));
        }
        return Mirrored.NONE;
    }

    private static Mirrored one(JournalEntry entry) {
        return new Mirrored(List.of(entry), null);
    }

    private static String relative(String path, Root root) {
        return SharedPaths.rebase(path, root.path(), SyncPath.ROOT);
    }
}

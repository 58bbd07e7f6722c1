package dev.syncbox.sync.feed;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a device is in its feed. Opaque to clients: {@link CursorCodec} signs it.
 *
 * @param seq journal entries up to this sequence were delivered (during a snapshot: the journal head
 *     the snapshot was taken at)
 * @param snapshotAfter while the first complete listing is paged: the last path key sent, else null
 * @param includesDone the last selective-sync include fully delivered
 * @param includeId an include being delivered (0 if none), and {@code includeAfter} its last path key
 * @param mounts where the device is in each item shared with its user
 */
record Cursor(
        long userId,
        long namespaceId,
        long seq,
        String snapshotAfter,
        long includesDone,
        long includeId,
        String includeAfter,
        List<Mount> mounts) {

    /**
     * A shared item's feed, as for the root: a snapshot of its contents, then its journal.
     *
     * @param mountPath where the device was told the item is (a revoked share is deleted there)
     */
    record Mount(long namespaceId, long seq, String snapshotAfter, String mountPath, boolean dir) {

        boolean inSnapshot() {
            return snapshotAfter != null;
        }

        Mount withJournal(long newSeq) {
            return new Mount(namespaceId, newSeq, null, mountPath, dir);
        }

        Mount withSnapshotAfter(String key) {
            return new Mount(namespaceId, seq, key, mountPath, dir);
        }
    }

    Cursor {
        mounts = List.copyOf(mounts);
    }

    boolean inSnapshot() {
        return snapshotAfter != null;
    }

    Cursor withJournal(long newSeq) {
        return new Cursor(userId, namespaceId, newSeq, null, includesDone, 0, null, mounts);
    }

    Cursor withSnapshotAfter(String key) {
        return new Cursor(userId, namespaceId, seq, key, includesDone, 0, null, mounts);
    }

    Cursor withInclude(long id, String after) {
        return new Cursor(userId, namespaceId, seq, null, includesDone, id, after, mounts);
    }

    Cursor withIncludeDone(long id) {
        return new Cursor(userId, namespaceId, seq, null, id, 0, null, mounts);
    }

    /** This cursor with {@code mount} added or replaced (by namespace). */
    Cursor withMount(Mount mount) {
        List<Mount> next = new ArrayList<>(mounts.stream()
                .filter(m -> m.namespaceId() != mount.namespaceId())
                .toList());
        next.add(mount);
        return withMounts(next);
    }

    Cursor withMounts(List<Mount> next) {
        return new Cursor(userId, namespaceId, seq, snapshotAfter, includesDone, includeId, includeAfter, next);
    }
}

package dev.syncbox.sync.feed;

/**
 * Where a device is in its feed. Opaque to clients: {@link CursorCodec} signs it.
 *
 * @param seq journal entries up to this sequence were delivered (during a snapshot: the journal head
 *     the snapshot was taken at)
 * @param snapshotAfter while the first complete listing is paged: the last path key sent, else null
 * @param includesDone the last selective-sync include fully delivered
 * @param includeId an include being delivered (0 if none), and {@code includeAfter} its last path key
 */
record Cursor(
        long userId,
        long namespaceId,
        long seq,
        String snapshotAfter,
        long includesDone,
        long includeId,
        String includeAfter) {

    boolean inSnapshot() {
        return snapshotAfter != null;
    }

    Cursor withJournal(long newSeq) {
        return new Cursor(userId, namespaceId, newSeq, null, includesDone, 0, null);
    }

    Cursor withSnapshotAfter(String key) {
        return new Cursor(userId, namespaceId, seq, key, includesDone, 0, null);
    }

    Cursor withInclude(long id, String after) {
        return new Cursor(userId, namespaceId, seq, null, includesDone, id, after);
    }

    Cursor withIncludeDone(long id) {
        return new Cursor(userId, namespaceId, seq, null, id, 0, null);
    }
}

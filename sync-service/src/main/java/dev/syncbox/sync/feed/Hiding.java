package dev.syncbox.sync.feed;

import dev.syncbox.server.metadata.PathKeys;
import java.util.ArrayList;
import java.util.List;

/**
 * What a device does not have: its excluded folders, and the folders whose contents it is owed as a
 * listing (included again, or moved into view) until that listing is taken. Both are path keys of
 * the device's tree, matched with their subtrees.
 *
 * @param pending includes not yet delivered, by id
 */
record Hiding(Exclusions exclusions, List<Pending> pending) {

    /**
     * A folder owed as a listing.
     *
     * @param namespaceId for a folder moved into view: the journal it moved in, else null
     * @param afterSeq for a folder moved into view: the entry that moved it (hidden in that journal's
     *     states from there on), else null (a folder included again: hidden everywhere)
     */
    record Pending(long id, Long namespaceId, Long afterSeq, String key) {

        boolean appliesAt(long namespace, long position) {
            return afterSeq == null || (namespaceId == namespace && position >= afterSeq);
        }
    }

    Hiding {
        pending = List.copyOf(pending);
    }

    /** Whether {@code path}, in the state of journal {@code namespace} at {@code position}, is hidden. */
    boolean hides(String path, long namespace, long position) {
        if (exclusions.excludes(path)) {
            return true;
        }
        String key = PathKeys.of(path);
        for (Pending p : pending) {
            if (p.appliesAt(namespace, position) && within(key, p.key())) {
                return true;
            }
        }
        return false;
    }

    /** Whether something strictly under {@code path} is hidden (then a move of it is not a plain rename). */
    boolean hidesBelow(String path, long namespace, long position) {
        String prefix = PathKeys.of(path) + "/";
        for (String excluded : exclusions.keys()) {
            if (excluded.startsWith(prefix)) {
                return true;
            }
        }
        for (Pending p : pending) {
            if (p.appliesAt(namespace, position) && p.key().startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    Hiding with(Pending more) {
        List<Pending> next = new ArrayList<>(pending);
        next.add(more);
        return new Hiding(exclusions, next);
    }

    /** The hiding for listing include {@code id}: it is no longer owed, the later ones still are. */
    Hiding after(long id) {
        return new Hiding(exclusions, pending.stream().filter(p -> p.id() > id).toList());
    }

    private static boolean within(String key, String folder) {
        return key.equals(folder) || key.startsWith(folder + "/");
    }
}

package dev.syncbox.sync.feed;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a device is in its feed. Opaque to clients: {@link CursorCodec} signs it.
 *
 * @param seq journal entries up to this sequence were delivered (while the first listing is paged:
 *     the journal position the listing was taken at)
 * @param listing the first complete listing while it is paged, else null
 * @param includesDone the last selective-sync include fully delivered
 * @param include an include whose listing is being paged, else null
 * @param mounts where the device is in each item shared with its user
 */
record Cursor(
        long userId,
        long namespaceId,
        long seq,
        Listing listing,
        long includesDone,
        Include include,
        List<Mount> mounts) {

    /** A stored listing being paged: its id and the last ordinal delivered from it. */
    record Listing(long id, long after) {}

    /** A folder included again (or moved into view), listed at the position of its journal. */
    record Include(long id, Listing listing) {}

    /**
     * A shared item's feed, as for the root: a listing of its contents, then its journal.
     *
     * @param mountPath where the device was told the item is (a revoked share is deleted there)
     */
    record Mount(long namespaceId, long seq, Listing listing, String mountPath, boolean dir) {

        Mount withJournal(long newSeq) {
            return new Mount(namespaceId, newSeq, null, mountPath, dir);
        }

        Mount withListing(Listing next) {
            return new Mount(namespaceId, seq, next, mountPath, dir);
        }
    }

    Cursor {
        mounts = List.copyOf(mounts);
    }

    Cursor withJournal(long newSeq) {
        return new Cursor(userId, namespaceId, newSeq, null, includesDone, include, mounts);
    }

    Cursor withListing(Listing next) {
        return new Cursor(userId, namespaceId, seq, next, includesDone, include, mounts);
    }

    Cursor withInclude(Include next) {
        return new Cursor(userId, namespaceId, seq, listing, includesDone, next, mounts);
    }

    Cursor withIncludeDone(long id) {
        return new Cursor(userId, namespaceId, seq, listing, id, null, mounts);
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
        return new Cursor(userId, namespaceId, seq, listing, includesDone, include, next);
    }

    /** The item shared at this namespace, if the cursor follows it. */
    Mount mount(long mountNamespaceId) {
        return mounts.stream()
                .filter(m -> m.namespaceId() == mountNamespaceId)
                .findFirst()
                .orElse(null);
    }

    /** Every stored listing this cursor pages (root, include, shared items). */
    List<Long> listingIds() {
        List<Long> ids = new ArrayList<>();
        if (listing != null) {
            ids.add(listing.id());
        }
        if (include != null) {
            ids.add(include.listing().id());
        }
        mounts.stream()
                .filter(m -> m.listing() != null)
                .forEach(m -> ids.add(m.listing().id()));
        return ids;
    }
}

package dev.syncbox.sync.feed;

import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.share.SharedPaths;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.web.CurrentUser;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Folders owed to a device as listings, one at a time in id order. The journal the folder belongs to
 * (the root's or a shared item's) is first delivered up to its head with the folder still hidden;
 * then, in the same transaction, the folder is listed at exactly that head, and that journal goes on
 * from there with the folder in view. So what the device had, plus the listing, is the state at that
 * position, whatever moved, was renamed, deleted or restored meanwhile.
 */
@Component
class IncludeFeed {

    /** The journal an owed folder belongs to; {@code mount} is null for the user's root. */
    private record Target(Listings.Stream stream, Cursor.Mount mount, Listings.Source source) {}

    private final Listings listings;
    private final JournalPages journal;
    private final MountFeeds mounts;

    IncludeFeed(Listings listings, JournalPages journal, MountFeeds mounts) {
        this.listings = listings;
        this.journal = journal;
        this.mounts = mounts;
    }

    /** The next page of the include being listed. */
    ChangeFeed.Step page(Cursor cursor, Hiding hiding, int limit) {
        Cursor.Include include = cursor.include();
        long namespaceId = listings.namespaceOf(include.listing().id()).orElseThrow(ChangeFeed::reset);
        Listings.Stream stream = null;
        if (namespaceId == cursor.namespaceId()) {
            stream = new Listings.Stream(namespaceId, cursor.seq(), SyncPath.ROOT);
        } else if (cursor.mount(namespaceId) != null) {
            Cursor.Mount mount = cursor.mount(namespaceId);
            stream = new Listings.Stream(namespaceId, mount.seq(), mount.mountPath());
        }
        if (stream == null) {
            // The shared item it was in is no longer followed: nothing more is owed there.
            return new ChangeFeed.Step(List.of(), cursor.withIncludeDone(include.id()), true);
        }
        Listings.Served served = listings.serve(include.listing(), stream, hiding.after(include.id()), limit);
        return new ChangeFeed.Step(served.changes(), finished(cursor, include.id(), served), true);
    }

    /** The first owed folder: its journal caught up, then its listing taken at exactly that head. */
    ChangeFeed.Step next(CurrentUser user, Cursor cursor, Hiding hiding, List<Sharing.Mounted> live, int limit) {
        Hiding.Pending owed = hiding.pending().get(0);
        Target target = target(owed, cursor, live);
        if (target == null) {
            return new ChangeFeed.Step(List.of(), cursor.withIncludeDone(owed.id()), true);
        }
        if (target.mount() != null && target.mount().listing() != null) {
            // The shared item's own snapshot first (the folder is hidden in it), then the rest.
            return mounts.serve(cursor, target.mount(), hiding, limit);
        }
        JournalPages.Read read = journal.read(user.deviceId(), target.stream(), hiding, limit);
        Cursor next = target.mount() == null
                ? cursor.withJournal(read.last())
                : cursor.withMount(target.mount().withJournal(read.last()));
        if (read.more()) {
            return new ChangeFeed.Step(read.changes(), next, true);
        }
        Listings.Stream at = new Listings.Stream(
                target.stream().namespaceId(), read.last(), target.stream().mountPath());
        Listings.Served served = listings.start(
                at,
                target.source(),
                read.hiding().after(owed.id()),
                limit - read.changes().size());
        List<Change> changes = new ArrayList<>(read.changes());
        changes.addAll(served.changes());
        return new ChangeFeed.Step(changes, finished(next, owed.id(), served), true);
    }

    private static Cursor finished(Cursor cursor, long includeId, Listings.Served served) {
        return served.next() == null
                ? cursor.withIncludeDone(includeId)
                : cursor.withInclude(new Cursor.Include(includeId, served.next()));
    }

    /**
     * Where an owed folder is: a folder moved into view belongs to the journal it moved in; a folder
     * included again to the shared item its path is under, else the root. Null when there is nothing
     * to list: the shared item is no longer followed, or is new and its first listing has it anyway.
     */
    private Target target(Hiding.Pending owed, Cursor cursor, List<Sharing.Mounted> live) {
        for (Sharing.Mounted m : live) {
            String mountPath = m.grant().mountPath();
            boolean movedInHere =
                    owed.afterSeq() != null && owed.namespaceId() == m.grant().namespaceId();
            boolean under = owed.afterSeq() == null && within(owed.key(), PathKeys.of(mountPath));
            if (!movedInHere && !under) {
                continue;
            }
            Cursor.Mount mount = cursor.mount(m.grant().namespaceId());
            MountFeeds.ItemRoot root = mounts.itemRoot(m.grant());
            if (mount == null || !mount.mountPath().equals(mountPath) || root == null) {
                return null;
            }
            String ownerKey = SharedPaths.rebase(owed.key(), PathKeys.of(mountPath), PathKeys.of(root.path()));
            return new Target(
                    new Listings.Stream(mount.namespaceId(), mount.seq(), mountPath),
                    mount,
                    new Listings.Source(root.namespaceId(), ownerKey, root.path()));
        }
        if (owed.afterSeq() != null && owed.namespaceId() != cursor.namespaceId()) {
            return null;
        }
        return new Target(
                new Listings.Stream(cursor.namespaceId(), cursor.seq(), SyncPath.ROOT),
                null,
                new Listings.Source(cursor.namespaceId(), owed.key(), SyncPath.ROOT));
    }

    private static boolean within(String key, String folder) {
        return key.equals(folder) || key.startsWith(folder + "/");
    }
}

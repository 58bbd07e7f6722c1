package dev.syncbox.sync.feed;

import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.share.Grant;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.web.CurrentUser;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The part of a device's feed that comes from items shared with its user (docs/sharing.md). Each
 * shared item is a namespace with its own journal, paths relative to the item: a new share is sent
 * as a listing of the item's contents at the mount point, taken at the item's journal head in the
 * page's snapshot, then its journal follows from that head; a share that ended (revoked, left, or the
 * item deleted) is sent as a delete of the mount point.
 */
@Component
class MountFeeds {

    /** A shared item's row as of the page's snapshot. */
    record ItemRoot(long namespaceId, String path) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final JournalHeads journalHeads;
    private final Listings listings;
    private final JournalPages journal;

    MountFeeds(JdbcTemplate jdbc, Clock clock, JournalHeads journalHeads, Listings listings, JournalPages journal) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.journalHeads = journalHeads;
        this.listings = listings;
        this.journal = journal;
    }

    private String rootFileId(long namespaceId) {
        return jdbc.queryForObject(
                "SELECT root_file_id FROM namespaces WHERE namespace_id = ?", String.class, namespaceId);
    }

    /** The shared item's namespace and path in this transaction's snapshot; null if it is gone. */
    ItemRoot itemRoot(Grant grant) {
        return jdbc
                .query(
                        "SELECT namespace_id, file_path FROM files WHERE namespace_id = ? AND file_id = ?"
                                + " AND NOT is_deleted",
                        (rs, n) -> new ItemRoot(rs.getLong(1), rs.getString(2)),
                        grant.ownerNamespaceId(),
                        grant.rootFileId())
                .stream()
                .findFirst()
                .orElse(null);
    }

    /** Whether a shared item has something this cursor has not delivered. */
    boolean pending(List<Sharing.Mounted> live, Cursor cursor) {
        Map<Long, Cursor.Mount> known = byNamespace(cursor);
        if (live.size() != known.size()) {
            return true;
        }
        Map<Long, Long> heads = heads(live);
        for (Sharing.Mounted m : live) {
            Cursor.Mount at = known.get(m.grant().namespaceId());
            if (at == null
                    || !at.mountPath().equals(m.grant().mountPath())
                    || at.listing() != null
                    || heads.getOrDefault(m.grant().namespaceId(), 0L) > at.seq()) {
                return true;
            }
        }
        return false;
    }

    /** The next page from shared items: ended shares first, then the first item with news. */
    ChangeFeed.Step step(CurrentUser user, List<Sharing.Mounted> live, Cursor cursor, Hiding hiding, int limit) {
        List<Change> ended = new ArrayList<>();
        List<Cursor.Mount> kept = new ArrayList<>();
        for (Cursor.Mount at : cursor.mounts()) {
            boolean stillThere = live.stream()
                    .anyMatch(m -> m.grant().namespaceId() == at.namespaceId()
                            && m.grant().mountPath().equals(at.mountPath()));
            if (stillThere) {
                kept.add(at);
            } else if (!hiding.exclusions().excludes(at.mountPath())) {
                ended.add(new Change(
                        rootFileId(at.namespaceId()),
                        at.mountPath(),
                        null,
                        "DELETE",
                        null,
                        null,
                        null,
                        at.dir(),
                        clock.instant()));
            }
        }
        if (kept.size() != cursor.mounts().size()) {
            return new ChangeFeed.Step(ended, cursor.withMounts(kept), true);
        }
        Map<Long, Cursor.Mount> known = byNamespace(cursor);
        Map<Long, Long> heads = heads(live);
        for (Sharing.Mounted m : live) {
            long namespaceId = m.grant().namespaceId();
            long head = heads.getOrDefault(namespaceId, 0L);
            Cursor.Mount at = known.get(namespaceId);
            if (at == null) {
                return start(cursor, m, head, hiding, limit);
            }
            if (at.listing() != null) {
                return serve(cursor, at, hiding, limit);
            }
            if (head > at.seq()) {
                JournalPages.Read read = journal.read(user.deviceId(), stream(at), hiding, limit);
                return new ChangeFeed.Step(read.changes(), cursor.withMount(at.withJournal(read.last())), true);
            }
        }
        return new ChangeFeed.Step(List.of(), cursor, false);
    }

    /** A new share: the item's contents listed at its journal head, read in this snapshot. */
    private ChangeFeed.Step start(Cursor cursor, Sharing.Mounted m, long head, Hiding hiding, int limit) {
        Cursor.Mount at = new Cursor.Mount(
                m.grant().namespaceId(),
                head,
                null,
                m.grant().mountPath(),
                m.grant().dir());
        ItemRoot root = itemRoot(m.grant());
        if (root == null) {
            // Deleted since the grants were read: its journal (or the ended share) says so next.
            return new ChangeFeed.Step(List.of(), cursor.withMount(at), true);
        }
        Listings.Served served = listings.start(
                stream(at),
                new Listings.Source(root.namespaceId(), PathKeys.of(root.path()), root.path()),
                hiding,
                limit);
        return new ChangeFeed.Step(served.changes(), cursor.withMount(at.withListing(served.next())), true);
    }

    /** The next page of a shared item's listing. */
    ChangeFeed.Step serve(Cursor cursor, Cursor.Mount at, Hiding hiding, int limit) {
        Listings.Served served = listings.serve(at.listing(), stream(at), hiding, limit);
        return new ChangeFeed.Step(served.changes(), cursor.withMount(at.withListing(served.next())), true);
    }

    private static Listings.Stream stream(Cursor.Mount at) {
        return new Listings.Stream(at.namespaceId(), at.seq(), at.mountPath());
    }

    private static Map<Long, Cursor.Mount> byNamespace(Cursor cursor) {
        Map<Long, Cursor.Mount> known = new HashMap<>();
        cursor.mounts().forEach(m -> known.put(m.namespaceId(), m));
        return known;
    }

    private Map<Long, Long> heads(List<Sharing.Mounted> mounts) {
        return journalHeads.of(mounts.stream().map(m -> m.grant().namespaceId()).toList());
    }
}

package dev.syncbox.sync.feed;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.web.CurrentUser;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Pages of a device's feed. Without a cursor the feed starts with the complete state, listed at a
 * journal position, then follows the journal from exactly there; folders owed to the device (included
 * again, or moved into view) are listed once the journal is caught up; then what is shared with the
 * user. Every page reads in one REPEATABLE READ transaction, so each listing is consistent with the
 * journal head read beside it (docs/sync.md).
 */
@Service
class ChangeFeed {

    record Page(List<Change> changes, String nextCursor, boolean hasMore) {}

    /** One page before encoding. */
    record Step(List<Change> changes, Cursor next, boolean more) {}

    private final JdbcTemplate jdbc;
    private final CursorCodec codec;
    private final CursorLog cursorLog;
    private final SyncHealth health;
    private final Sharing sharing;
    private final MountFeeds mounts;
    private final IncludeFeed includeFeed;
    private final Includes includes;
    private final Listings listings;
    private final JournalPages journal;
    private final PageTransactions transactions;

    ChangeFeed(
            JdbcTemplate jdbc,
            CursorCodec codec,
            CursorLog cursorLog,
            SyncHealth health,
            Sharing sharing,
            MountFeeds mounts,
            IncludeFeed includeFeed,
            Includes includes,
            Listings listings,
            JournalPages journal,
            PageTransactions transactions) {
        this.jdbc = jdbc;
        this.codec = codec;
        this.cursorLog = cursorLog;
        this.health = health;
        this.sharing = sharing;
        this.mounts = mounts;
        this.includeFeed = includeFeed;
        this.includes = includes;
        this.listings = listings;
        this.journal = journal;
        this.transactions = transactions;
    }

    long rootNamespace(CurrentUser user) {
        return sharing.rootNamespace(user.userId());
    }

    /** The namespace and journal position a cursor stands at, checked for the caller. */
    Cursor open(CurrentUser user, String cursorText) {
        Cursor cursor = codec.decode(cursorText, user.userId());
        if (cursor.namespaceId() != rootNamespace(user) || cursor.seq() > head(cursor.namespaceId())) {
            throw reset();
        }
        return cursor;
    }

    /** Whether the device at this cursor has something to fetch: its listing, journal, owed folders or shares. */
    boolean behind(CurrentUser user, Cursor cursor) {
        return cursor.listing() != null
                || head(cursor.namespaceId()) > cursor.seq()
                || includesPending(user, cursor)
                || sharedPending(user, cursor);
    }

    /** Every namespace the user sees: their root, then each item shared with them. */
    List<Long> namespaces(CurrentUser user) {
        List<Long> namespaces = new ArrayList<>();
        namespaces.add(rootNamespace(user));
        sharing.mounts(user.userId()).stream()
                .map(m -> m.grant().namespaceId())
                .filter(id -> !namespaces.contains(id))
                .forEach(namespaces::add);
        return namespaces;
    }

    /** Whether something shared with the user is not yet delivered to this cursor. */
    boolean sharedPending(CurrentUser user, Cursor cursor) {
        return mounts.pending(sharing.mounts(user.userId()), cursor);
    }

    /** Whether a folder is owed to this cursor as a listing. */
    boolean includesPending(CurrentUser user, Cursor cursor) {
        return cursor.include() != null
                || !includes.pending(user.deviceId(), cursor.includesDone()).isEmpty();
    }

    long head(long namespaceId) {
        return jdbc.queryForObject("SELECT last_seq FROM namespaces WHERE namespace_id = ?", Long.class, namespaceId);
    }

    public Page page(CurrentUser user, String cursorText, int limit) {
        health.contact(user.userId(), user.deviceId(), cursorText);
        Cursor given = cursorText == null || cursorText.isBlank() ? null : codec.decode(cursorText, user.userId());
        // Grants are read before the snapshot: read inside it, a share committed meanwhile could be
        // cached as absent under the user's new permission generation.
        List<Sharing.Mounted> live = sharing.mounts(user.userId());
        // Includes the given cursor delivered are dropped after the page (if there are any).
        boolean[] forget = new boolean[1];
        long root = rootNamespace(user);
        Step step = transactions.snapshot(() -> {
            Includes.State device = includes.state(user.deviceId(), root);
            forget[0] = given != null && device.queuedUpTo(given.includesDone());
            return step(user, root, given, device, live, limit);
        });
        String next = codec.encode(step.next());
        List<Long> paging = step.next().listingIds();
        List<Long> finished = given == null
                ? List.of()
                : given.listingIds().stream().filter(id -> !paging.contains(id)).toList();
        if (!paging.isEmpty() || !finished.isEmpty() || forget[0]) {
            transactions.bookkeeping(() -> {
                listings.touch(paging, finished);
                if (forget[0]) {
                    includes.forget(user.deviceId(), given.includesDone());
                }
            });
        }
        if (!next.equals(cursorText)) {
            cursorLog.note(user.userId(), user.deviceId(), next);
        }
        health.handed(user.deviceId(), next);
        return new Page(step.changes(), next, step.more());
    }

    private Step step(
            CurrentUser user, long root, Cursor given, Includes.State device, List<Sharing.Mounted> live, int limit) {
        long head = device.head();
        Cursor cursor = given;
        if (cursor == null) {
            cursor = new Cursor(user.userId(), root, head, null, device.last(), null, List.of());
        } else if (cursor.namespaceId() != root || cursor.seq() > head || cursor.includesDone() < device.forgotten()) {
            throw reset();
        }
        Hiding hiding = new Hiding(
                Exclusions.of(device.excluded()), includes.pending(user.deviceId(), cursor.includesDone(), device));
        Listings.Stream stream = new Listings.Stream(root, cursor.seq(), SyncPath.ROOT);
        Step step;
        if (given == null) {
            Listings.Source everything = new Listings.Source(root, null, SyncPath.ROOT);
            step = listed(cursor, listings.start(stream, everything, hiding, limit), head, hiding);
        } else if (cursor.listing() != null) {
            step = listed(cursor, listings.serve(cursor.listing(), stream, hiding, limit), head, hiding);
        } else if (cursor.include() != null) {
            step = includeFeed.page(cursor, hiding, limit);
        } else if (!hiding.pending().isEmpty()) {
            step = includeFeed.next(user, cursor, hiding, live, limit);
        } else {
            JournalPages.Read read = journal.read(user.deviceId(), stream, hiding, limit);
            step = new Step(
                    read.changes(),
                    cursor.withJournal(read.last()),
                    read.more() || !read.hiding().pending().isEmpty());
        }
        if (!step.more()) {
            // The root is caught up: then what is shared with the user, one item at a time.
            step = step.changes().isEmpty()
                    ? mounts.step(user, live, step.next(), hiding, limit)
                    : new Step(step.changes(), step.next(), mounts.pending(live, step.next()));
        }
        return step;
    }

    /** A page of the first listing; once it is done, the journal goes on from its position. */
    private static Step listed(Cursor cursor, Listings.Served served, long head, Hiding hiding) {
        boolean more = served.next() != null
                || head > cursor.seq()
                || !hiding.pending().isEmpty();
        return new Step(served.changes(), cursor.withListing(served.next()), more);
    }

    static SyncboxException reset() {
        return new SyncboxException(
                ErrorCode.RESET, "This cursor can no longer be served; list again without a cursor");
    }
}

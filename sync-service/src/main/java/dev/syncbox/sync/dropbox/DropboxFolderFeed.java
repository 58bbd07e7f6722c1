package dev.syncbox.sync.dropbox;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.dropbox.DropboxApiException;
import dev.syncbox.server.dropbox.DropboxWire;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.sync.dropbox.DropboxCursors.ListCursor;
import dev.syncbox.sync.dropbox.DropboxCursors.Stage;
import dev.syncbox.sync.dropbox.DropboxCursors.Stream;
import dev.syncbox.sync.feed.JournalHeads;
import dev.syncbox.sync.feed.PageTransactions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code files/list_folder} and its continuation over syncbox's journals. A cursor follows the user's root journal
 * and, when the scope holds mount points (the root), each shared item's journal, with the positions read in the same
 * snapshot as the first page; pages then come from what is left to list, then from the journals. O(changes) per
 * continue: one head query, one journal page and one batched row lookup per journal that moved.
 */
@Component
class DropboxFolderFeed {

    /** A page: entries, the cursor after it, whether more is there now. */
    record Page(List<Map<String, Object>> entries, String cursor, boolean hasMore) {}

    private final Sharing sharing;
    private final DropboxRows rows;
    private final DropboxStages stages;
    private final DropboxReplay replay;
    private final DropboxCursors cursors;
    private final JournalHeads heads;
    private final PageTransactions transactions;

    DropboxFolderFeed(
            Sharing sharing,
            DropboxRows rows,
            DropboxStages stages,
            DropboxReplay replay,
            DropboxCursors cursors,
            JournalHeads heads,
            PageTransactions transactions) {
        this.sharing = sharing;
        this.rows = rows;
        this.stages = stages;
        this.replay = replay;
        this.cursors = cursors;
        this.heads = heads;
        this.transactions = transactions;
    }

    /**
     * The first page of {@code path}'s listing, or with {@code latestOnly} none (get_latest_cursor): the heads and the
     * first page are read in one snapshot. The root shows what is shared with the user, at its mount points, unless
     * {@code mounted} is false.
     */
    Page first(
            long userId,
            String path,
            boolean recursive,
            boolean deleted,
            boolean mounted,
            int limit,
            boolean latestOnly) {
        return transactions.snapshot(() -> {
            String scope = scope(userId, path);
            Sharing.Location location = sharing.locate(userId, scope);
            List<Stream> streams = new ArrayList<>();
            List<Stage> queued = new ArrayList<>();
            queued.add(new Stage(scope, recursive && !SyncPath.isRoot(scope)));
            long shares = ListCursor.UNWATCHED;
            if (location.shared()) {
                var grant = location.view().grant();
                streams.add(new Stream(grant.namespaceId(), 0, grant.mountPath(), grant.rootFileId()));
            } else {
                long root = sharing.rootNamespace(userId);
                streams.add(new Stream(root, 0, SyncPath.ROOT, null));
                if (SyncPath.isRoot(scope) && mounted) {
                    shares = 0;
                    for (Sharing.Mounted m : sharing.mounts(userId)) {
                        streams.add(new Stream(
                                m.grant().namespaceId(),
                                0,
                                m.grant().mountPath(),
                                m.grant().rootFileId()));
                        queued.add(new Stage(m.grant().mountPath(), true));
                    }
                }
            }
            Map<Long, JournalHeads.Head> now =
                    heads.stamps(streams.stream().map(Stream::namespace).toList());
            streams.replaceAll(s -> s.at(seq(now, s.namespace())));
            if (shares != ListCursor.UNWATCHED) {
                shares = now.containsKey(streams.get(0).namespace())
                        ? now.get(streams.get(0).namespace()).shares()
                        : 0;
            }
            ListCursor cursor = new ListCursor(
                    userId, scope, recursive, deleted, shares, streams, latestOnly ? List.of() : queued, null, limit);
            if (latestOnly) {
                return new Page(List.of(), cursors.seal(cursor), false);
            }
            DropboxStages.Served served = stages.serve(cursor, limit);
            ListCursor after = cursor.with(shares, streams, served.stages(), served.after());
            return new Page(
                    served.entries(), cursors.seal(after), !served.stages().isEmpty());
        });
    }

    /** The next page after {@code text}: what is left to list, then the journals from the cursor's positions. */
    Page next(long userId, String text) {
        ListCursor cursor = open(text);
        int limit = cursor.limit();
        if (cursor.user() != userId) {
            throw DropboxApiException.badInput("Invalid cursor: it is another user's");
        }
        return transactions.snapshot(() -> {
            List<Map<String, Object>> entries = new ArrayList<>();
            ListCursor at = cursor;
            if (!at.stages().isEmpty()) {
                DropboxStages.Served served = stages.serve(at, limit);
                entries.addAll(served.entries());
                at = at.with(at.shares(), at.streams(), served.stages(), served.after());
            }
            if (at.stages().isEmpty() && entries.size() < limit) {
                at = reconcile(at, entries);
            }
            Map<Long, JournalHeads.Head> now =
                    heads.stamps(at.streams().stream().map(Stream::namespace).toList());
            List<Stream> streams = new ArrayList<>(at.streams());
            List<Stage> queued = new ArrayList<>(at.stages());
            for (int i = 0; i < streams.size() && queued.isEmpty() && entries.size() < limit; i++) {
                Stream stream = streams.get(i);
                long head = seq(now, stream.namespace());
                if (head > stream.seq()) {
                    DropboxReplay.Replayed read = replay.replay(at, stream, head, limit - entries.size());
                    entries.addAll(read.entries());
                    streams.set(i, read.stream());
                    queued.addAll(read.stages());
                }
            }
            boolean behind = streams.stream().anyMatch(s -> seq(now, s.namespace()) > s.seq());
            ListCursor out = at.with(at.shares(), streams, queued, queued.isEmpty() ? null : at.after());
            return new Page(entries, cursors.seal(out), !queued.isEmpty() || behind);
        });
    }

    /**
     * The cursor's shared items against the user's shares now: a share that ended is {@code deleted} at its mount
     * point, a new one is followed from its head and listed. A scope inside a share that ended is gone.
     */
    private ListCursor reconcile(ListCursor cursor, List<Map<String, Object>> entries) {
        boolean watched = cursor.shares() != ListCursor.UNWATCHED;
        boolean insideShare = cursor.streams().get(0).item() != null;
        if (!watched && !insideShare) {
            return cursor;
        }
        List<Sharing.Mounted> live = sharing.mounts(cursor.user());
        if (insideShare) {
            Stream only = cursor.streams().get(0);
            boolean still = live.stream()
                    .anyMatch(m -> m.grant().namespaceId() == only.namespace()
                            && m.grant().mountPath().equals(only.mount()));
            if (!still) {
                throw new SyncboxException(ErrorCode.NOT_FOUND, "The shared folder is no longer shared with you");
            }
            return cursor;
        }
        List<Stream> streams = new ArrayList<>();
        List<Stage> queued = new ArrayList<>(cursor.stages());
        Stream root = cursor.streams().get(0);
        streams.add(root);
        Map<Long, Sharing.Mounted> byNamespace = new HashMap<>();
        live.forEach(m -> byNamespace.put(m.grant().namespaceId(), m));
        for (Stream s : cursor.streams().subList(1, cursor.streams().size())) {
            Sharing.Mounted m = byNamespace.get(s.namespace());
            if (m != null && m.grant().mountPath().equals(s.mount())) {
                streams.add(s);
                byNamespace.remove(s.namespace());
            } else if (DropboxReplay.inScope(cursor, s.mount())) {
                entries.add(DropboxWire.deleted(s.mount()));
            }
        }
        List<Long> added =
                byNamespace.values().stream().map(m -> m.grant().namespaceId()).toList();
        List<Long> asked = new ArrayList<>(added);
        asked.add(root.namespace());
        Map<Long, JournalHeads.Head> now = heads.stamps(asked);
        for (Sharing.Mounted m : byNamespace.values()) {
            streams.add(new Stream(
                    m.grant().namespaceId(),
                    seq(now, m.grant().namespaceId()),
                    m.grant().mountPath(),
                    m.grant().rootFileId()));
            queued.add(new Stage(m.grant().mountPath(), true));
        }
        long shares =
                now.containsKey(root.namespace()) ? now.get(root.namespace()).shares() : cursor.shares();
        return cursor.with(shares, streams, queued, queued.isEmpty() ? null : cursor.after());
    }

    /** The cursor {@code text} holds; 400 as Dropbox answers a cursor it did not issue. */
    ListCursor open(String text) {
        ListCursor cursor = cursors.open(text, ListCursor.class);
        if (cursor == null
                || cursor.streams() == null
                || cursor.streams().isEmpty()
                || cursor.stages() == null
                || cursor.limit() < 1) {
            throw DropboxApiException.badInput("Invalid cursor");
        }
        return cursor;
    }

    /** The folder a list_folder path names, at the user's path; 409 path/not_found or not_folder. */
    private String scope(long userId, String argument) {
        DropboxWire.Target target = DropboxWire.target(argument);
        String path;
        if (target.fileId() != null) {
            path = sharing.find(userId, target.fileId())
                    .filter(v -> !v.file().isDeleted())
                    .map(Sharing.Visible::path)
                    .orElseThrow(() -> new SyncboxException(ErrorCode.NOT_FOUND, "No folder " + argument));
        } else if (target.versionId() != null) {
            throw new SyncboxException(ErrorCode.INVALID_PATH, "A revision is not a folder");
        } else {
            path = target.path();
        }
        if (SyncPath.isRoot(path)) {
            return SyncPath.ROOT;
        }
        Sharing.Location location = sharing.locate(userId, path);
        DropboxRows.Row folder = rows.live(location.namespaceId(), PathKeys.of(location.path()));
        if (folder == null) {
            throw new SyncboxException(ErrorCode.NOT_FOUND, "No folder " + path);
        }
        if (!folder.dir()) {
            throw new SyncboxException(ErrorCode.PATH_CONFLICT, path + " is a file, not a folder");
        }
        return location.view().path(folder.path());
    }

    private static long seq(Map<Long, JournalHeads.Head> heads, long namespace) {
        JournalHeads.Head head = heads.get(namespace);
        return head == null ? 0 : head.seq();
    }
}

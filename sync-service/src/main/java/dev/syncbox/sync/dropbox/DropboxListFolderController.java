package dev.syncbox.sync.dropbox;

import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.dropbox.DropboxApi;
import dev.syncbox.server.dropbox.DropboxArgs;
import dev.syncbox.server.dropbox.DropboxErrors;
import dev.syncbox.server.web.CurrentUser;
import dev.syncbox.sync.dropbox.DropboxCursors.ListCursor;
import dev.syncbox.sync.dropbox.DropboxCursors.Stream;
import dev.syncbox.sync.feed.ChangeWaiters;
import dev.syncbox.sync.feed.JournalHeads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.context.request.async.DeferredResult;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code files/list_folder}, {@code /continue}, {@code /get_latest_cursor} and {@code /longpoll} (Dropbox API v2).
 * The long-poll takes no token, as Dropbox's: the signed cursor names the user.
 */
@DropboxApi
class DropboxListFolderController {

    /** Dropbox's bounds. */
    static final int MAX_LIMIT = 2000;

    private final DropboxFolderFeed feed;
    private final ChangeWaiters waiters;
    private final JournalHeads heads;
    private final JsonMapper json;

    DropboxListFolderController(DropboxFolderFeed feed, ChangeWaiters waiters, JournalHeads heads, JsonMapper json) {
        this.feed = feed;
        this.waiters = waiters;
        this.heads = heads;
        this.json = json;
    }

    @PostMapping("/2/files/list_folder")
    Map<String, Object> listFolder(CurrentUser user, @RequestBody(required = false) byte[] body) {
        DropboxArgs args = DropboxArgs.body(json, body);
        String path = args.string("path");
        boolean recursive = args.bool("recursive", false);
        boolean deleted = args.bool("include_deleted", false);
        boolean mounted = args.bool("include_mounted_folders", true);
        int limit = (int) args.number("limit", MAX_LIMIT, 1, MAX_LIMIT);
        return result(lookup(() -> feed.first(user.userId(), path, recursive, deleted, mounted, limit, false)));
    }

    @PostMapping("/2/files/list_folder/continue")
    Map<String, Object> listFolderContinue(CurrentUser user, @RequestBody(required = false) byte[] body) {
        DropboxArgs args = DropboxArgs.body(json, body);
        String cursor = args.string("cursor");
        return result(lookup(() -> feed.next(user.userId(), cursor)));
    }

    @PostMapping("/2/files/list_folder/get_latest_cursor")
    Map<String, Object> latestCursor(CurrentUser user, @RequestBody(required = false) byte[] body) {
        DropboxArgs args = DropboxArgs.body(json, body);
        String path = args.string("path");
        boolean recursive = args.bool("recursive", false);
        boolean deleted = args.bool("include_deleted", false);
        boolean mounted = args.bool("include_mounted_folders", true);
        int limit = (int) args.number("limit", MAX_LIMIT, 1, MAX_LIMIT);
        DropboxFolderFeed.Page page =
                lookup(() -> feed.first(user.userId(), path, recursive, deleted, mounted, limit, true));
        return Map.of("cursor", page.cursor());
    }

    /**
     * Answers {@code {"changes": true}} as soon as a journal the cursor follows (or the user's shares, for a scope
     * holding mount points) moves past it, {@code {"changes": false}} after {@code timeout} seconds. Waiters are
     * registered before the heads are read, so a change landing in between is not missed.
     */
    @PostMapping("/2/files/list_folder/longpoll")
    DeferredResult<Map<String, Object>> longpoll(@RequestBody(required = false) byte[] body) {
        DropboxArgs args = DropboxArgs.body(json, body);
        ListCursor cursor = feed.open(args.string("cursor"));
        long timeout = args.number("timeout", 30, 30, 480);
        DeferredResult<Map<String, Object>> result =
                new DeferredResult<>(Duration.ofSeconds(timeout).toMillis(), changes(false));
        Runnable wake = () -> result.setResult(changes(true));
        List<ChangeWaiters.Waiter> waiting = new ArrayList<>();
        for (int i = 0; i < cursor.streams().size(); i++) {
            Stream s = cursor.streams().get(i);
            waiting.add(
                    i == 0 && cursor.shares() != ListCursor.UNWATCHED
                            ? new ChangeWaiters.Waiter(s.namespace(), s.seq(), cursor.shares(), wake)
                            : new ChangeWaiters.Waiter(s.namespace(), s.seq(), wake));
        }
        waiters.add(waiting);
        result.onCompletion(() -> waiters.remove(waiting));
        if (!cursor.stages().isEmpty() || behind(cursor)) {
            result.setResult(changes(true));
        }
        return result;
    }

    private boolean behind(ListCursor cursor) {
        Map<Long, JournalHeads.Head> now =
                heads.stamps(cursor.streams().stream().map(Stream::namespace).toList());
        for (int i = 0; i < cursor.streams().size(); i++) {
            Stream s = cursor.streams().get(i);
            JournalHeads.Head head = now.get(s.namespace());
            if (head == null) {
                continue;
            }
            if (head.seq() > s.seq()
                    || (i == 0 && cursor.shares() != ListCursor.UNWATCHED && head.shares() > cursor.shares())) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Object> changes(boolean changes) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("changes", changes);
        return out;
    }

    private static Map<String, Object> result(DropboxFolderFeed.Page page) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("entries", page.entries());
        out.put("cursor", page.cursor());
        out.put("has_more", page.hasMore());
        return out;
    }

    /** syncbox's errors as ListFolderError / ListFolderContinueError: {@code path} and a LookupError. */
    private static <T> T lookup(Supplier<T> work) {
        try {
            return work.get();
        } catch (SyncboxException e) {
            throw DropboxErrors.lookup("path", e);
        }
    }
}

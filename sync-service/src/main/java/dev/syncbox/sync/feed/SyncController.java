package dev.syncbox.sync.feed;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.web.CurrentUser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * {@code GET /files/sync?cursor=&limit=} → {@code {changes, next_cursor, has_more}}, and {@code GET
 * /files/sync/longpoll?cursor=&timeout=} → {@code {changes, backoff}} as soon as the cursor's
 * namespace has something new.
 */
@RestController
class SyncController {

    static final int MAX_LIMIT = 2000;
    static final int DEFAULT_LIMIT = 1000;

    record SyncResponse(List<Change> changes, String nextCursor, boolean hasMore) {}

    /** {@code backoff}: seconds to wait before the next long-poll, when the server asks for a pause. */
    record LongpollResponse(boolean changes, Integer backoff) {
        static final LongpollResponse CHANGED = new LongpollResponse(true, null);
        static final LongpollResponse TIMED_OUT = new LongpollResponse(false, null);
    }

    private final ChangeFeed feed;
    private final ChangeWaiters waiters;
    private final JournalHeads heads;
    private final SyncHealth health;

    SyncController(ChangeFeed feed, ChangeWaiters waiters, JournalHeads heads, SyncHealth health) {
        this.feed = feed;
        this.waiters = waiters;
        this.heads = heads;
        this.health = health;
    }

    @GetMapping("/files/sync")
    SyncResponse sync(
            CurrentUser user,
            @RequestParam(name = "cursor", required = false) String cursor,
            @RequestParam(name = "limit", defaultValue = "" + DEFAULT_LIMIT) int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "limit must be between 1 and " + MAX_LIMIT);
        }
        ChangeFeed.Page page = feed.page(user, cursor, limit);
        return new SyncResponse(page.changes(), page.nextCursor(), page.hasMore());
    }

    @GetMapping("/files/sync/longpoll")
    DeferredResult<LongpollResponse> longpoll(
            CurrentUser user,
            @RequestParam(name = "cursor") String cursorText,
            @RequestParam(name = "timeout", defaultValue = "30") int timeout) {
        if (timeout < 30 || timeout > 480) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "timeout must be between 30 and 480 seconds");
        }
        Cursor cursor = feed.open(user, cursorText);
        health.contact(user.userId(), user.deviceId(), cursorText);
        DeferredResult<LongpollResponse> result =
                new DeferredResult<>(Duration.ofSeconds(timeout).toMillis(), LongpollResponse.TIMED_OUT);
        // Register first, then look: a change landing in between is not missed.
        // The root wakes on its journal and on share changes; each shared item on its own journal.
        Runnable wake = () -> result.setResult(LongpollResponse.CHANGED);
        List<ChangeWaiters.Waiter> waiting = new ArrayList<>();
        long shares = heads.stamps(List.of(cursor.namespaceId()))
                .getOrDefault(cursor.namespaceId(), JournalHeads.Head.NONE)
                .shares();
        waiting.add(new ChangeWaiters.Waiter(cursor.namespaceId(), cursor.seq(), shares, wake));
        cursor.mounts().forEach(m -> waiting.add(new ChangeWaiters.Waiter(m.namespaceId(), m.seq(), wake)));
        waiters.add(waiting);
        result.onCompletion(() -> waiters.remove(waiting));
        if (feed.behind(user, cursor)) {
            result.setResult(LongpollResponse.CHANGED);
        }
        return result;
    }
}

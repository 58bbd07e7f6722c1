package dev.syncbox.sync.feed;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.auth.DeviceRevoked;
import dev.syncbox.server.web.CurrentUser;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * The open sync sockets of this instance (docs/sync.md, "WebSocket"). Each waits through {@link
 * ChangeWaiters} — the long-poll's announcements and fallback poll — on every namespace its user
 * sees, at the journal heads. A wake sends {@code {"changes": true}} a moment later, so the rest of a
 * burst goes with it, and the socket waits again at the new heads and on the shares of that moment.
 */
@Component
class SyncSockets implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SyncSockets.class);

    /** How long a wake waits before it is sent: changes within it make one notification. */
    static final Duration COALESCE = Duration.ofMillis(50);

    private final ChangeFeed feed;
    private final ChangeWaiters waiters;
    private final JournalHeads heads;
    private final ScheduledExecutorService scheduler;
    private final SocketKeepAlive keepAlive;
    private final SyncHealth health;
    private final Set<SyncSocket> open = ConcurrentHashMap.newKeySet();

    SyncSockets(
            ChangeFeed feed,
            ChangeWaiters waiters,
            JournalHeads heads,
            SyncHealth health,
            JwtDecoder tokens,
            MeterRegistry meters,
            @Value("${syncbox.sync.ws.ping-interval:PT25S}") Duration pingInterval) {
        this.feed = feed;
        this.waiters = waiters;
        this.heads = heads;
        this.health = health;
        AtomicInteger threads = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "sync-socket-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.keepAlive = new SocketKeepAlive(scheduler, pingInterval, token -> stillValid(tokens, token));
        Gauge.builder("syncbox.sync.ws.sessions", open, Set::size)
                .description("Open sync sockets on this instance")
                .register(meters);
    }

    Duration pingInterval() {
        return keepAlive.interval();
    }

    /** How many sockets of this device are open here. */
    long openFor(String deviceId) {
        return open.stream().filter(s -> s.user().deviceId().equals(deviceId)).count();
    }

    /**
     * A socket just opened, at {@code cursor} if the client gave one. If what its user sees cannot be
     * read (the database is down), it is closed with 1011 {@code service_unavailable}.
     */
    SyncSocket open(WebSocketSession session, CurrentUser user, String token, String cursor) {
        SyncSocket socket = new SyncSocket(session, user, token, this::wake, this::closed);
        keepAlive.start(socket);
        try {
            arm(socket);
        } catch (RuntimeException e) {
            log.warn("opening a sync socket failed: {}", e.toString());
            socket.close(SyncSocket.UNAVAILABLE);
            return socket;
        }
        open.add(socket);
        health.socketOpened(user.userId(), user.deviceId());
        if (cursor != null && !cursor.isBlank()) {
            compare(socket, cursor);
        }
        return socket;
    }

    /**
     * Where the client is: a notification at once if that is behind, 1008 {@code invalid_cursor} if it
     * is not a cursor of this user. A cursor that must reset is behind: paging tells the client.
     */
    void compare(SyncSocket socket, String cursorText) {
        health.contact(socket.user().userId(), socket.user().deviceId(), cursorText);
        boolean behind;
        try {
            behind = feed.behind(socket.user(), feed.open(socket.user(), cursorText));
        } catch (SyncboxException e) {
            if (e.code() == ErrorCode.INVALID_CURSOR) {
                socket.close(SyncSocket.INVALID_CURSOR);
                return;
            }
            behind = true;
        } catch (RuntimeException e) {
            // Cannot tell: a needless notification costs the client one empty page.
            log.warn("comparing a sync socket's cursor failed: {}", e.toString());
            behind = true;
        }
        if (behind) {
            wake(socket);
        }
    }

    void closed(SyncSocket socket) {
        if (open.remove(socket)) {
            health.socketClosed(socket.user().deviceId());
        }
        List<ChangeWaiters.Waiter> waited = socket.closed();
        if (waited != null) {
            waiters.remove(waited);
        }
    }

    /** Waits on every namespace the user sees, at its head now; what it waited on before is dropped. */
    private void arm(SyncSocket socket) {
        synchronized (socket.arming) {
            List<Long> namespaces = feed.namespaces(socket.user());
            Map<Long, JournalHeads.Head> at = heads.stamps(namespaces);
            long root = namespaces.get(0);
            List<ChangeWaiters.Waiter> next = namespaces.stream()
                    .map(id -> {
                        JournalHeads.Head head = at.getOrDefault(id, JournalHeads.Head.NONE);
                        // The root also wakes on a share made or ended: the set of namespaces changes.
                        long shares = id == root ? head.shares() : ChangeWaiters.Waiter.JOURNAL_ONLY;
                        return new ChangeWaiters.Waiter(id, head.seq(), shares, socket.wake());
                    })
                    .toList();
            // The new waiters are in place before the old ones go: no announcement falls in between.
            waiters.add(next);
            List<ChangeWaiters.Waiter> before = socket.waitOn(next);
            if (before == null) {
                waiters.remove(next);
            } else {
                waiters.remove(before.stream().filter(w -> !next.contains(w)).toList());
            }
        }
    }

    private void wake(SyncSocket socket) {
        if (!socket.owe()) {
            return;
        }
        try {
            scheduler.schedule(() -> flush(socket), COALESCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Shutting down: the sockets are being closed.
        }
    }

    private void flush(SyncSocket socket) {
        socket.paid();
        if (socket.isClosed()) {
            return;
        }
        try {
            arm(socket);
        } catch (RuntimeException e) {
            // It keeps waiting where it was: the fallback poll wakes it again once the heads can be read.
            log.warn("re-arming a sync socket failed: {}", e.toString());
        }
        socket.notifyChanges();
    }

    /** This instance's sockets of a revoked device close at once; other instances' at their next ping. */
    @TransactionalEventListener(fallbackExecution = true)
    void on(DeviceRevoked revoked) {
        open.stream()
                .filter(s -> s.user().deviceId().equals(revoked.deviceId()))
                .forEach(s -> s.close(SyncSocket.UNAUTHORIZED));
    }

    @Override
    public void destroy() {
        open.forEach(s -> s.close(CloseStatus.GOING_AWAY));
        scheduler.shutdownNow();
    }

    private static boolean stillValid(JwtDecoder tokens, String token) {
        try {
            tokens.decode(token);
            return true;
        } catch (JwtException e) {
            return false;
        } catch (RuntimeException e) {
            // The device could not be looked up: the next ping asks again.
            return true;
        }
    }
}

package dev.syncbox.sync.feed;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.server.web.CurrentUser;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/** One open sync socket: whose it is, what it waits on, and whether a notification is owed. */
final class SyncSocket {

    private static final Logger log = LoggerFactory.getLogger(SyncSocket.class);

    static final TextMessage CHANGES = new TextMessage("{\"changes\": true}");
    // Close reasons are the API's error codes.
    static final CloseStatus INVALID_CURSOR = CloseStatus.POLICY_VIOLATION.withReason(ErrorCode.INVALID_CURSOR.code());
    static final CloseStatus UNAUTHORIZED = CloseStatus.POLICY_VIOLATION.withReason(ErrorCode.UNAUTHORIZED.code());
    static final CloseStatus UNAVAILABLE = CloseStatus.SERVER_ERROR.withReason(ErrorCode.SERVICE_UNAVAILABLE.code());

    private final WebSocketSession session;
    private final CurrentUser user;
    private final String token;
    private final AtomicBoolean owed = new AtomicBoolean();
    private final Runnable wake;
    private final Consumer<SyncSocket> release;
    /** Held while the socket's waiters are replaced, so that two replacements never interleave. */
    final Object arming = new Object();

    // Guarded by this.
    private List<ChangeWaiters.Waiter> waiting = List.of();
    private ScheduledFuture<?> keepAlive;
    private boolean closed;

    /**
     * @param session safe to send on from several threads
     * @param token the bearer token the socket was opened with, checked again while it is open
     * @param wake called by a change in a namespace the socket waits on
     * @param release called once the socket is closed from this side
     */
    SyncSocket(
            WebSocketSession session,
            CurrentUser user,
            String token,
            Consumer<SyncSocket> wake,
            Consumer<SyncSocket> release) {
        this.session = session;
        this.user = user;
        this.token = token;
        this.wake = () -> wake.accept(this);
        this.release = release;
    }

    CurrentUser user() {
        return user;
    }

    String token() {
        return token;
    }

    Runnable wake() {
        return wake;
    }

    /** True for the first wake since the last {@link #paid}: that one schedules the notification. */
    boolean owe() {
        return owed.compareAndSet(false, true);
    }

    /** A notification is being sent: a wake from now on owes another. */
    void paid() {
        owed.set(false);
    }

    /** Waits on {@code next} instead of what it waited on; returns what it waited on, or null once closed. */
    synchronized List<ChangeWaiters.Waiter> waitOn(List<ChangeWaiters.Waiter> next) {
        if (closed) {
            return null;
        }
        List<ChangeWaiters.Waiter> before = waiting;
        waiting = next;
        return before;
    }

    /** The task that pings it, cancelled once it is closed. */
    synchronized void keepAlive(ScheduledFuture<?> task) {
        if (closed) {
            task.cancel(false);
        } else {
            keepAlive = task;
        }
    }

    /** Marks it closed; returns what it waited on, or null if it was closed already. */
    synchronized List<ChangeWaiters.Waiter> closed() {
        if (closed) {
            return null;
        }
        closed = true;
        if (keepAlive != null) {
            keepAlive.cancel(false);
        }
        List<ChangeWaiters.Waiter> before = waiting;
        waiting = List.of();
        return before;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    void notifyChanges() {
        send(CHANGES);
    }

    void ping() {
        send(new PingMessage());
    }

    void close(CloseStatus status) {
        try {
            session.close(status);
        } catch (IOException | RuntimeException e) {
            log.debug("closing a sync socket failed: {}", e.toString());
        } finally {
            release.accept(this);
        }
    }

    private void send(WebSocketMessage<?> message) {
        if (isClosed()) {
            return;
        }
        if (!session.isOpen()) {
            // Closed without this side hearing of it: let go of it now.
            release.accept(this);
            return;
        }
        try {
            session.sendMessage(message);
        } catch (IOException | RuntimeException e) {
            // The connection is gone or too slow to take more: the container closes the session.
            log.debug("sending on a sync socket failed: {}", e.toString());
            close(CloseStatus.SESSION_NOT_RELIABLE);
        }
    }
}

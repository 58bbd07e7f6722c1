package dev.syncbox.sync.feed;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings each open sync socket every interval, so that proxies keep an idle connection open, and
 * checks its token again each time: a socket whose device was revoked or whose token expired is
 * closed with 1008 {@code unauthorized}.
 */
final class SocketKeepAlive {

    private static final Logger log = LoggerFactory.getLogger(SocketKeepAlive.class);

    /** Whether a token still authenticates; true when that cannot be told (the database is down). */
    interface TokenCheck {
        boolean stillValid(String token);
    }

    private final ScheduledExecutorService scheduler;
    private final Duration interval;
    private final TokenCheck tokens;

    SocketKeepAlive(ScheduledExecutorService scheduler, Duration interval, TokenCheck tokens) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("syncbox.sync.ws.ping-interval must be positive");
        }
        this.scheduler = scheduler;
        this.interval = interval;
        this.tokens = tokens;
    }

    Duration interval() {
        return interval;
    }

    /** Starts pinging {@code socket} until it is closed. */
    void start(SyncSocket socket) {
        long millis = interval.toMillis();
        socket.keepAlive(scheduler.scheduleAtFixedRate(() -> tick(socket), millis, millis, TimeUnit.MILLISECONDS));
    }

    void tick(SyncSocket socket) {
        try {
            if (socket.isClosed()) {
                return;
            }
            if (!tokens.stillValid(socket.token())) {
                socket.close(SyncSocket.UNAUTHORIZED);
                return;
            }
            socket.ping();
        } catch (RuntimeException e) {
            // A task that throws is never run again: this socket would go unpinged.
            log.warn("keeping a sync socket alive failed", e);
        }
    }
}

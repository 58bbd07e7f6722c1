package dev.syncbox.client.engine;

import java.time.Duration;

/** What wakes the sync loop: the server's push, the folder watcher, or a timer. Signals while busy are kept. */
public final class Wakeup {

    /** Why the loop woke. */
    public enum Cause {
        /** The timeout passed. */
        TIMER,
        /** The server says there are changes. */
        REMOTE,
        /** The folder changed: what is being written may need a moment to settle. */
        LOCAL
    }

    private boolean pending;
    private boolean local;

    /** The server has changes. */
    public synchronized void signal() {
        pending = true;
        notifyAll();
    }

    /** The folder changed. */
    public synchronized void signalLocal() {
        local = true;
        signal();
    }

    /** Waits until signalled or {@code timeout} passes, and clears the signal. */
    public synchronized Cause await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pending) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Cause.TIMER;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        Cause cause = local ? Cause.LOCAL : Cause.REMOTE;
        pending = false;
        local = false;
        return cause;
    }
}

package dev.syncbox.client.engine;

import java.time.Duration;

/** What wakes the sync loop: the server's push, the folder watcher, or a timer. Signals while busy are kept. */
public final class Wakeup {

    private boolean pending;

    public synchronized void signal() {
        pending = true;
        notifyAll();
    }

    /** Waits until signalled or {@code timeout} passes; true if signalled. Clears the signal. */
    public synchronized boolean await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pending) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        pending = false;
        return true;
    }
}

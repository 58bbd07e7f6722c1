package dev.syncbox.client;

import dev.syncbox.client.api.Progress;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A progress bar on one line of the terminal (redrawn in place) for each transfer that has lasted more than a second, redrawn at most
 * five times a second, and finished with its total when the transfer ends. Shorter transfers print nothing.
 */
final class ConsoleProgress implements Progress {

    static final long SHOW_AFTER_NANOS = 1_000_000_000L;
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int WIDTH = 24;

    private final PrintWriter out;
    private final LongSupplier clock;
    private final Map<String, long[]> started = new HashMap<>();
    private long drawn;
    private boolean open;

    ConsoleProgress(PrintWriter out, LongSupplier nanoClock) {
        this.out = out;
        this.clock = nanoClock;
    }

    @Override
    public synchronized void update(boolean up, String path, long done, long total) {
        long now = clock.getAsLong();
        long[] start = started.computeIfAbsent(path, p -> new long[] {now});
        boolean finished = total >= 0 && done >= total;
        if (finished) {
            started.remove(path);
        }
        if (now - start[0] < SHOW_AFTER_NANOS || (!finished && now - drawn < REDRAW_NANOS)) {
            return;
        }
        drawn = now;
        out.print("\r" + line(up, path, done, total, (now - start[0]) / 1e9));
        open = !finished;
        if (finished) {
            out.println();
        }
        out.flush();
    }

    /** Ends a line left open by a transfer that did not finish (it failed), so the next output starts clean. */
    synchronized void close() {
        if (open) {
            out.println();
            out.flush();
            open = false;
        }
    }

    static String line(boolean up, String path, long done, long total, double seconds) {
        String rate = bytes(seconds <= 0 ? 0 : (long) (done / seconds)) + "/s";
        if (total < 0) {
            return String.format(Locale.ROOT, "%s %s %s, %s", up ? "up  " : "down", path, bytes(done), rate);
        }
        double share = total <= 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(share * WIDTH);
        return String.format(
                Locale.ROOT,
                "%s %s [%s%s] %3.0f%% %s of %s, %s",
                up ? "up  " : "down",
                path,
                "#".repeat(filled),
                " ".repeat(WIDTH - filled),
                share * 100,
                bytes(done),
                bytes(total),
                rate);
    }

    /** Sizes and rates in decimal units, as transfer speeds are usually given. */
    static String bytes(long n) {
        return Commands.size(n, 1000, "kB", "MB", "GB", "TB");
    }
}

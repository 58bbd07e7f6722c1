package dev.syncbox.server.content;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Pieces one after another, each opened only when the stream gets to it, with up to {@code depth} of
 * the next pieces read in the background while the current one is consumed: on a block store a read
 * is a round trip, and read one at a time a download waits for every one of them. With {@code depth}
 * 0 nothing is read ahead.
 *
 * <p>A piece read ahead is held in memory whole, so each holds a permit of {@code budget}, shared by
 * every stream of the process; a piece that finds no permit free is opened when the stream gets to
 * it, as without read-ahead. Closing the stream early opens nothing more and frees the permits of
 * pieces read ahead but not consumed (once their reads end).
 */
final class ReadAheadInputStream<P> extends InputStream {

    private final List<P> pieces;
    private final Function<P, InputStream> opener;
    private final ToIntFunction<P> lengthOf;
    private final Executor executor;
    private final Semaphore budget;
    private final int depth;
    private final ArrayDeque<Pending> ahead = new ArrayDeque<>();
    private int scheduled;
    private Pending current;
    private InputStream reading;
    private boolean closed;

    ReadAheadInputStream(
            List<P> pieces,
            Function<P, InputStream> opener,
            ToIntFunction<P> lengthOf,
            Executor executor,
            Semaphore budget,
            int depth) {
        this.pieces = pieces;
        this.opener = opener;
        this.lengthOf = lengthOf;
        this.executor = executor;
        this.budget = budget;
        this.depth = Math.max(0, depth);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("Stream closed");
        }
        if (len == 0) {
            return 0;
        }
        while (true) {
            if (reading == null && !advance()) {
                return -1;
            }
            int n = reading.read(b, off, len);
            if (n >= 0) {
                return n;
            }
            finishCurrent();
        }
    }

    /** Writes each piece read ahead with one call: no 8 KiB copies of what is already in memory. */
    @Override
    public long transferTo(OutputStream out) throws IOException {
        if (closed) {
            throw new IOException("Stream closed");
        }
        long total = 0;
        while (reading != null || advance()) {
            total += reading.transferTo(out);
            finishCurrent();
        }
        return total;
    }

    /** Moves to the next piece, keeping the read-ahead queue full; false at the end. */
    private boolean advance() throws IOException {
        fill();
        current = ahead.poll();
        if (current == null) {
            return false;
        }
        fill();
        reading = current.open();
        return true;
    }

    /** Queues pieces up to {@code depth} beyond the current one (the first one counted among them). */
    private void fill() {
        while (scheduled < pieces.size() && ahead.size() < Math.max(1, depth)) {
            P piece = pieces.get(scheduled++);
            if (depth > 0 && budget.tryAcquire()) {
                ahead.add(new Pending(piece, CompletableFuture.supplyAsync(() -> readFully(piece), executor)));
            } else {
                ahead.add(new Pending(piece, null));
            }
        }
    }

    /** A piece's bytes, read straight into an array of its length (no growing and copying). */
    private byte[] readFully(P piece) {
        int length = lengthOf.applyAsInt(piece);
        try (InputStream in = opener.apply(piece)) {
            byte[] bytes = new byte[length];
            int read = in.readNBytes(bytes, 0, length);
            if (read != length || in.read() >= 0) {
                throw new IOException("A piece of " + length + " bytes did not have that length");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void finishCurrent() throws IOException {
        InputStream done = reading;
        reading = null;
        Pending finished = current;
        current = null;
        try {
            done.close();
        } finally {
            finished.release();
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (reading != null) {
                finishCurrent();
            } else if (current != null) {
                current.release();
            }
        } finally {
            for (Pending pending : ahead) {
                pending.abandon();
            }
            ahead.clear();
        }
    }

    /** A piece queued: read ahead ({@code read} is set, holding a permit) or to be opened when reached. */
    private final class Pending {
        private final P piece;
        private final CompletableFuture<byte[]> read;
        private final AtomicBoolean released = new AtomicBoolean();

        Pending(P piece, CompletableFuture<byte[]> read) {
            this.piece = piece;
            this.read = read;
        }

        InputStream open() throws IOException {
            if (read == null) {
                return opener.apply(piece);
            }
            try {
                return new ByteArrayInputStream(read.join());
            } catch (CompletionException e) {
                release();
                Throwable cause = e.getCause();
                if (cause instanceof UncheckedIOException io) {
                    throw io.getCause();
                }
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (cause instanceof Error error) {
                    throw error;
                }
                throw new InterruptedIOException(String.valueOf(cause));
            }
        }

        /** Frees the permit once the bytes are no longer needed. */
        void release() {
            if (read != null && released.compareAndSet(false, true)) {
                budget.release();
            }
        }

        /** Not consumed: the permit is freed when the read ends (its bytes are dropped then). */
        void abandon() {
            if (read != null) {
                read.whenComplete((bytes, failure) -> release());
            }
        }
    }
}

package dev.syncbox.server.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ReadAheadInputStreamTest {

    // Daemon threads, never shut down: the properties (jqwik) and the examples (JUnit) share it.
    private static final ExecutorService EXECUTOR = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "read-ahead-test");
        thread.setDaemon(true);
        return thread;
    });

    /** The plain reference: the pieces one after another. */
    private static byte[] concatenated(List<byte[]> pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pieces.forEach(out::writeBytes);
        return out.toByteArray();
    }

    @Property(tries = 300)
    void readsExactlyThePiecesInOrderAndReturnsEveryPermit(
            @ForAll @Size(max = 12) List<@Size(max = 300) byte[]> pieces,
            @ForAll @IntRange(min = 0, max = 5) int depth,
            @ForAll @IntRange(min = 0, max = 3) int permits,
            @ForAll @IntRange(min = 1, max = 700) int chunk)
            throws Exception {
        Semaphore budget = new Semaphore(permits);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in =
                new ReadAheadInputStream<>(pieces, ByteArrayInputStream::new, p -> p.length, EXECUTOR, budget, depth)) {
            byte[] buffer = new byte[chunk];
            int n;
            while ((n = in.read(buffer, 0, chunk)) >= 0) {
                out.write(buffer, 0, n);
            }
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(out.toByteArray()).isEqualTo(concatenated(pieces));
        assertThat(budget.availablePermits()).isEqualTo(permits);
    }

    @Property(tries = 300)
    void transfersExactlyWhatReadingWouldAfterAnyStart(
            @ForAll @Size(max = 12) List<@Size(max = 300) byte[]> pieces,
            @ForAll @IntRange(min = 0, max = 5) int depth,
            @ForAll @IntRange(min = 0, max = 3) int permits,
            @ForAll @IntRange(min = 0, max = 500) int readFirst)
            throws Exception {
        Semaphore budget = new Semaphore(permits);
        byte[] whole = concatenated(pieces);
        int first = Math.min(readFirst, whole.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in =
                new ReadAheadInputStream<>(pieces, ByteArrayInputStream::new, p -> p.length, EXECUTOR, budget, depth)) {
            out.writeBytes(in.readNBytes(first));
            assertThat(in.transferTo(out)).isEqualTo(whole.length - first);
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(out.toByteArray()).isEqualTo(whole);
        assertThat(budget.availablePermits()).isEqualTo(permits);
    }

    @Test
    void aPieceShorterThanItsLengthIsAnErrorNotAShortStream() throws Exception {
        List<String> pieces = List.of("abc", "de", "f");
        Semaphore budget = new Semaphore(3);
        try (InputStream in = new ReadAheadInputStream<>(
                pieces, piece -> new ByteArrayInputStream(piece.getBytes()), p -> 3, EXECUTOR, budget, 3)) {
            assertThat(in.readNBytes(3)).isEqualTo("abc".getBytes());
            assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessageContaining("3 bytes");
        }
        awaitPermits(budget, 3);
    }

    @Property(tries = 200)
    void closedEarlyItOpensNothingMoreAndFreesItsPermitsOnceTheReadsEnd(
            @ForAll @Size(min = 1, max = 12) List<@Size(min = 1, max = 50) byte[]> pieces,
            @ForAll @IntRange(min = 0, max = 5) int depth,
            @ForAll @IntRange(min = 0, max = 3) int permits,
            @ForAll @IntRange(min = 0, max = 400) int consumed)
            throws Exception {
        Semaphore budget = new Semaphore(permits);
        AtomicInteger opened = new AtomicInteger();
        Function<byte[], InputStream> opener = piece -> {
            opened.incrementAndGet();
            return new ByteArrayInputStream(piece);
        };
        byte[] whole = concatenated(pieces);
        int take = Math.min(consumed, whole.length);
        InputStream in = new ReadAheadInputStream<>(pieces, opener, p -> p.length, EXECUTOR, budget, depth);
        assertThat(in.readNBytes(take)).isEqualTo(java.util.Arrays.copyOf(whole, take));
        in.close();
        int openedAtClose = opened.get();
        // Every read ahead ends soon; then every permit is back.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (budget.availablePermits() != permits && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(budget.availablePermits()).isEqualTo(permits);
        // Reads already started may end after the close; nothing is opened twice, and without
        // read-ahead nothing is opened after it.
        assertThat(opened.get()).isLessThanOrEqualTo(pieces.size());
        if (depth == 0 || permits == 0) {
            assertThat(opened.get()).isEqualTo(openedAtClose);
        }
        assertThatThrownBy(in::read).isInstanceOf(IOException.class);
    }

    @Test
    void aPieceThatCannotBeReadFailsTheStreamWhenReachedWithItsOwnException() throws Exception {
        List<String> pieces = List.of("a", "b", "missing", "d");
        Semaphore budget = new Semaphore(4);
        Function<String, InputStream> opener = piece -> {
            if (piece.equals("missing")) {
                throw new IllegalStateException("no block " + piece);
            }
            return new ByteArrayInputStream(piece.getBytes());
        };
        try (InputStream in = new ReadAheadInputStream<>(pieces, opener, String::length, EXECUTOR, budget, 3)) {
            assertThat(in.readNBytes(2)).isEqualTo("ab".getBytes());
            assertThatThrownBy(in::read)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("no block missing");
        }
        awaitPermits(budget, 4);
    }

    @Test
    void anIoFailureOfAPieceReadAheadIsRethrownAsItself() throws Exception {
        List<String> pieces = List.of("a", "b");
        Semaphore budget = new Semaphore(2);
        Function<String, InputStream> opener = piece -> piece.equals("b")
                ? new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("connection reset");
                    }
                }
                : new ByteArrayInputStream(piece.getBytes());
        try (InputStream in = new ReadAheadInputStream<>(pieces, opener, String::length, EXECUTOR, budget, 2)) {
            assertThat(in.read()).isEqualTo('a');
            assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessage("connection reset");
        }
        awaitPermits(budget, 2);
    }

    @Test
    void readsAheadOnlyWhileTheSharedBudgetLasts() throws Exception {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pieces.add("piece" + i);
        }
        Semaphore budget = new Semaphore(2);
        List<String> openedOnCaller = new ArrayList<>();
        Thread caller = Thread.currentThread();
        Function<String, InputStream> opener = piece -> {
            if (Thread.currentThread() == caller) {
                openedOnCaller.add(piece);
            }
            return new ByteArrayInputStream(piece.getBytes());
        };
        Semaphore other = budget;
        // Another stream holds both permits while this one runs: nothing is read ahead, all still arrives.
        other.acquire(2);
        try (InputStream in = new ReadAheadInputStream<>(pieces, opener, String::length, EXECUTOR, budget, 4)) {
            assertThat(new String(in.readAllBytes())).isEqualTo(String.join("", pieces));
        }
        assertThat(openedOnCaller).isEqualTo(pieces);
        other.release(2);
        assertThat(budget.availablePermits()).isEqualTo(2);
    }

    private static void awaitPermits(Semaphore budget, int permits) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (budget.availablePermits() != permits && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(budget.availablePermits()).isEqualTo(permits);
    }
}

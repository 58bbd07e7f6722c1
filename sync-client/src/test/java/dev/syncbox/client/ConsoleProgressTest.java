package dev.syncbox.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {

    private static final long SECOND = 1_000_000_000L;

    final StringWriter out = new StringWriter();
    final AtomicLong now = new AtomicLong();
    final ConsoleProgress progress = new ConsoleProgress(new PrintWriter(out), now::get);

    @Test
    void shouldStaySilentForATransferShorterThanASecond() {
        progress.update(true, "/quick.bin", 0, 100);
        now.addAndGet(SECOND / 2);
        progress.update(true, "/quick.bin", 100, 100);

        assertThat(out.toString()).isEmpty();
    }

    @Test
    void shouldDrawABarInPlaceOnceATransferHasLastedASecondAndEndItsLine() {
        progress.update(false, "/big.bin", 0, 4_000_000);
        now.addAndGet(2 * SECOND);
        progress.update(false, "/big.bin", 1_000_000, 4_000_000);
        now.addAndGet(SECOND / 10);
        progress.update(false, "/big.bin", 1_500_000, 4_000_000);
        now.addAndGet(2 * SECOND);
        progress.update(false, "/big.bin", 4_000_000, 4_000_000);

        String shown = out.toString();
        assertThat(shown)
                .startsWith("\rdown /big.bin [######                  ]  25% 1.0 MB of 4.0 MB, 500.0 kB/s")
                .as("not redrawn within 200 ms")
                .doesNotContain(" 38%")
                .contains("\rdown /big.bin [########################] 100% 4.0 MB of 4.0 MB")
                .endsWith(System.lineSeparator());
    }

    @Test
    void shouldShowBytesWhenTheSizeIsNotKnownAndCloseALineLeftOpen() {
        progress.update(false, "/stream.bin", 0, -1);
        now.addAndGet(2 * SECOND);
        progress.update(false, "/stream.bin", 3_000_000, -1);
        progress.close();

        assertThat(out.toString()).isEqualTo("\rdown /stream.bin 3.0 MB, 1.5 MB/s" + System.lineSeparator());
    }

    @Test
    void shouldWriteSizesInDecimalUnits() {
        assertThat(ConsoleProgress.bytes(999)).isEqualTo("999 B");
        assertThat(ConsoleProgress.bytes(1_500)).isEqualTo("1.5 kB");
        assertThat(ConsoleProgress.bytes(2_000_000_000L)).isEqualTo("2.0 GB");
    }
}

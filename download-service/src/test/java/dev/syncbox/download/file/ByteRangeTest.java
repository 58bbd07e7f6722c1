package dev.syncbox.download.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void shouldParseClosedOpenAndSuffixRanges() {
        assertThat(ByteRange.parse("bytes=0-9", 100)).isEqualTo(new ByteRange(0, 9));
        assertThat(ByteRange.parse("bytes=90-", 100)).isEqualTo(new ByteRange(90, 99));
        assertThat(ByteRange.parse("bytes=-10", 100)).isEqualTo(new ByteRange(90, 99));
        assertThat(ByteRange.parse("bytes=-500", 100)).isEqualTo(new ByteRange(0, 99));
    }

    @Test
    void shouldClampLastBytePastTheEnd() {
        assertThat(ByteRange.parse("bytes=50-1000", 100)).isEqualTo(new ByteRange(50, 99));
    }

    @Test
    void shouldServeWholeContentForAbsentMalformedOrMultiRange() {
        assertThat(ByteRange.parse(null, 100)).isNull();
        assertThat(ByteRange.parse("items=0-1", 100)).isNull();
        assertThat(ByteRange.parse("bytes=0-1,5-6", 100)).isNull();
        assertThat(ByteRange.parse("bytes=-", 100)).isNull();
    }

    @Test
    void shouldRejectUnsatisfiableRanges() {
        for (String header : new String[] {"bytes=100-", "bytes=100-200", "bytes=-0", "bytes=9-3"}) {
            assertThatThrownBy(() -> ByteRange.parse(header, 100))
                    .isInstanceOf(SyncboxException.class)
                    .extracting(e -> ((SyncboxException) e).code())
                    .isEqualTo(ErrorCode.RANGE_NOT_SATISFIABLE);
        }
    }
}

package dev.syncbox.upload.dav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DavHeadersTest {

    private static final byte[] WIKIPEDIA = "Wikipedia".getBytes(StandardCharsets.US_ASCII);

    @Test
    void shouldVerifyEveryChecksumTypeNextcloudSends() throws IOException {
        assertThat(passes("Adler32:11e60398")).isTrue();
        assertThat(passes("ADLER32:11E60398")).isTrue();
        assertThat(passes("SHA1:664add438097fbd4307f814de8e62a10f8905588")).isTrue();
        assertThat(passes("MD5:9c677286866aad38f8e9b660f5411814")).isTrue();
        assertThat(passes("SHA256:d38b38a2dd476e045c299e8ee5d6466834456d97bd592a71746b423a6a05f386"))
                .isTrue();
        assertThat(passes("SHA1:664add438097fbd4307f814de8e62a10f8905589")).isFalse();
        assertThat(passes("MD5:9c677286866aad38f8e9b660f5411815")).isFalse();
        assertThat(passes("Adler32:00000001")).isFalse();
    }

    @Test
    void shouldVerifyAnAdler32WithLeadingZeros() throws IOException {
        // The Adler-32 of nothing is 1: written with or without its leading zeros.
        assertThat(verifies("Adler32:00000001", new byte[0])).isTrue();
        assertThat(verifies("Adler32:1", new byte[0])).isTrue();
    }

    @Test
    void shouldSkipTypesItCannotComputeAndRefuseGarbage() {
        assertThat(OcChecksum.parse("SHA3-256:abcd")).isNull();
        assertThat(OcChecksum.parse(null)).isNull();
        assertThat(OcChecksum.parse("SHA3-256:abcd MD5:00")).isNotNull();
        assertThatThrownBy(() -> OcChecksum.parse("SHA1"))
                .isInstanceOfSatisfying(
                        SyncboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
        assertThatThrownBy(() -> OcChecksum.parse("SHA1:xyz")).isInstanceOf(SyncboxException.class);
    }

    @Test
    void shouldReadMtimesAsUnixSecondsToTheMicrosecond() {
        assertThat(DavWrites.mtime("1500000000")).isEqualTo(Instant.ofEpochSecond(1500000000));
        assertThat(DavWrites.mtime(" 1500000000.123456789 ")).isEqualTo(Instant.ofEpochSecond(1500000000, 123456000));
        assertThat(DavWrites.mtime("-1.5")).isEqualTo(Instant.ofEpochSecond(-2, 500_000_000));
        assertThat(DavWrites.mtime(null)).isNull();
        assertThatThrownBy(() -> DavWrites.mtime("tomorrow")).isInstanceOf(SyncboxException.class);
        assertThatThrownBy(() -> DavWrites.mtime("1e400")).isInstanceOf(SyncboxException.class);
    }

    @Test
    void shouldMatchEntityTagsWithOrWithoutQuotes() {
        assertThat(DavWrites.matches("\"abc\"", "\"abc\"")).isTrue();
        assertThat(DavWrites.matches("W/\"abc\", \"x\"", "\"abc\"")).isTrue();
        assertThat(DavWrites.matches("abc", "\"abc\"")).isTrue();
        assertThat(DavWrites.matches("*", "\"abc\"")).isTrue();
        assertThat(DavWrites.matches("*", null)).isFalse();
        assertThat(DavWrites.matches("\"abd\"", "\"abc\"")).isFalse();
    }

    @Test
    void shouldNameChunksByNumber() {
        assertThat(ChunkedUploads.chunkNumber("00001")).isEqualTo(1);
        assertThat(ChunkedUploads.chunkNumber("10000")).isEqualTo(10000);
        assertThatThrownBy(() -> ChunkedUploads.chunkNumber("first")).isInstanceOf(SyncboxException.class);
        assertThatThrownBy(() -> ChunkedUploads.chunkNumber("-1")).isInstanceOf(SyncboxException.class);
        assertThatThrownBy(() -> ChunkedUploads.requireTransferId("../x")).isInstanceOf(SyncboxException.class);
    }

    private static boolean passes(String header) throws IOException {
        return verifies(header, WIKIPEDIA);
    }

    private static boolean verifies(String header, byte[] content) throws IOException {
        OcChecksum.Computing computing = OcChecksum.parse(header).over(new ByteArrayInputStream(content));
        try (InputStream in = computing) {
            in.readAllBytes();
        }
        try {
            computing.verify();
            return true;
        } catch (SyncboxException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.CONTENT_HASH_MISMATCH);
            return false;
        }
    }
}

package dev.syncbox.upload.tus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class UploadMetadataTest {

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsPathModeAndClientModified() {
        UploadMetadata metadata = UploadMetadata.parse("filename " + b64("a.jpg") + ",path " + b64("/Photos/a.jpg")
                + ", mode " + b64("add") + ",client_modified " + b64("2026-01-02T03:04:05Z") + ",is_private");

        assertThat(metadata.path()).isEqualTo("/Photos/a.jpg");
        assertThat(metadata.overwrite()).isFalse();
        assertThat(metadata.clientModified()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(metadata.values()).containsEntry("filename", "a.jpg").containsEntry("is_private", "");
    }

    @Test
    void overwritesByDefaultAndKeepsUnicodeNames() {
        UploadMetadata metadata = UploadMetadata.parse("path " + b64("/Fotos/Café ☕.jpg"));

        assertThat(metadata.path()).isEqualTo("/Fotos/Café ☕.jpg");
        assertThat(metadata.overwrite()).isTrue();
        assertThat(metadata.clientModified()).isNull();
    }

    @Test
    void refusesWhatIsNotMetadataOrNotAFile() {
        assertCode(null, ErrorCode.INVALID_REQUEST);
        assertCode("", ErrorCode.INVALID_REQUEST);
        assertCode("filename " + b64("a.jpg"), ErrorCode.INVALID_REQUEST);
        assertCode("path", ErrorCode.INVALID_REQUEST);
        assertCode("path !!!notbase64", ErrorCode.INVALID_REQUEST);
        assertCode(
                "path " + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, (byte) 0xfe}),
                ErrorCode.INVALID_REQUEST);
        assertCode("path " + b64("/a") + ",path " + b64("/b"), ErrorCode.INVALID_REQUEST);
        assertCode("path " + b64("/a") + ",,mode " + b64("add"), ErrorCode.INVALID_REQUEST);
        assertCode("path " + b64("/a") + " extra", ErrorCode.INVALID_REQUEST);
        assertCode("path " + b64("/a") + ",mode " + b64("update"), ErrorCode.INVALID_REQUEST);
        assertCode("path " + b64("/a") + ",client_modified " + b64("yesterday"), ErrorCode.INVALID_REQUEST);
        assertCode("path " + b64("relative/a.txt"), ErrorCode.INVALID_PATH);
        assertCode("path " + b64("/a/../b"), ErrorCode.INVALID_PATH);
        assertCode("path " + b64("/"), ErrorCode.INVALID_PATH);
    }

    @Test
    void renamesBeforeTheExtension() {
        assertThat(TusUploads.renamed("a.jpg", 1)).isEqualTo("a (1).jpg");
        assertThat(TusUploads.renamed("archive.tar.gz", 2)).isEqualTo("archive.tar (2).gz");
        assertThat(TusUploads.renamed("README", 3)).isEqualTo("README (3)");
        assertThat(TusUploads.renamed(".profile", 1)).isEqualTo(".profile (1)");
    }

    @Test
    void tellsTheOffsetStreamTypeWithOrWithoutParameters() {
        assertThat(TusController.isOffsetStream("application/offset+octet-stream"))
                .isTrue();
        assertThat(TusController.isOffsetStream("Application/Offset+Octet-Stream; charset=binary"))
                .isTrue();
        assertThat(TusController.isOffsetStream("application/octet-stream")).isFalse();
    }

    /** Whatever pairs a client encodes as tus says, they read back as they were, in order. */
    @Property
    void readsBackWhatAClientEncodes(
            @ForAll @Size(max = 6) Map<@AlphaChars @StringLength(min = 1, max = 12) String, String> extra) {
        Map<String, String> sent = new LinkedHashMap<>();
        sent.put("path", "/docs/file.txt");
        extra.forEach((key, value) -> {
            // Text a client can send at all: a lone surrogate has no UTF-8.
            if (new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(value)) {
                sent.putIfAbsent("x" + key, value);
            }
        });
        String header = sent.entrySet().stream()
                .map(e -> e.getValue().isEmpty() ? e.getKey() : e.getKey() + " " + b64(e.getValue()))
                .collect(Collectors.joining(","));

        assertThat(UploadMetadata.pairs(header)).containsExactlyEntriesOf(sent);
    }

    private static void assertCode(String header, ErrorCode code) {
        assertThatThrownBy(() -> UploadMetadata.parse(header))
                .isInstanceOf(SyncboxException.class)
                .extracting(e -> ((SyncboxException) e).code())
                .isEqualTo(code);
    }
}

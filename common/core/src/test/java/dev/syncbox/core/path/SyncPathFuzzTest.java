package dev.syncbox.core.path;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * Coverage-guided fuzzing (Jazzer) of the one gate every client path passes: any string either is refused as
 * {@code invalid_path} — never any other exception — or comes out in a canonical form that the same rules take back
 * unchanged: absolute, NFC, within the byte limits, without empty, {@code .} or {@code ..} segments, control
 * characters, lone surrogates, or a segment ending in a space. In the test command it replays the inputs kept under
 * {@code src/test/resources}; {@code reliability/fuzz.sh} fuzzes for a while and keeps what it finds.
 */
class SyncPathFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void normalizeRefusesOrAnswersACanonicalPath(String raw) {
        String path;
        try {
            path = SyncPath.normalize(raw);
        } catch (SyncboxException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATH);
            return;
        }
        assertThat(SyncPath.normalize(path)).as("canonical form of %s", raw).isEqualTo(path);
        assertThat(path).startsWith("/");
        assertThat(Normalizer.isNormalized(path, Normalizer.Form.NFC)).isTrue();
        assertThat(path.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(SyncPath.MAX_PATH_BYTES);
        if (!path.equals("/")) {
            assertThat(path).doesNotEndWith("/");
            for (String segment : path.substring(1).split("/", -1)) {
                assertThat(segment)
                        .isNotEmpty()
                        .isNotEqualTo(".")
                        .isNotEqualTo("..")
                        .doesNotEndWith(" ");
                assertThat(segment.getBytes(StandardCharsets.UTF_8).length)
                        .isLessThanOrEqualTo(SyncPath.MAX_SEGMENT_BYTES);
            }
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            assertThat(c < 0x20 || (c >= 0x7f && c <= 0x9f))
                    .as("control character in %s", path)
                    .isFalse();
            if (Character.isHighSurrogate(c)) {
                assertThat(i + 1 < path.length() && Character.isLowSurrogate(path.charAt(i + 1)))
                        .as("lone surrogate in %s", path)
                        .isTrue();
                i++;
            } else {
                assertThat(Character.isLowSurrogate(c))
                        .as("lone surrogate in %s", path)
                        .isFalse();
            }
        }
    }
}

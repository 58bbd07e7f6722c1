package dev.syncbox.core.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SyncPathTest {

    @Test
    void shouldKeepACanonicalPathAsIs() {
        assertThat(SyncPath.normalize("/Photos/2024/Beach.JPG")).isEqualTo("/Photos/2024/Beach.JPG");
    }

    @Test
    void shouldAcceptTheRoot() {
        assertThat(SyncPath.normalize("/")).isEqualTo("/");
    }

    @Test
    void shouldPreserveCase() {
        assertThat(SyncPath.normalize("/ReadMe.TXT")).isEqualTo("/ReadMe.TXT");
    }

    @Test
    void shouldStripATrailingSlash() {
        assertThat(SyncPath.normalize("/docs/")).isEqualTo("/docs");
        assertThat(SyncPath.normalize("/a/b/")).isEqualTo("/a/b");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "   "})
    void shouldRejectEmptyOrBlankPaths(String raw) {
        assertInvalid(raw).hasMessageContaining("empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"docs/a.txt", "a", "./a", "~/a"})
    void shouldRejectRelativePaths(String raw) {
        assertInvalid(raw).hasMessageContaining("must start with '/'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/..", "/a/..", "/a/../b", "/../etc/passwd"})
    void shouldRejectDotDotSegments(String raw) {
        assertInvalid(raw).hasMessageContaining("'..'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/.", "/a/.", "/a/./b"})
    void shouldRejectDotSegments(String raw) {
        assertInvalid(raw).hasMessageContaining("'.'");
    }

    @Test
    void shouldAcceptNamesMadeOfMoreDots() {
        assertThat(SyncPath.normalize("/.../.hidden/a..b")).isEqualTo("/.../.hidden/a..b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"//", "//a", "/a//b", "/a//"})
    void shouldRejectEmptySegments(String raw) {
        assertInvalid(raw).hasMessageContaining("empty segment");
    }

    @Test
    void shouldRejectNul() {
        assertInvalid("/a\u0000b").hasMessageContaining("U+0000");
    }

    @Test
    void shouldRejectNewline() {
        assertInvalid("/a\nb").hasMessageContaining("U+000A");
    }

    @Test
    void shouldRejectDel() {
        assertInvalid("/a\u007Fb").hasMessageContaining("U+007F");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a\tb", "/a\rb", "/\u001F", "/a\u0080", "/a\u009Fb"})
    void shouldRejectOtherControlCharacters(String raw) {
        assertInvalid(raw).hasMessageContaining("control character");
    }

    @Test
    void shouldRejectUnpairedSurrogates() {
        assertInvalid("/a\uD800b").hasMessageContaining("surrogate");
    }

    @Test
    void shouldAcceptAPathOfExactly1024Bytes() {
        String path = pathOfBytes(1024);

        assertThat(SyncPath.normalize(path)).isEqualTo(path);
    }

    @Test
    void shouldRejectAPathOf1025Bytes() {
        assertInvalid(pathOfBytes(1025)).hasMessageContaining("1025 bytes");
    }

    @Test
    void shouldCountMultiByteCharactersInUtf8Bytes() {
        // "é" is 2 bytes and "😀" 4 bytes in UTF-8, so the limit is reached long before 1024 chars.
        String segment = "é".repeat(120); // 240 bytes
        String path = ("/" + segment).repeat(4) + "/" + "😀".repeat(10); // 4 * 241 + 1 + 40 = 1005 bytes
        assertThat(SyncPath.normalize(path)).isEqualTo(path);

        String tooLong = path + "é".repeat(10); // 1025 bytes, only 515 chars
        assertThat(tooLong.length()).isLessThan(1024);
        assertInvalid(tooLong).hasMessageContaining("1025 bytes");
    }

    @Test
    void shouldAcceptASegmentOf255BytesAndRejectOneOf256() {
        assertThat(SyncPath.normalize("/" + "a".repeat(255))).hasSize(256);
        assertInvalid("/" + "a".repeat(256)).hasMessageContaining("256 bytes");
        assertInvalid("/" + "é".repeat(128)).as("128 chars but 256 bytes").hasMessageContaining("256 bytes");
    }

    @Test
    void shouldNormalizeNfdToNfc() {
        String nfd = "/Cafe\u0301/re\u0301sume\u0301.txt"; // as macOS writes it
        String nfc = "/Caf\u00E9/r\u00E9sum\u00E9.txt"; // as Windows writes it

        assertThat(SyncPath.normalize(nfd)).isEqualTo(nfc);
        assertThat(SyncPath.normalize(nfc)).isEqualTo(nfc);
    }

    @Test
    void shouldMeasureLengthAfterNormalization() {
        // 1025 bytes as NFD ("e" + U+0301 = 3 bytes) but 1024 bytes as NFC ("é" = 2 bytes).
        String nfd = pathOfBytes(1022) + "e\u0301";
        assertThat(nfd.getBytes(StandardCharsets.UTF_8)).hasSize(1025);

        assertThat(SyncPath.normalize(nfd).getBytes(StandardCharsets.UTF_8)).hasSize(1024);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a ", "/a /b", "/ ", "/a/   "})
    void shouldRejectNamesEndingWithOrMadeOfSpaces(String raw) {
        assertInvalid(raw).hasMessageContaining("space");
    }

    @Test
    void shouldAcceptSpacesInsideAndAtTheStartOfNames() {
        assertThat(SyncPath.normalize("/ My Docs/a b.txt")).isEqualTo("/ My Docs/a b.txt");
    }

    @Test
    void shouldGiveTheParentFolder() {
        assertThat(SyncPath.parent("/a/b")).isEqualTo("/a");
        assertThat(SyncPath.parent("/a/b/c.txt")).isEqualTo("/a/b");
        assertThat(SyncPath.parent("/a")).isEqualTo("/");
        assertThat(SyncPath.parent("/")).isNull();
    }

    @Test
    void shouldGiveTheName() {
        assertThat(SyncPath.name("/a/b.txt")).isEqualTo("b.txt");
        assertThat(SyncPath.name("/a")).isEqualTo("a");
        assertThat(SyncPath.name("/")).isEmpty();
    }

    @Test
    void shouldRecognizeTheRoot() {
        assertThat(SyncPath.isRoot("/")).isTrue();
        assertThat(SyncPath.isRoot("/a")).isFalse();
    }

    @Test
    void shouldTellWhetherAPathIsUnderAFolder() {
        assertThat(SyncPath.isUnder("/a", "/a")).isTrue();
        assertThat(SyncPath.isUnder("/a/b", "/a")).isTrue();
        assertThat(SyncPath.isUnder("/a/b/c", "/a")).isTrue();
        assertThat(SyncPath.isUnder("/a/b", "/")).isTrue();
        assertThat(SyncPath.isUnder("/", "/")).isTrue();
        assertThat(SyncPath.isUnder("/ab", "/a")).isFalse();
        assertThat(SyncPath.isUnder("/a", "/a/b")).isFalse();
        assertThat(SyncPath.isUnder("/", "/a")).isFalse();
        assertThat(SyncPath.isUnder("/A/b", "/a")).as("case is preserved").isFalse();
    }

    @Test
    void shouldBuildAChildPath() {
        assertThat(SyncPath.child("/", "a")).isEqualTo("/a");
        assertThat(SyncPath.child("/a", "b.txt")).isEqualTo("/a/b.txt");
        assertThat(SyncPath.child("/a", "e\u0301")).isEqualTo("/a/\u00E9");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"b/c", "..", ".", "b "})
    void shouldRejectAnInvalidChildName(String name) {
        assertThatThrownBy(() -> SyncPath.child("/a", name))
                .isInstanceOfSatisfying(
                        SyncboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATH));
    }

    /** "/aaa.../aaa..." of exactly {@code bytes} UTF-8 bytes, with segments within the 255-byte limit. */
    private static String pathOfBytes(int bytes) {
        StringBuilder path = new StringBuilder();
        while (path.length() < bytes) {
            int segment = Math.min(200, bytes - path.length() - 1);
            if (segment == 0) { // avoid an empty last segment: lengthen the previous one
                path.append('a');
                continue;
            }
            path.append('/').append("a".repeat(segment));
        }
        return path.toString();
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(String raw) {
        return assertThatThrownBy(() -> SyncPath.normalize(raw))
                .isInstanceOfSatisfying(
                        SyncboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATH));
    }
}

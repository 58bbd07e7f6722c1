package dev.syncbox.conflict.engine.merge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextMergeTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String merge(String base, String ours, String theirs) {
        TextMerge.Merged merged = TextMerge.merge(b(base), b(ours), b(theirs), "laptop", "phone");
        return new String(merged.content(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldMergeEditsToDifferentParagraphs() {
        String base = "one\n\ntwo\n\nthree\n";

        TextMerge.Merged merged =
                TextMerge.merge(b(base), b("ONE\n\ntwo\n\nthree\n"), b("one\n\ntwo\n\nTHREE\n"), "laptop", "phone");

        assertThat(merged.hasConflicts()).isFalse();
        assertThat(new String(merged.content(), StandardCharsets.UTF_8)).isEqualTo("ONE\n\ntwo\n\nTHREE\n");
    }

    @Test
    void shouldKeepBothSidesOfOverlappingEditsBetweenMarkers() {
        TextMerge.Merged merged = TextMerge.merge(b("a\nb\nc\n"), b("a\nB1\nc\n"), b("a\nB2\nc\n"), "laptop", "phone");

        assertThat(merged.hasConflicts()).isTrue();
        assertThat(new String(merged.content(), StandardCharsets.UTF_8))
                .isEqualTo("a\n<<<<<<< laptop\nB1\n=======\nB2\n>>>>>>> phone\nc\n");
    }

    @Test
    void shouldKeepCrlfLineEndings() {
        assertThat(merge("a\r\nb\r\nc\r\n", "A\r\nb\r\nc\r\n", "a\r\nb\r\nC\r\n"))
                .isEqualTo("A\r\nb\r\nC\r\n");
    }

    @Test
    void shouldMergeWithoutTrailingNewline() {
        assertThat(merge("a\nb\nc", "A\nb\nc", "a\nb\nc and more")).isEqualTo("A\nb\nc and more");
    }

    @Test
    void shouldMergeFromAnEmptyBase() {
        TextMerge.Merged same = TextMerge.merge(b(""), b("x\n"), b("x\n"), "laptop", "phone");
        TextMerge.Merged different = TextMerge.merge(b(""), b("x\n"), b("y\n"), "laptop", "phone");

        assertThat(new String(same.content(), StandardCharsets.UTF_8)).isEqualTo("x\n");
        assertThat(same.hasConflicts()).isFalse();
        assertThat(different.hasConflicts()).isTrue();
    }

    @Test
    void shouldTellTextFromBinary() {
        assertThat(TextMerge.isText(b("plain text, ünïcødé\n"))).isTrue();
        assertThat(TextMerge.isText(new byte[0])).isTrue();
        assertThat(TextMerge.isText(new byte[] {'a', 0, 'b'})).isFalse();
        assertThat(TextMerge.isText(new byte[] {(byte) 0xff, (byte) 0xfe, 'a'})).isFalse();
    }
}

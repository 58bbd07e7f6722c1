package dev.syncbox.conflict.engine.merge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.merge.MergeAlgorithm;
import org.eclipse.jgit.merge.MergeFormatter;
import org.eclipse.jgit.merge.MergeResult;

/**
 * Three-way merge of text with JGit's {@link MergeAlgorithm} (histogram diff), and the rule that
 * decides what is text.
 */
public final class TextMerge {

    /** The outcome: the merged bytes, and whether they hold conflict markers. */
    public record Merged(byte[] content, boolean hasConflicts) {}

    private static final int SNIFF = 8000;

    private TextMerge() {}

    /**
     * Text is what git treats as text — no NUL byte in the first 8,000 bytes — and is also valid
     * UTF-8, so a merge never splits a multi-byte character it does not understand.
     */
    public static boolean isText(byte[] content) {
        for (int i = 0; i < Math.min(content.length, SNIFF); i++) {
            if (content[i] == 0) {
                return false;
            }
        }
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /**
     * Merges {@code ours} (the late upload) and {@code theirs} (the current version), both edited
     * from {@code base}. Overlapping edits are kept both, between {@code <<<<<<< oursName},
     * {@code =======} and {@code >>>>>>> theirsName} lines. Line endings are kept as they are.
     */
    public static Merged merge(byte[] base, byte[] ours, byte[] theirs, String oursName, String theirsName) {
        MergeAlgorithm algorithm =
                new MergeAlgorithm(DiffAlgorithm.getAlgorithm(DiffAlgorithm.SupportedAlgorithm.HISTOGRAM));
        MergeResult<RawText> result =
                algorithm.merge(RawTextComparator.DEFAULT, new RawText(base), new RawText(ours), new RawText(theirs));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new MergeFormatter()
                    .formatMerge(out, result, List.of("base", oursName, theirsName), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Merged(out.toByteArray(), result.containsConflicts());
    }
}

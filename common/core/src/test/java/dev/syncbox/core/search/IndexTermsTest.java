package dev.syncbox.core.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The index's own word splitting and folder keys, against plain references on random names and paths. */
class IndexTermsTest {

    @Test
    void shouldSplitNamesIntoWholeRunsAndTheirCaseAndDigitParts() {
        assertThat(IndexTerms.words("QuarterlyReport-2026_final.PDF"))
                .containsExactly("quarterlyreport", "quarterly", "report", "2026", "final", "pdf");
        assertThat(IndexTerms.words("IMG2041.jpg")).containsExactly("img2041", "img", "2041", "jpg");
        assertThat(IndexTerms.words("Café menü")).containsExactly("café", "menü");
        assertThat(IndexTerms.words("... --")).isEmpty();
        assertThat(IndexTerms.queryWords("Report 2026 report")).containsExactly("report", "2026");
    }

    @Test
    void shouldNameFoldersExtensionsAndCategories() {
        assertThat(IndexTerms.folders("/a/b/c.txt")).containsExactly("/a", "/a/b");
        assertThat(IndexTerms.folders("/top.txt")).isEmpty();
        assertThat(IndexTerms.extension("Plan.DOCX")).isEqualTo("docx");
        assertThat(IndexTerms.extension(".bashrc")).isEmpty();
        assertThat(IndexTerms.extension("trailing.")).isEmpty();
        assertThat(IndexTerms.category("docx", false)).isEqualTo("document");
        assertThat(IndexTerms.category("docx", true)).isEqualTo("folder");
        assertThat(IndexTerms.category("xyz", false)).isEqualTo("other");
        assertThat(IndexTerms.parent("/a/b/c.txt")).isEqualTo("/a/b");
        assertThat(IndexTerms.parent("/c.txt")).isEmpty();
        assertThat(IndexTerms.name("/a/b/c.txt")).isEqualTo("c.txt");
    }

    /** A folder key is in a path's folders exactly when the path lies under that folder. */
    @Property(tries = 2000)
    void foldersAreExactlyTheProperAncestors(@ForAll("paths") String path, @ForAll("paths") String other) {
        List<String> folders = IndexTerms.folders(path);
        // The plain reference: every prefix that ends just before a slash, other than the root.
        List<String> ancestors = new ArrayList<>();
        for (int i = 1; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                ancestors.add(path.substring(0, i));
            }
        }
        assertThat(folders).isEqualTo(ancestors);
        assertThat(folders.contains(other)).isEqualTo(path.startsWith(other + "/"));
    }

    /**
     * Every word of a query made of a name's own runs is among the name's indexed words, and each indexed word is a
     * piece of the lower-cased name: what is typed from a name finds it, and nothing is indexed that the name lacks.
     * Names hold case changes, digits, separators, accents and a letter whose lower case is two characters.
     */
    @Property(tries = 2000)
    void aNamesOwnRunsFindIt(@ForAll("names") String name) {
        List<String> indexed = IndexTerms.words(name);
        String lower = name.toLowerCase(Locale.ROOT);
        assertThat(IndexTerms.queryWords(name)).allMatch(indexed::contains);
        assertThat(indexed).allMatch(lower::contains);
        // Words are joined by spaces for the index's whitespace analyzer: none may hold one. (Lower-casing may add a
        // combining mark, as İ becomes i and a dot above; queries are lower-cased the same way.)
        assertThat(indexed)
                .allMatch(word -> !word.isEmpty() && word.codePoints().noneMatch(Character::isWhitespace));
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> segment =
                Arbitraries.strings().withChars("abAB1").ofMinLength(1).ofMaxLength(3);
        return segment.list().ofMinSize(1).ofMaxSize(5).map(parts -> "/" + String.join("/", parts));
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withChars("aZbY09-_. é€İ").ofMinLength(0).ofMaxLength(24);
    }
}

package dev.syncbox.upload.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Which superseded block the version store pairs with which replacement, checked against the plain answer (the
 * blocks the parent names and the version does not, and the other way round) on random block lists and edits.
 */
class VersionStorePairsTest {

    @Test
    void shouldPairAChangedBlockWithTheOneThatReplacedIt() {
        List<VersionStore.Pair> pairs = VersionStore.pairs(List.of("a", "b", "c", "d"), List.of("a", "B", "c", "d"));

        assertThat(pairs).containsExactly(new VersionStore.Pair("b", List.of("B")));
    }

    @Test
    void shouldPairNothingWhenBlocksAreOnlyAddedOrOnlyRemoved() {
        assertThat(VersionStore.pairs(List.of("a", "b"), List.of("a", "x", "b")))
                .isEmpty();
        assertThat(VersionStore.pairs(List.of("a", "x", "b"), List.of("a", "b")))
                .isEmpty();
        assertThat(VersionStore.pairs(List.of("a", "b"), List.of("a", "b"))).isEmpty();
    }

    @Property(tries = 2000)
    void shouldPairOnlySupersededBlocksWithReplacements(
            @ForAll @IntRange(min = 0, max = 60) int length,
            @ForAll @IntRange(min = 0, max = 60) int at,
            @ForAll @IntRange(min = 0, max = 40) int removed,
            @ForAll @IntRange(min = 0, max = 5) int added,
            @ForAll @IntRange(min = 0, max = 3) int repeats) {
        List<String> parent = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            parent.add("p" + (i % (length - Math.min(repeats, Math.max(0, length - 1)))));
        }
        int from = Math.min(at, parent.size());
        int to = Math.min(parent.size(), from + removed);
        List<String> version = new ArrayList<>(parent.subList(0, from));
        for (int i = 0; i < added; i++) {
            version.add("n" + i);
        }
        version.addAll(parent.subList(to, parent.size()));

        List<VersionStore.Pair> pairs = VersionStore.pairs(parent, version);

        Set<String> superseded = new HashSet<>(parent);
        superseded.removeAll(version);
        Set<String> replacements = new HashSet<>(version);
        replacements.removeAll(parent);
        Set<String> paired = new HashSet<>();
        for (VersionStore.Pair pair : pairs) {
            assertThat(superseded).contains(pair.superseded());
            assertThat(pair.candidates())
                    .isNotEmpty()
                    .hasSizeLessThanOrEqualTo(3)
                    .doesNotHaveDuplicates();
            assertThat(replacements).containsAll(pair.candidates());
            assertThat(paired.add(pair.superseded()))
                    .as("paired once: %s", pair.superseded())
                    .isTrue();
        }
        // One contiguous edit: every superseded block is paired (up to the cap) when something replaced it.
        if (!replacements.isEmpty()) {
            assertThat(paired.size()).isEqualTo(Math.min(superseded.size(), VersionStore.MAX_SUPERSEDED_PER_VERSION));
        } else {
            assertThat(pairs).isEmpty();
        }
    }
}

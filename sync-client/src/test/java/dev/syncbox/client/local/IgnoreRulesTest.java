package dev.syncbox.client.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.Test;

/**
 * {@code .syncboxignore} is gitignore syntax, so git itself is the reference: random patterns (in the forms
 * gitignore(5) documents) over random trees, and every path's verdict must be {@code git check-ignore}'s.
 */
class IgnoreRulesTest {

    private static Path repo;

    @BeforeContainer
    static void gitRepository() throws Exception {
        repo = Files.createTempDirectory("ignore-rules");
        git(null, "init", "-q");
    }

    @AfterContainer
    static void removeRepository() throws IOException {
        try (var all = Files.walk(repo)) {
            all.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void shouldReadTheUsualRules() {
        IgnoreRules rules =
                IgnoreRules.parse(List.of("# build output", "build/", "*.log", "!keep.log", "/top.txt", ""));

        assertThat(rules.ignored("/build", true)).isTrue();
        assertThat(rules.ignored("/src/build/x.class", false))
                .as("in an ignored folder")
                .isTrue();
        assertThat(rules.ignored("/build", false)).as("a file named build").isFalse();
        assertThat(rules.ignored("/a/b/debug.log", false)).isTrue();
        assertThat(rules.ignored("/keep.log", false)).isFalse();
        assertThat(rules.ignored("/top.txt", false)).isTrue();
        assertThat(rules.ignored("/sub/top.txt", false))
                .as("anchored at the top")
                .isFalse();
    }

    @Property(tries = 300)
    void shouldAgreeWithGit(@ForAll("patterns") List<String> patterns, @ForAll("trees") Map<String, Boolean> tree)
            throws Exception {
        Path work = Files.createTempDirectory(repo, "case");
        try {
            Files.write(work.resolve(".gitignore"), patterns, StandardCharsets.UTF_8);
            for (Map.Entry<String, Boolean> e : tree.entrySet()) {
                Path p = work.resolve(e.getKey());
                if (e.getValue()) {
                    Files.createDirectories(p);
                } else {
                    Files.createDirectories(p.getParent());
                    if (!Files.exists(p)) {
                        Files.createFile(p);
                    }
                }
            }
            Set<String> byGit = checkIgnore(work, tree.keySet());
            IgnoreRules rules = IgnoreRules.parse(patterns);
            for (Map.Entry<String, Boolean> e : tree.entrySet()) {
                boolean dir = Files.isDirectory(work.resolve(e.getKey()));
                assertThat(rules.ignored("/" + e.getKey(), dir))
                        .as("%s (%s) with %s", e.getKey(), dir ? "folder" : "file", patterns)
                        .isEqualTo(byGit.contains(e.getKey()));
            }
        } finally {
            try (var all = Files.walk(work)) {
                all.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    @Provide
    Arbitrary<List<String>> patterns() {
        // "**" as a whole segment, as gitignore(5) defines it; elsewhere git's matcher has undocumented quirks
        // (it strips a pattern's literal prefix first, so "b**/a" matches "ba").
        Arbitrary<String> piece = Arbitraries.of("a", "b", "ab", "*", "?", "a*", "*b", "[ab]", "[!a]", ".txt");
        Arbitrary<String> segment = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(
                        5,
                        piece.list()
                                .ofMinSize(1)
                                .ofMaxSize(2)
                                .map(l -> String.join("", l))
                                .filter(g -> !g.contains("**"))),
                net.jqwik.api.Tuple.of(1, Arbitraries.just("**")));
        Arbitrary<String> glob = segment.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join("/", l));
        Arbitrary<String> pattern = Combinators.combine(
                        Arbitraries.of("", "", "!", "/"), glob, Arbitraries.of("", "", "/"))
                .as((prefix, g, suffix) -> prefix + g + suffix);
        return pattern.list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<Map<String, Boolean>> trees() {
        Arbitrary<String> name = Arbitraries.of("a", "b", "ab", "ba", "a.txt", "bb");
        Arbitrary<String> path = name.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join("/", l));
        return path.list().ofMinSize(1).ofMaxSize(6).map(paths -> {
            // Every prefix of a path is a folder; a path is a file unless it is someone's prefix.
            Map<String, Boolean> tree = new LinkedHashMap<>();
            Set<String> folders = new HashSet<>();
            for (String p : paths) {
                for (int slash = p.indexOf('/'); slash > 0; slash = p.indexOf('/', slash + 1)) {
                    folders.add(p.substring(0, slash));
                }
            }
            for (String p : paths) {
                for (int slash = p.indexOf('/'); slash > 0; slash = p.indexOf('/', slash + 1)) {
                    tree.put(p.substring(0, slash), true);
                }
                tree.putIfAbsent(p, folders.contains(p));
            }
            return tree;
        });
    }

    private static Set<String> checkIgnore(Path work, Set<String> paths) throws Exception {
        Process git = new ProcessBuilder("git", "check-ignore", "--no-index", "--stdin")
                .directory(work.toFile())
                .redirectErrorStream(true)
                .start();
        try (var in = git.getOutputStream()) {
            in.write((String.join("\n", paths) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        git.waitFor(30, TimeUnit.SECONDS);
        Set<String> ignored = new HashSet<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                ignored.add(line.strip());
            }
        }
        return ignored;
    }

    private static void git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
}

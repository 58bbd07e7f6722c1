package dev.syncbox.client.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.hash.ContentHasher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashesTest {

    @TempDir
    Path root;

    private final Map<String, Hashes.Known> store = new HashMap<>();
    private final Hashes hashes = new Hashes(List.of(), new Hashes.Store() {
        @Override
        public void put(Hashes.Known known) {
            store.put(known.path(), known);
        }

        @Override
        public void remove(String path) {
            store.remove(path);
        }
    });

    @Test
    void shouldTrustARememberedHashOnlyWhileSizeTimeAndInodeAreUnchanged() throws IOException {
        Path file = root.resolve("a.txt");
        Files.writeString(file, "first");
        FileTime time = Files.getLastModifiedTime(file);
        assertThat(hashes.hash("/a.txt", file)).isEqualTo(hash("first"));

        // Same size and time, other bytes: only a rewrite that keeps both could fool it, as in every sync client.
        Files.writeString(file, "other");
        Files.setLastModifiedTime(file, time);
        assertThat(hashes.hash("/a.txt", file)).as("not read again").isEqualTo(hash("first"));

        Files.setLastModifiedTime(file, FileTime.fromMillis(time.toMillis() + 2000));
        assertThat(hashes.hash("/a.txt", file)).as("read again").isEqualTo(hash("other"));
    }

    @Test
    void shouldCarryHashesAlongAMoveOfAFolderAndNothingElse() throws IOException {
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/a.txt"), "a");
        Files.writeString(root.resolve("docs-old.txt"), "b");
        hashes.hash("/docs/a.txt", root.resolve("docs/a.txt"));
        hashes.hash("/docs-old.txt", root.resolve("docs-old.txt"));

        hashes.moved("/docs", "/papers");

        assertThat(store).containsOnlyKeys("/papers/a.txt", "/docs-old.txt");
    }

    private static String hash(String text) {
        return ContentHasher.of(text.getBytes(StandardCharsets.UTF_8));
    }
}

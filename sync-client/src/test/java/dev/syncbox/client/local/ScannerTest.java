package dev.syncbox.client.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.client.engine.SyncEngine;
import dev.syncbox.client.plan.LocalEntry;
import dev.syncbox.client.plan.Plan;
import dev.syncbox.core.hash.ContentHasher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScannerTest {

    @TempDir
    Path root;

    private final List<String> stored = new ArrayList<>();

    private SyncEngine.Scanned scan() throws IOException {
        return scanner().scan();
    }

    private Scanner scanner() {
        Hashes hashes = new Hashes(List.of(), new Hashes.Store() {
            @Override
            public void put(Hashes.Known known) {
                stored.add(known.path());
            }

            @Override
            public void remove(String path) {
                stored.remove(path);
            }
        });
        return new Scanner(new LocalFolder(root), hashes);
    }

    @Test
    void shouldNotTakeAFolderRenamedWhileItWasWalkedForDeleted() throws IOException {
        for (int d = 0; d < 20; d++) {
            Files.createDirectories(root.resolve("tree/d" + d));
            for (int f = 0; f < 5; f++) {
                Files.writeString(root.resolve("tree/d" + d + "/f" + f), d + "/" + f);
            }
        }
        Scanner scanner = scanner();
        List<String> reached = new ArrayList<>();
        scanner.reached = path -> {
            reached.add(path);
            if (reached.size() == 30) {
                // Partway through the tree, as a user renames it in a file manager.
                try {
                    Files.move(root.resolve("tree"), root.resolve("renamed"));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };

        List<LocalEntry> entries = scanner.scan().entries();

        assertThat(entries)
                .as("the folder as it is after the rename, whole: nothing of it read as gone")
                .filteredOn(e -> !e.dir())
                .hasSize(100)
                .allMatch(e -> e.path().startsWith("/renamed/"));
        assertThat(entries).noneMatch(e -> e.path().startsWith("/tree"));
        assertThat(reached).as("walked again").hasSizeGreaterThan(100);
    }

    @Test
    void shouldListFoldersAndFilesWithTheServersContentHash() throws IOException {
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("a/b/c.txt"), "hello");

        List<LocalEntry> entries = scan().entries();

        assertThat(entries).extracting(LocalEntry::path).containsExactlyInAnyOrder("/a", "/a/b", "/a/b/c.txt");
        LocalEntry file = entries.stream().filter(e -> !e.dir()).findFirst().orElseThrow();
        assertThat(file.contentHash()).isEqualTo(ContentHasher.of("hello".getBytes(StandardCharsets.UTF_8)));
        assertThat(file.size()).isEqualTo(5);
        assertThat(file.inode()).isPositive();
        assertThat(stored).containsExactly("/a/b/c.txt");
    }

    @Test
    void shouldSkipItsOwnStateAndTheUsualTemporaryFiles() throws IOException {
        Files.createDirectories(root.resolve(".syncbox/quarantine"));
        Files.writeString(root.resolve(".syncbox/quarantine/old.txt"), "kept");
        for (String name : List.of(".DS_Store", "~$report.docx", ".notes.txt.swp", "video.crdownload", "backup~")) {
            Files.writeString(root.resolve(name), "temporary");
        }
        Files.writeString(root.resolve("report.docx"), "real");

        assertThat(scan().entries()).extracting(LocalEntry::path).containsExactly("/report.docx");
    }

    @Test
    void shouldKeepWhatTheIgnoreFileNamesOutOfSyncOnBothSides() throws IOException {
        Files.writeString(root.resolve(".syncboxignore"), "build/\n*.log\n!keep.log\n");
        Files.createDirectories(root.resolve("build/classes"));
        Files.writeString(root.resolve("build/classes/A.class"), "x");
        Files.writeString(root.resolve("debug.log"), "x");
        Files.writeString(root.resolve("keep.log"), "x");

        SyncEngine.Scanned scanned = scan();

        assertThat(scanned.entries())
                .extracting(LocalEntry::path)
                .containsExactlyInAnyOrder("/.syncboxignore", "/keep.log");
        assertThat(scanned.ignore().ignored("/build/other.txt", false))
                .as("a server entry there")
                .isTrue();
        assertThat(scanned.ignore().ignored("/docs/.DS_Store", false)).isTrue();
        assertThat(scanned.ignore().ignored("/.syncbox", true)).isTrue();
        assertThat(scanned.ignore().ignored("/docs/report.txt", false)).isFalse();
    }

    @Test
    void shouldReportWhatCannotBeSyncedInsteadOfSkippingIt() throws IOException {
        Files.writeString(root.resolve("target.txt"), "x");
        Files.createSymbolicLink(root.resolve("link"), root.resolve("target.txt"));
        Files.writeString(root.resolve("Cafe\u0301.txt"), "decomposed accent");

        SyncEngine.Scanned scanned = scan();

        assertThat(scanned.entries()).extracting(LocalEntry::path).containsExactly("/target.txt");
        assertThat(scanned.problems())
                .extracting(Plan.Problem::path)
                .containsExactlyInAnyOrder("/link", "/Cafe\u0301.txt");
        assertThat(scanned.problems()).allSatisfy(p -> assertThat(p.reason()).isNotBlank());
    }

    @Test
    void shouldRefuseToScanAFolderThatIsNotThere() {
        LocalFolder gone = new LocalFolder(root.resolve("unmounted"));
        Hashes hashes = new Hashes(List.of(), new Hashes.Store() {
            @Override
            public void put(Hashes.Known known) {}

            @Override
            public void remove(String path) {}
        });

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Scanner(gone, hashes).scan())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not there");
    }
}

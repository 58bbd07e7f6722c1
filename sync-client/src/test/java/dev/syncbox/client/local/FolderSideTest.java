package dev.syncbox.client.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.client.sync.ContentSource;
import dev.syncbox.client.sync.LocalSide;
import dev.syncbox.core.hash.ContentHasher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The folder's side of a download and a delete, on a real disk: a download replaces only what the plan saw there, so
 * a file written since the scan is never overwritten, and a folder goes only once it is empty.
 */
class FolderSideTest {

    @TempDir
    Path root;

    private static final byte[] NEW = "the server's version".getBytes(StandardCharsets.UTF_8);

    /** Serves {@link #NEW} for every version. */
    private final ContentSource server = (path, fileId, versionId, contentHash, size, previous, target) -> {
        Files.write(target, NEW);
        return List.of();
    };

    private FolderSide side() {
        Hashes hashes = new Hashes(List.of(), new Hashes.Store() {
            @Override
            public void put(Hashes.Known known) {}

            @Override
            public void remove(String path) {}
        });
        return new FolderSide(
                new LocalFolder(root),
                server,
                hashes,
                Clock.fixed(Instant.parse("2026-12-04T12:00:00Z"), ZoneOffset.UTC));
    }

    private static String hash(byte[] content) {
        ContentHasher hasher = new ContentHasher();
        hasher.update(content, 0, content.length);
        return hasher.hexDigest();
    }

    private long download(FolderSide side, String replacing) throws IOException {
        return side.download("f1", "/a.txt", "v2", hash(NEW), NEW.length, replacing);
    }

    private long quarantined() throws IOException {
        Path quarantine = new LocalFolder(root).quarantine();
        if (!Files.isDirectory(quarantine)) {
            return 0;
        }
        try (Stream<Path> kept = Files.walk(quarantine)) {
            return kept.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void aFileMadeWhereThePlanSawNothingIsLeftAlone() throws IOException {
        Files.writeString(root.resolve("a.txt"), "written since the scan");

        assertThat(download(side(), null)).isEqualTo(LocalSide.CHANGED);

        assertThat(Files.readString(root.resolve("a.txt"))).isEqualTo("written since the scan");
        assertThat(quarantined()).isZero();
    }

    @Test
    void aFileEditedSinceTheScanIsLeftAlone() throws IOException {
        byte[] synced = "as synced".getBytes(StandardCharsets.UTF_8);
        Files.writeString(root.resolve("a.txt"), "edited since the scan");

        assertThat(download(side(), hash(synced))).isEqualTo(LocalSide.CHANGED);

        assertThat(Files.readString(root.resolve("a.txt"))).isEqualTo("edited since the scan");
        assertThat(quarantined()).isZero();
    }

    @Test
    void theFileThePlanSawIsReplacedAndKeptInTheQuarantine() throws IOException {
        byte[] synced = "as synced".getBytes(StandardCharsets.UTF_8);
        Files.write(root.resolve("a.txt"), synced);

        assertThat(download(side(), hash(synced))).isPositive();

        assertThat(Files.readAllBytes(root.resolve("a.txt"))).isEqualTo(NEW);
        assertThat(quarantined()).isOne();
    }

    @Test
    void aFreePathIsWritten() throws IOException {
        assertThat(download(side(), null)).isPositive();

        assertThat(Files.readAllBytes(root.resolve("a.txt"))).isEqualTo(NEW);
    }

    @Test
    void aFolderGoesOnlyOnceEmpty() throws IOException {
        byte[] synced = "as synced".getBytes(StandardCharsets.UTF_8);
        Files.createDirectories(root.resolve("d"));
        Files.write(root.resolve("d/a.txt"), synced);
        FolderSide side = side();

        assertThat(side.delete("/d", null)).isFalse();
        assertThat(side.delete("/d/a.txt", hash(synced))).isTrue();
        assertThat(side.delete("/d", null)).isTrue();

        assertThat(root.resolve("d")).doesNotExist();
        assertThat(quarantined()).isOne();
    }
}

package dev.syncbox.client.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncbox.client.local.Hashes;
import dev.syncbox.client.plan.RemoteEntry;
import dev.syncbox.client.plan.SyncedEntry;
import dev.syncbox.client.sync.LocalBlocks;
import dev.syncbox.core.chunk.ChunkRef;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDbTest {

    @TempDir
    Path temp;

    @Test
    void shouldKeepTreesAndCursorAcrossReopening() throws Exception {
        Path file = temp.resolve("state.db");
        try (StateDb state = StateDb.open(file)) {
            state.inTransaction(() -> {
                state.remote().put(new RemoteEntry("f1", "/a.txt", false, "v1", "h1", 5));
                state.synced().put(new SyncedEntry("f1", "/a.txt", false, "v1", "h1", 42));
                state.cursor("c1");
            });
        }
        try (StateDb state = StateDb.open(file)) {
            assertThat(state.remoteEntries()).containsExactly(new RemoteEntry("f1", "/a.txt", false, "v1", "h1", 5));
            assertThat(state.syncedEntries()).containsExactly(new SyncedEntry("f1", "/a.txt", false, "v1", "h1", 42));
            assertThat(state.cursor()).isEqualTo("c1");
            assertThat(state.syncedAt("/a.txt")).isPositive();
        }
    }

    @Test
    void shouldRollBackAFeedPageThatFailedHalfWay() throws Exception {
        try (StateDb state = StateDb.open(temp.resolve("state.db"))) {
            state.cursor("before");
            assertThatThrownBy(() -> state.inTransaction(() -> {
                        state.remote().put(new RemoteEntry("f1", "/a.txt", false, "v1", "h1", 5));
                        state.cursor("after");
                        throw new IllegalStateException("connection lost");
                    }))
                    .hasMessage("connection lost");

            assertThat(state.cursor()).isEqualTo("before");
            assertThat(state.remoteEntries()).isEmpty();
        }
    }

    /** A page larger than the group the database commits in keeps all of its writes or none. */
    @Test
    void shouldKeepNothingOfAPageLargerThanAGroupThatFailed() throws Exception {
        try (StateDb state = StateDb.open(temp.resolve("state.db"))) {
            state.cursor("before");
            assertThatThrownBy(() -> state.atomically(() -> {
                        for (int i = 0; i < 1000; i++) {
                            state.remote().put(new RemoteEntry("f" + i, "/" + i, false, "v1", "h1", 5));
                        }
                        throw new IllegalStateException("crashed");
                    }))
                    .hasMessage("crashed");

            assertThat(state.cursor()).isEqualTo("before");
            assertThat(state.remoteEntries()).isEmpty();
        }
    }

    private static final String X = "a".repeat(64);
    private static final String Y = "b".repeat(64);
    private static final String Z = "c".repeat(64);
    private static final String W = "d".repeat(64);
    private static final String V = "e".repeat(64);

    @Test
    void shouldFindContentAndBlocksHeldHereAndForgetThemWithTheirFiles() throws Exception {
        Path file = temp.resolve("state.db");
        try (StateDb state = StateDb.open(file)) {
            state.inTransaction(() -> {
                state.hashStore().put(new Hashes.Known("/a.bin", 30, 1, 7, "hA"));
                state.hashStore().put(new Hashes.Known("/copy-of-a.bin", 30, 1, 8, "hA"));
                state.hashStore().put(new Hashes.Known("/b.bin", 20, 1, 9, "hB"));
                state.record("hA", List.of(new ChunkRef(0, 10, X), new ChunkRef(10, 20, Y)));
                state.record("hB", List.of(new ChunkRef(0, 10, X), new ChunkRef(10, 10, Z)));
                state.record("hGone", List.of(new ChunkRef(0, 5, W), new ChunkRef(5, 5, V)));
            });
            assertThat(state.withContent("hA")).containsExactlyInAnyOrder("/a.bin", "/copy-of-a.bin");
            assertThat(state.withContent("hNone")).isEmpty();
            assertThat(state.block(Y))
                    .containsExactlyInAnyOrder(
                            new LocalBlocks.Held("/a.bin", 10, 20), new LocalBlocks.Held("/copy-of-a.bin", 10, 20));
            assertThat(state.block(Z)).containsExactly(new LocalBlocks.Held("/b.bin", 10, 10));
            assertThat(state.block(W)).as("no file has that content").isEmpty();
            state.hashStore().remove("/b.bin");
            assertThat(state.block(Z)).isEmpty();
        }
        try (StateDb state = StateDb.open(file)) {
            assertThat(state.block(X)).extracting(LocalBlocks.Held::path).containsOnly("/a.bin", "/copy-of-a.bin");
            assertThat(state.block(Z)).isEmpty();
        }
    }
}

package dev.syncbox.client.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncbox.client.plan.RemoteEntry;
import dev.syncbox.client.plan.SyncedEntry;
import java.nio.file.Path;
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
}

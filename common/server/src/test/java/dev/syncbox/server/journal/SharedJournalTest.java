package dev.syncbox.server.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SharedJournalTest {

    private static final SharedJournal.Root TEAM = new SharedJournal.Root(7, "team-id", "/Work/Team");

    private static JournalEntry entry(Operation op, String path, String from, boolean dir) {
        return new JournalEntry("f1", op, path, from, "v1", dir ? null : 3L, null, dir, "dev", Instant.EPOCH);
    }

    @Test
    void changesUnderTheItemAreRelativeToIt() {
        var mirrored = SharedJournal.mirror(entry(Operation.UPDATE, "/work/team/Notes/a.txt", null, false), TEAM);
        assertThat(mirrored.entries()).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("/Notes/a.txt");
            assertThat(e.operation()).isEqualTo(Operation.UPDATE);
        });
    }

    @Test
    void theItemItselfIsTheRoot() {
        var deleted = SharedJournal.mirror(
                new JournalEntry(
                        "team-id", Operation.DELETE, "/Work/Team", null, null, null, null, true, "d", Instant.EPOCH),
                TEAM);
        assertThat(deleted.entries())
                .singleElement()
                .extracting(JournalEntry::path)
                .isEqualTo("/");
    }

    @Test
    void changesElsewhereAndLookAlikeNamesAreLeftOut() {
        assertThat(SharedJournal.mirror(entry(Operation.CREATE, "/Work/Teams/a.txt", null, false), TEAM)
                        .entries())
                .isEmpty();
        assertThat(SharedJournal.mirror(entry(Operation.CREATE, "/Other/a.txt", null, false), TEAM)
                        .entries())
                .isEmpty();
    }

    @Test
    void movesAcrossTheEdgeBecomeCreatesAndDeletes() {
        var in = SharedJournal.mirror(entry(Operation.MOVE, "/Work/Team/docs", "/Private/docs", true), TEAM);
        assertThat(in.entries()).singleElement().satisfies(e -> {
            assertThat(e.operation()).isEqualTo(Operation.CREATE);
            assertThat(e.path()).isEqualTo("/docs");
            assertThat(e.fromPath()).isNull();
        });
        assertThat(in.movedInFolder()).isEqualTo("/Work/Team/docs");

        var out = SharedJournal.mirror(entry(Operation.MOVE, "/Private/a.txt", "/Work/Team/a.txt", false), TEAM);
        assertThat(out.entries()).singleElement().satisfies(e -> {
            assertThat(e.operation()).isEqualTo(Operation.DELETE);
            assertThat(e.path()).isEqualTo("/a.txt");
        });

        var within = SharedJournal.mirror(entry(Operation.MOVE, "/Work/Team/b.txt", "/Work/Team/x/a.txt", false), TEAM);
        assertThat(within.entries()).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("/b.txt");
            assertThat(e.fromPath()).isEqualTo("/x/a.txt");
        });
    }

    @Test
    void movingTheItemOrAFolderAboveItLeavesTheMountAlone() {
        var renamed = new JournalEntry(
                "team-id", Operation.MOVE, "/Work/Team", "/Work/Old", null, null, null, true, "d", Instant.EPOCH);
        assertThat(SharedJournal.mirror(renamed, TEAM).entries()).isEmpty();
        var parentMoved = entry(Operation.MOVE, "/Work", "/Job", true);
        assertThat(SharedJournal.mirror(parentMoved, TEAM).entries()).isEmpty();
    }
}

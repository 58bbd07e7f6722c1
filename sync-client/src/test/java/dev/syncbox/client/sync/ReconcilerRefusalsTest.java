package dev.syncbox.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.client.plan.Op;
import dev.syncbox.client.plan.Plan;
import dev.syncbox.client.plan.SyncedEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the reconciler makes of a move or delete the server refuses to a user something is shared with: a move across
 * the share's boundary becomes a delete of the original and a new upload, a move or delete of what the user may not
 * change is dropped from the records (so the server's entry comes back, and what moved is uploaded as the user's own),
 * a rename of it that only changes the case is undone locally, a delete of the shared item itself leaves the share, an
 * edit the user may not make is set aside as a conflicted copy;
 * any other refusal is reported and the records stay.
 */
class ReconcilerRefusalsTest {

    private final List<String> calls = new ArrayList<>();
    private final SyncedTree synced = new SyncedTree(
            List.of(
                    new SyncedEntry("team", "/Team", true, null, null, 1),
                    new SyncedEntry("plan", "/Team/plan.txt", false, "v1", "h1", 2),
                    new SyncedEntry("mine", "/mine.txt", false, "v2", "h2", 3)),
            SyncedTree.Store.NONE);

    @Test
    void aMoveAcrossTheBoundaryDeletesTheOriginalAndLeavesTheRestToAnUpload() {
        Reconciler.Outcome outcome = reconciler(new RemoteSide.Refused(409, "cross_namespace_move", "into a share"))
                .execute(plan(new Op.RemoteMove("mine", "/Team/mine.txt")));

        assertThat(calls).containsExactly("move mine /Team/mine.txt", "delete mine");
        assertThat(outcome.failures()).isEmpty();
        assertThat(outcome.done()).isEqualTo(1);
        assertThat(synced.get("mine")).as("uploaded as new by the next pass").isNull();
    }

    @Test
    void aMoveOfTheSharedFolderItselfKeepsTheOriginalAndForgetsItsRecords() {
        Reconciler.Outcome outcome = reconciler(new RemoteSide.Refused(403, "permission_denied", "only the owner"))
                .execute(plan(new Op.RemoteMove("team", "/Renamed")));

        assertThat(calls).containsExactly("move team /Renamed");
        assertThat(outcome.failures()).isEmpty();
        assertThat(synced.get("team")).isNull();
        assertThat(synced.get("plan")).as("what lies under it, too").isNull();
        assertThat(synced.get("mine")).isNotNull();
    }

    @Test
    void aRefusedRenameOfTheSharedFolderThatOnlyChangesItsCaseIsUndoneLocally() {
        Reconciler.Outcome outcome = reconciler(new RemoteSide.Refused(403, "permission_denied", "only the owner"))
                .execute(plan(new Op.RemoteMove("team", "/TEAM")));

        assertThat(calls).containsExactly("move team /TEAM", "local move /TEAM /Team");
        assertThat(outcome.failures()).isEmpty();
        assertThat(synced.get("team").path())
                .as("a copy would be at the same path")
                .isEqualTo("/Team");
        assertThat(synced.get("plan")).isNotNull();
    }

    @Test
    void aDeleteOfTheSharedFolderItselfLeavesTheShare() {
        Reconciler.Outcome outcome = reconciler(new RemoteSide.Refused(403, "permission_denied", "leave instead"))
                .execute(plan(new Op.RemoteDelete("team", "/Team")));

        assertThat(calls).containsExactly("delete team", "leave team");
        assertThat(outcome.failures()).isEmpty();
        assertThat(synced.get("team")).isNull();
        assertThat(synced.get("plan")).isNull();
    }

    @Test
    void anEditTheServerRefusesToTakeIsSetAsideAndTheServersVersionComesBack() {
        Reconciler.Outcome outcome = reconciler(new RemoteSide.Refused(403, "permission_denied", "read-only share"))
                .execute(plan(new Op.UploadChange("plan", "/Team/plan.txt", "v1", "h9")));

        assertThat(calls)
                .containsExactly(
                        "upload /Team/plan.txt", "local move /Team/plan.txt /Team/plan.txt (conflicted copy 1)");
        assertThat(outcome.failures()).isEmpty();
        assertThat(synced.get("plan")).as("downloaded again by the next pass").isNull();
        assertThat(synced.get("team")).isNotNull();
    }

    @Test
    void anyOtherRefusalIsReportedAndTheRecordsStay() {
        RemoteSide.Refused taken = new RemoteSide.Refused(409, "path_conflict", "something is there");
        Reconciler.Outcome moved = reconciler(taken).execute(plan(new Op.RemoteMove("mine", "/Team/plan.txt")));
        Reconciler.Outcome deleted = reconciler(taken).execute(plan(new Op.RemoteDelete("mine", "/mine.txt")));

        assertThat(calls).containsExactly("move mine /Team/plan.txt", "delete mine");
        assertThat(moved.failures()).hasSize(1);
        assertThat(deleted.failures()).hasSize(1);
        assertThat(synced.get("mine").path()).isEqualTo("/mine.txt");
    }

    private static Plan plan(Op op) {
        return new Plan(List.of(op), List.of());
    }

    /** A reconciler whose server refuses the first move or delete with {@code refusal} and takes the rest. */
    private Reconciler reconciler(RemoteSide.Refused refusal) {
        RemoteSide remote = new RemoteSide() {
            boolean refused;

            @Override
            public Committed upload(String path, String fileId, String parentVersionId) throws IOException {
                calls.add("upload " + path);
                refuseOnce();
                throw new UnsupportedOperationException();
            }

            @Override
            public String mkdir(String path) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void move(String fileId, String toPath) throws IOException {
                calls.add("move " + fileId + " " + toPath);
                refuseOnce();
            }

            @Override
            public void delete(String fileId) throws IOException {
                calls.add("delete " + fileId);
                refuseOnce();
            }

            @Override
            public boolean leave(String fileId) {
                calls.add("leave " + fileId);
                return true;
            }

            private void refuseOnce() throws RemoteSide.Refused {
                if (!refused) {
                    refused = true;
                    throw refusal;
                }
            }
        };
        LocalSide local = new LocalSide() {
            @Override
            public long download(
                    String fileId, String path, String versionId, String contentHash, long size, String replacing) {
                throw new UnsupportedOperationException();
            }

            @Override
            public long mkdir(String path) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean move(String fromPath, String toPath) {
                calls.add("local move " + fromPath + " " + toPath);
                return true;
            }

            @Override
            public boolean delete(String path, String contentHash) {
                throw new UnsupportedOperationException();
            }

            @Override
            public long inode(String path) {
                return 0;
            }
        };
        return new Reconciler(local, remote, synced, (path, attempt) -> path + " (conflicted copy " + attempt + ")");
    }
}

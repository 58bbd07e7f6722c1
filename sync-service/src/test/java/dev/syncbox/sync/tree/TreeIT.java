package dev.syncbox.sync.tree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.conflict.engine.commit.Committed;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.testing.Api;
import dev.syncbox.sync.SyncServiceIT;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class TreeIT extends SyncServiceIT {

    @Test
    void shouldCreateFoldersWithTheirParentsAndRefuseDuplicates() {
        Api.Response created = mkdir(deviceA, "/Projects/2026/Q4");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.text("path")).isEqualTo("/Projects/2026/Q4");
        assertThat(created.body().path("is_dir").asBoolean()).isTrue();
        Api.Response again = mkdir(deviceA, "/projects/2026/q4");
        assertThat(again.status()).as("same folder in another case").isEqualTo(409);
        assertThat(again.code()).isEqualTo("path_conflict");
        assertThat(mkdir(deviceA, "/").status()).isEqualTo(409);
        assertThat(mkdir(deviceA, "no-slash").code()).isEqualTo("invalid_path");
    }

    @Test
    void shouldRefuseAFolderUnderAFile() {
        commit(deviceA, "/notes.txt", "text");

        Api.Response response = mkdir(deviceA, "/notes.txt/sub");

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.code()).isEqualTo("path_conflict");
    }

    @Test
    void shouldKeepTheExistingFoldersCaseForNewEntries() {
        mkdir(deviceA, "/Docs");

        Committed committed = commit(deviceA, "/DOCS/Report.txt", "text");

        Api.Response listing = api.get("/files/list?path=/docs", deviceA.bearer());
        assertThat(listing.text("path")).isEqualTo("/Docs");
        assertThat(listing.body().path("entries").get(0).path("path").asString())
                .isEqualTo("/Docs/Report.txt");
        assertThat(listing.body().path("entries").get(0).path("file_id").asString())
                .isEqualTo(committed.fileId());
    }

    @Test
    void shouldListAFolderAndSeeChangesAfterCaching() {
        commit(deviceA, "/list/b.txt", "bb");
        mkdir(deviceA, "/list/a");
        Api.Response first = api.get("/files/list?path=/list", deviceA.bearer());
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().path("entries")).hasSize(2);
        assertThat(first.body().path("entries").get(0).path("name").asString()).isEqualTo("a");
        assertThat(first.body().path("entries").get(1).path("size").asLong()).isEqualTo(2);

        commit(deviceB, "/list/c.txt", "c");

        assertThat(api.get("/files/list?path=/list", deviceA.bearer()).body().path("entries"))
                .hasSize(3);
        assertThat(api.get("/files/list?path=/", deviceA.bearer()).body().path("entries").values().stream()
                        .map(e -> e.path("path").asString())
                        .toList())
                .contains("/list");
    }

    @Test
    void shouldAnswerListingErrors() {
        commit(deviceA, "/file.txt", "x");

        assertThat(api.get("/files/list?path=/missing", deviceA.bearer()).status())
                .isEqualTo(404);
        assertThat(api.get("/files/list?path=/file.txt", deviceA.bearer()).status())
                .isEqualTo(409);
        assertThat(api.get("/files/list?path=..", deviceA.bearer()).code()).isEqualTo("invalid_path");
    }

    @Test
    void shouldRenameAFileKeepingItsIdAndVersions() {
        Committed committed = commit(deviceA, "/old.txt", "content");

        Api.Response moved = move(deviceA, "/old.txt", "/archive/new.txt");

        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.text("file_id")).isEqualTo(committed.fileId());
        assertThat(moved.text("path")).isEqualTo("/archive/new.txt");
        Api.Response metadata = api.get("/files/" + committed.fileId() + "/metadata", deviceA.bearer());
        assertThat(metadata.text("path")).isEqualTo("/archive/new.txt");
        assertThat(metadata.text("current_version_id")).isEqualTo(committed.versionId());
    }

    @Test
    void shouldMoveAFolderOf10000DescendantsAsOneJournaledOperation() {
        mkdir(deviceA, "/big");
        Committed deep = commit(deviceA, "/big/deep/inside.txt", "deep");
        api.get("/files/" + deep.fileId() + "/metadata", deviceA.bearer());
        jdbc.update(
                "INSERT INTO files (file_id, namespace_id, owner_id, file_path, path_key, parent_dir_path, parent_key)"
                        + " SELECT substr(md5(random()::text || g), 1, 26), ?, ?, '/big/f' || g, '/big/f' || g,"
                        + " '/big', '/big' FROM generate_series(1, 10000) g",
                deviceA.namespaceId(),
                deviceA.userId());
        String cursor = drain(deviceB, null, 2000).cursor();
        long headBefore = head();

        Api.Response moved = move(deviceA, "/big", "/Moved/Big");

        assertThat(moved.status()).isEqualTo(200);
        assertThat(head() - headBefore)
                .as("one MOVE entry plus the new parent folder")
                .isEqualTo(2);
        assertThat(drain(deviceB, cursor, 100).describe())
                .containsExactly("CREATE /Moved", "MOVE /Moved/Big from /big");
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM files WHERE namespace_id = ? AND path_key LIKE '/moved/big/%' AND NOT is_deleted",
                        Integer.class, deviceA.namespaceId()))
                .isEqualTo(10_002);
        assertThat(api.get("/files/" + deep.fileId() + "/metadata", deviceA.bearer())
                        .text("path"))
                .as("cached metadata of a descendant is refreshed")
                .isEqualTo("/Moved/Big/deep/inside.txt");
        assertThat(api.get("/files/list?path=/moved/big/deep", deviceA.bearer())
                        .body()
                        .path("entries"))
                .hasSize(1);
    }

    @Test
    void shouldRefuseImpossibleMoves() {
        mkdir(deviceA, "/a/b");
        commit(deviceA, "/taken.txt", "x");
        commit(deviceA, "/file.txt", "y");

        assertThat(move(deviceA, "/a", "/a/b/c").code()).isEqualTo("invalid_request");
        assertThat(move(deviceA, "/file.txt", "/taken.txt").code()).isEqualTo("path_conflict");
        assertThat(move(deviceA, "/missing", "/x").status()).isEqualTo(404);
        assertThat(move(deviceA, "/file.txt", "/").status()).isEqualTo(409);
        assertThat(api.postJson("/files/move", deviceA.bearer(), java.util.Map.of("to_path", "/x"))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void shouldAllowChangingOnlyTheCase() {
        Committed committed = commit(deviceA, "/readme.txt", "x");

        Api.Response moved = move(deviceA, "/readme.txt", "/README.txt");

        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.text("file_id")).isEqualTo(committed.fileId());
        assertThat(moved.text("path")).isEqualTo("/README.txt");
    }

    @Test
    void shouldLetOnlyOneOfTwoDevicesCreateTheSamePath() throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        CompletableFuture<Api.Response> fromA = CompletableFuture.supplyAsync(() -> {
            await(start);
            return mkdir(deviceA, "/race");
        });
        CompletableFuture<Api.Response> fromB = CompletableFuture.supplyAsync(() -> {
            await(start);
            return mkdir(deviceB, "/RACE");
        });
        start.countDown();

        List<Integer> statuses = List.of(fromA.get().status(), fromB.get().status());

        assertThat(statuses).containsExactlyInAnyOrder(201, 409);
    }

    @Test
    void shouldLetOnlyOneOfTwoDevicesCreateTheSameFile() throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        CompletableFuture<String> fromA = CompletableFuture.supplyAsync(() -> newFile(start, deviceA));
        CompletableFuture<String> fromB = CompletableFuture.supplyAsync(() -> newFile(start, deviceB));
        start.countDown();

        assertThat(List.of(fromA.get(), fromB.get())).containsExactlyInAnyOrder("created", "conflict");
    }

    private String newFile(CountDownLatch start, dev.syncbox.server.testing.TestAccounts.TestUser device) {
        await(start);
        try {
            var stored = ingest.store(
                    new java.io.ByteArrayInputStream(device.deviceId().getBytes()),
                    Long.MAX_VALUE,
                    () -> new SyncboxException(dev.syncbox.core.error.ErrorCode.INTERNAL, "unlimited"));
            committer.commit(new dev.syncbox.conflict.engine.commit.CommitRequest(
                    device.userId(), device.deviceId(), "/race.txt", null, false, stored));
            return "created";
        } catch (SyncboxException e) {
            return e.code().code();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private long head() {
        return jdbc.queryForObject(
                "SELECT last_seq FROM namespaces WHERE namespace_id = ?", Long.class, deviceA.namespaceId());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

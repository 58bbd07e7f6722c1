package dev.syncbox.sync.trash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.conflict.engine.commit.Committed;
import dev.syncbox.server.testing.Api;
import dev.syncbox.sync.SyncServiceIT;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class TrashIT extends SyncServiceIT {

    @Autowired
    PurgeJob purgeJob;

    private Api.Response delete(String fileId, boolean toTrash) {
        return api.postJson("/files/" + fileId + "/delete", deviceA.bearer(), Map.of("move_to_trash", toTrash));
    }

    private Api.Response restore(String fileId) {
        return api.postJson("/trash/" + fileId + "/restore", deviceA.bearer(), Map.of());
    }

    private String fileIdOf(String path) {
        return jdbc.queryForObject(
                "SELECT file_id FROM files WHERE namespace_id = ? AND path_key = lower(?) AND NOT is_deleted",
                String.class,
                deviceA.namespaceId(),
                path);
    }

    @Test
    void shouldMoveAFileToTheTrashAndBringItBack() {
        Committed committed = commit(deviceA, "/docs/report.txt", "report");
        String cursor = drain(deviceB, null, 100).cursor();

        Api.Response deleted = delete(committed.fileId(), true);

        assertThat(deleted.status()).isEqualTo(200);
        Instant deletedAt = Instant.parse(deleted.text("deleted_at"));
        assertThat(Instant.parse(deleted.text("recovery_deadline"))).isEqualTo(deletedAt.plus(Duration.ofDays(30)));
        assertThat(api.get("/files/" + committed.fileId() + "/metadata", deviceA.bearer())
                        .status())
                .isEqualTo(404);
        assertThat(api.get("/files/list?path=/docs", deviceA.bearer()).body().path("entries"))
                .isEmpty();
        Api.Response trash = api.get("/trash", deviceA.bearer());
        assertThat(trash.body().path("entries")).hasSize(1);
        assertThat(trash.body().path("entries").get(0).path("path").asString()).isEqualTo("/docs/report.txt");
        assertThat(trash.body().path("entries").get(0).path("size").asLong()).isEqualTo(6);

        Api.Response restored = restore(committed.fileId());

        assertThat(restored.status()).isEqualTo(200);
        assertThat(restored.text("path")).isEqualTo("/docs/report.txt");
        Api.Response metadata = api.get("/files/" + committed.fileId() + "/metadata", deviceA.bearer());
        assertThat(metadata.text("current_version_id")).isEqualTo(committed.versionId());
        assertThat(api.get("/trash", deviceA.bearer()).body().path("entries")).isEmpty();
        assertThat(drain(deviceB, cursor, 100).describe())
                .containsExactly("DELETE /docs/report.txt", "CREATE /docs/report.txt");
    }

    @Test
    void shouldTrashAndRestoreAFolderWithItsSubtreeAsOneEntry() {
        commit(deviceA, "/projects/a/1.txt", "1");
        commit(deviceA, "/projects/a/2.txt", "22");
        commit(deviceA, "/projects/b.txt", "333");
        String folderId = fileIdOf("/projects");

        assertThat(delete(folderId, true).status()).isEqualTo(200);

        assertThat(api.get("/files/list?path=/", deviceA.bearer()).body().path("entries"))
                .isEmpty();
        Api.Response trash = api.get("/trash", deviceA.bearer());
        assertThat(trash.body().path("entries")).hasSize(1);
        assertThat(trash.body().path("entries").get(0).path("is_dir").asBoolean())
                .isTrue();
        assertThat(trash.body().path("entries").get(0).path("size").asLong()).isEqualTo(6);
        String cursor = drain(deviceB, null, 100).cursor();

        assertThat(restore(folderId).status()).isEqualTo(200);

        assertThat(api.get("/files/list?path=/projects/a", deviceA.bearer())
                        .body()
                        .path("entries"))
                .hasSize(2);
        assertThat(drain(deviceB, cursor, 100).describe())
                .containsExactly(
                        "CREATE /projects",
                        "CREATE /projects/a",
                        "CREATE /projects/a/1.txt",
                        "CREATE /projects/a/2.txt",
                        "CREATE /projects/b.txt");
    }

    @Test
    void shouldRestoreBesideAnEntryThatTookThePathNeverOverIt() {
        Committed old = commit(deviceA, "/a.txt", "old");
        delete(old.fileId(), true);
        Committed replacement = commit(deviceA, "/a.txt", "new");
        commit(deviceA, "/box/inner.txt", "inner");
        String box = fileIdOf("/box");
        delete(box, true);
        mkdir(deviceA, "/box");

        Api.Response restoredFile = restore(old.fileId());
        Api.Response restoredFolder = restore(box);

        assertThat(restoredFile.text("path")).isEqualTo("/a (restored).txt");
        assertThat(restoredFolder.text("path")).isEqualTo("/box (restored)");
        assertThat(api.get("/files/" + replacement.fileId() + "/metadata", deviceA.bearer())
                        .text("path"))
                .isEqualTo("/a.txt");
        assertThat(api.get("/files/list?path=/box%20(restored)", deviceA.bearer())
                        .body()
                        .path("entries")
                        .get(0)
                        .path("path")
                        .asString())
                .isEqualTo("/box (restored)/inner.txt");
        assertThat(api.get("/files/list?path=/box", deviceA.bearer()).body().path("entries"))
                .isEmpty();
    }

    @Test
    void shouldPurgeEntriesOnlyAfterTheirDeadline() {
        Committed committed = commit(deviceA, "/old.bin", "0123456789");
        String block = jdbc.queryForObject(
                "SELECT block_ids[1] FROM file_versions WHERE version_id = ?", String.class, committed.versionId());
        long blocksBefore = refcount(block);
        delete(committed.fileId(), true);
        assertThat(accounts.usedSpace(deviceA.userId()))
                .as("the trash counts until purged")
                .isEqualTo(10);

        clock.advance(Duration.ofDays(29));
        purgeJob.purgeExpired();
        assertThat(api.get("/trash", deviceA.bearer()).body().path("entries")).hasSize(1);

        clock.advance(Duration.ofDays(2));
        // As the scheduler calls it: from inside the bean, so not through its transactional proxy.
        purgeJob.scheduled();

        assertThat(api.get("/trash", deviceA.bearer()).body().path("entries")).isEmpty();
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM file_versions WHERE file_id = ?", Integer.class, committed.fileId()))
                .isZero();
        assertThat(accounts.usedSpace(deviceA.userId())).isZero();
        assertThat(refcount(block)).isEqualTo(blocksBefore - 1);
        assertThat(restore(committed.fileId()).status()).isEqualTo(404);
        assertThat(new String(
                        api.bytes(api.request("/actuator/prometheus").GET()).body()))
                .containsPattern("syncbox_trash_purged_total\\{service=\"sync-service\"} [1-9]");
    }

    @Test
    void shouldFreeQuotaAtOnceOnPermanentDelete() {
        Committed committed = commit(deviceA, "/big.bin", "x".repeat(1000));
        assertThat(accounts.usedSpace(deviceA.userId())).isEqualTo(1000);

        Api.Response deleted = delete(committed.fileId(), false);

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.body().path("recovery_deadline").isNull()).isTrue();
        assertThat(accounts.usedSpace(deviceA.userId())).isZero();
        assertThat(api.get("/trash", deviceA.bearer()).body().path("entries")).isEmpty();
    }

    @Test
    void shouldEmptyTheTrash() {
        delete(commit(deviceA, "/1.txt", "1").fileId(), true);
        delete(commit(deviceA, "/2.txt", "22").fileId(), true);

        Api.Response emptied = api.json(
                api.request("/trash").header("Authorization", deviceA.bearer()).DELETE());

        assertThat(emptied.body().path("purged").asInt()).isEqualTo(2);
        assertThat(accounts.usedSpace(deviceA.userId())).isZero();
    }

    @Test
    void shouldAnswer404ForUnknownEntries() {
        var stranger = accounts.create();
        Committed mine = commit(deviceA, "/mine.txt", "x");

        assertThat(delete("01ARZ3NDEKTSV4RRFFQ69G5FAV", true).status()).isEqualTo(404);
        assertThat(restore(mine.fileId()).status()).as("not in the trash").isEqualTo(404);
        assertThat(api.postJson("/files/" + mine.fileId() + "/delete", stranger.bearer(), Map.of())
                        .status())
                .isEqualTo(404);
    }

    private long refcount(String blockId) {
        return jdbc.queryForObject("SELECT refcount FROM file_blocks WHERE block_id = ?", Long.class, blockId);
    }
}

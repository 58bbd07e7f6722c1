package dev.syncbox.sync.version;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.conflict.engine.commit.Committed;
import dev.syncbox.server.content.ContentReader;
import dev.syncbox.server.metadata.FileVersionRepository;
import dev.syncbox.server.testing.Api;
import dev.syncbox.sync.SyncServiceIT;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class VersionHistoryIT extends SyncServiceIT {

    @Autowired
    ContentReader reader;

    @Autowired
    FileVersionRepository versions;

    @Test
    void shouldPageVersionsNewestFirst() {
        List<Committed> commits = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            commits.add(commit(i % 2 == 0 ? deviceA : deviceB, "/history.txt", "version " + i));
        }
        String fileId = commits.get(0).fileId();

        List<String> seen = new ArrayList<>();
        String after = null;
        for (int page = 0; page < 5; page++) {
            Api.Response response = api.get(
                    "/files/" + fileId + "/versions?limit=2" + (after == null ? "" : "&starting_after=" + after),
                    deviceA.bearer());
            assertThat(response.status()).isEqualTo(200);
            response.body().path("versions").forEach(v -> seen.add(v.path("id").asString()));
            if (!response.body().path("has_more").asBoolean()) {
                break;
            }
            after = response.text("next_cursor");
        }

        List<String> newestFirst =
                new ArrayList<>(commits.stream().map(Committed::versionId).toList());
        java.util.Collections.reverse(newestFirst);
        assertThat(seen).containsExactlyElementsOf(newestFirst);
        Api.Response first = api.get("/files/" + fileId + "/versions?limit=1", deviceA.bearer());
        var newest = first.body().path("versions").get(0);
        assertThat(newest.path("device_id").asString()).isEqualTo(deviceA.deviceId());
        assertThat(newest.path("content_hash").asString())
                .isEqualTo(commits.get(4).contentHash());
        assertThat(newest.path("size").asLong()).isEqualTo("version 4".length());
        assertThat(newest.path("is_conflict").asBoolean()).isFalse();
        assertThat(newest.path("created_at").asString()).isNotBlank();
    }

    @Test
    void shouldRestoreAnOldVersionAsANewOneWithTheSameBytes() throws Exception {
        Committed v1 = commit(deviceA, "/restore.txt", "the original words");
        Committed v2 = commit(deviceA, "/restore.txt", "an edit that went wrong");
        String cursor = drain(deviceB, null, 100).cursor();

        Api.Response restored = api.postJson(
                "/files/" + v1.fileId() + "/restore", deviceA.bearer(), Map.of("version_id", v1.versionId()));

        assertThat(restored.status()).isEqualTo(200);
        String newVersion = restored.text("version_id");
        assertThat(newVersion).isNotIn(v1.versionId(), v2.versionId());
        assertThat(restored.text("restored_from")).isEqualTo(v1.versionId());
        assertThat(restored.text("content_hash")).isEqualTo(v1.contentHash());
        var version = versions.findById(newVersion).orElseThrow();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        reader.write(reader.layout(version), 0, version.sizeBytes() - 1, bytes);
        assertThat(bytes.toString()).isEqualTo("the original words");
        assertThat(version.parentVersionId()).as("history stays linear").isEqualTo(v2.versionId());
        Api.Response history = api.get("/files/" + v1.fileId() + "/versions", deviceA.bearer());
        assertThat(history.body().path("versions")).hasSize(3);
        assertThat(drain(deviceB, cursor, 100).describe()).containsExactly("UPDATE /restore.txt");
        assertThat(accounts.usedSpace(deviceA.userId())).isEqualTo("the original words".length());
        assertThat(new String(
                        api.bytes(api.request("/actuator/prometheus").GET()).body()))
                .containsPattern("syncbox_versions_restored_total\\{reason=\"user\",service=\"sync-service\"} [1-9]");
    }

    @Test
    void shouldAnswer404ForUnknownVersionsAndOtherUsersFiles() {
        Committed committed = commit(deviceA, "/mine.txt", "x");
        var stranger = accounts.create();

        assertThat(api.postJson(
                                "/files/" + committed.fileId() + "/restore",
                                deviceA.bearer(),
                                Map.of("version_id", "01ARZ3NDEKTSV4RRFFQ69G5FAV"))
                        .status())
                .isEqualTo(404);
        assertThat(api.get("/files/" + committed.fileId() + "/versions", stranger.bearer())
                        .status())
                .isEqualTo(404);
        assertThat(api.postJson(
                                "/files/" + committed.fileId() + "/restore",
                                stranger.bearer(),
                                Map.of("version_id", committed.versionId()))
                        .status())
                .isEqualTo(404);
        assertThat(api.get("/files/" + committed.fileId() + "/versions?limit=0", deviceA.bearer())
                        .status())
                .isEqualTo(400);
    }
}

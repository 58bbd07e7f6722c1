package dev.syncbox.conflict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.conflict.engine.commit.CommitMode;
import dev.syncbox.conflict.engine.commit.Committed;
import dev.syncbox.conflict.engine.testing.TestCommits;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.TestAccounts;
import dev.syncbox.server.testing.TestAccounts.TestUser;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

@SpringBootTest(classes = ConflictEngineApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("it")
class ConflictApiIT {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    private Committed commit(TestUser device, String parent, String text, CommitMode mode) {
        return new TestCommits(context).commit(device, "/shared.txt", parent, parent == null, mode, text.getBytes());
    }

    @Test
    void shouldListAFilesConflictsAndResolveOne() throws IOException {
        TestAccounts accounts = new TestAccounts(context);
        TestUser laptop = accounts.create();
        TestUser phone = accounts.device(laptop, "phone");
        Api api = Api.local(port);
        Committed base = commit(laptop, null, "line 1\nline 2\n", CommitMode.REJECT);
        Committed theirs = commit(phone, base.versionId(), "line 1\nline 2 from the phone\n", CommitMode.AUTO);
        Committed merged = commit(laptop, base.versionId(), "line 1\nline 2 from the laptop\n", CommitMode.AUTO);
        assertThat(merged.conflict().resolution()).isEqualTo("MERGED_WITH_MARKERS");

        Api.Response listed = api.get("/files/" + base.fileId() + "/conflicts", laptop.bearer());

        assertThat(listed.status()).isEqualTo(200);
        JsonNode conflict = listed.body().path("conflicts").get(0);
        assertThat(conflict.path("conflict_id").asString())
                .isEqualTo(merged.conflict().conflictId());
        assertThat(conflict.path("device_b_version").asString()).isEqualTo(theirs.versionId());
        assertThat(conflict.path("device_a_version").asString()).hasSize(26);
        assertThat(conflict.path("base_version").asString()).isEqualTo(base.versionId());
        assertThat(conflict.path("diverged_at").asString()).isNotBlank();
        assertThat(conflict.path("status").asString()).isEqualTo("OPEN");
        assertThat(conflict.path("resolution").asString()).isEqualTo("MERGED_WITH_MARKERS");

        Api.Response resolved = api.postJson(
                "/files/" + base.fileId() + "/conflicts/" + merged.conflict().conflictId() + "/resolve",
                laptop.bearer(),
                Map.of("version_id", theirs.versionId()));

        assertThat(resolved.status()).isEqualTo(200);
        assertThat(resolved.text("status")).isEqualTo("RESOLVED");
        assertThat(resolved.text("resolved_by_version")).isEqualTo(theirs.versionId());
        var prometheus =
                new String(api.bytes(api.request("/actuator/prometheus").GET()).body());
        assertThat(prometheus)
                .containsPattern("syncbox_conflicts_resolved_total\\{how=\"manual\",service=\"conflict-engine\"} [1-9]")
                .contains("syncbox_conflicts_resolution_time_seconds_bucket{how=\"manual\"");
    }

    @Test
    void shouldAnswer404ToStrangersAndUnknownIds() throws IOException {
        TestAccounts accounts = new TestAccounts(context);
        TestUser owner = accounts.create();
        TestUser stranger = accounts.create();
        Api api = Api.local(port);
        Committed file = commit(owner, null, "x", CommitMode.REJECT);

        assertThat(api.get("/files/" + file.fileId() + "/conflicts", stranger.bearer())
                        .status())
                .isEqualTo(404);
        assertThat(api.postJson(
                                "/files/" + file.fileId() + "/conflicts/01ARZ3NDEKTSV4RRFFQ69G5FAV/resolve",
                                owner.bearer(),
                                Map.of("version_id", file.versionId()))
                        .status())
                .isEqualTo(404);
        assertThat(api.postJson(
                                "/files/" + file.fileId() + "/conflicts/01ARZ3NDEKTSV4RRFFQ69G5FAV/resolve",
                                owner.bearer(),
                                Map.of())
                        .status())
                .isEqualTo(400);
        assertThat(api.get("/files/" + file.fileId() + "/conflicts", owner.bearer())
                        .body()
                        .path("conflicts"))
                .isEmpty();
    }
}

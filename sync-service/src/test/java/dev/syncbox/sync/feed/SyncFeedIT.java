package dev.syncbox.sync.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.server.testing.Api;
import dev.syncbox.sync.SyncServiceIT;
import java.net.http.HttpRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SyncFeedIT extends SyncServiceIT {

    @Test
    void shouldDeliverEachDevicesChangesToTheOtherInCommitOrder() {
        String cursorA = drain(deviceA, null, 100).cursor();
        String cursorB = drain(deviceB, null, 100).cursor();

        assertThat(mkdir(deviceA, "/docs").status()).isEqualTo(201);
        commit(deviceA, "/docs/a.txt", "first");
        commit(deviceB, "/docs/a.txt", "second, from B");
        assertThat(move(deviceA, "/docs/a.txt", "/docs/b.txt").status()).isEqualTo(200);
        var doomed = commit(deviceB, "/docs/c.txt", "short-lived");
        assertThat(api.postJson("/files/" + doomed.fileId() + "/delete", deviceB.bearer(), java.util.Map.of())
                        .status())
                .isEqualTo(200);

        List<String> expected = List.of(
                "CREATE /docs",
                "CREATE /docs/a.txt",
                "UPDATE /docs/a.txt",
                "MOVE /docs/b.txt from /docs/a.txt",
                "CREATE /docs/c.txt",
                "DELETE /docs/c.txt");
        assertThat(drain(deviceA, cursorA, 100).describe()).isEqualTo(expected);
        Feed feedB = drain(deviceB, cursorB, 2);
        assertThat(feedB.describe()).isEqualTo(expected);
        JsonNode update = feedB.changes().get(2);
        assertThat(update.path("size").asLong()).isEqualTo("second, from B".length());
        assertThat(update.path("version_id").asString()).hasSize(26);
        assertThat(update.path("content_hash").asString()).hasSize(64);
        assertThat(update.path("is_dir").asBoolean()).isFalse();
        assertThat(update.path("timestamp").asString()).isNotBlank();
        assertThat(drain(deviceB, feedB.cursor(), 100).changes())
                .as("nothing twice")
                .isEmpty();
    }

    @Test
    void shouldStartWithTheCompleteStateParentsFirstThenOnlyChanges() {
        commit(deviceA, "/b/z.txt", "z");
        commit(deviceA, "/a.txt", "a");
        mkdir(deviceA, "/b/c");

        Feed initial = drain(deviceB, null, 2);

        assertThat(initial.describe()).containsExactly("CREATE /a.txt", "CREATE /b", "CREATE /b/c", "CREATE /b/z.txt");
        commit(deviceA, "/new.txt", "new");
        assertThat(drain(deviceB, initial.cursor(), 100).describe()).containsExactly("CREATE /new.txt");
    }

    @Test
    void shouldPageThrough10000ChangesWithoutLossOrDuplicate() {
        String cursor = drain(deviceB, null, 100).cursor();
        jdbc.update(
                "WITH head AS (UPDATE namespaces SET last_seq = last_seq + 10000 WHERE namespace_id = ?"
                        + " RETURNING last_seq - 10000 AS base)"
                        + " INSERT INTO journal (namespace_id, seq, file_id, operation, path, is_dir)"
                        + " SELECT ?, base + g, 'F' || g, 'CREATE', '/bulk/f' || g, false"
                        + " FROM head, generate_series(1, 10000) g",
                deviceA.namespaceId(),
                deviceA.namespaceId());

        Feed feed = drain(deviceB, cursor, 777);

        assertThat(feed.changes()).hasSize(10_000);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < feed.changes().size(); i++) {
            String id = feed.changes().get(i).path("file_id").asString();
            assertThat(id).isEqualTo("F" + (i + 1));
            assertThat(seen.add(id)).isTrue();
        }
    }

    @Test
    void shouldRejectForgedTamperedOrForeignCursors() {
        String mine = drain(deviceA, null, 10).cursor();
        String strangers = drain(accounts.create(), null, 10).cursor();
        String tampered = (mine.charAt(0) == 'A' ? 'B' : 'A') + mine.substring(1);

        for (String cursor : List.of("garbage", "a.b", tampered, strangers)) {
            Api.Response response = sync(deviceA, cursor, 10);
            assertThat(response.status()).as(cursor).isEqualTo(400);
            assertThat(response.code()).isEqualTo("invalid_cursor");
        }
    }

    @Test
    void shouldAskForAResetWhenTheJournalCanNoLongerServeTheCursor() {
        String cursor = drain(deviceA, null, 10).cursor();
        mkdir(deviceA, "/one");
        mkdir(deviceA, "/two");
        jdbc.update(
                "DELETE FROM journal WHERE namespace_id = ? AND seq < (SELECT last_seq FROM namespaces WHERE namespace_id = ?)",
                deviceA.namespaceId(),
                deviceA.namespaceId());

        Api.Response response = sync(deviceA, cursor, 10);

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.code()).isEqualTo("reset");
    }

    @Test
    void shouldRejectLimitsOutOfRange() {
        assertThat(sync(deviceA, null, 0).status()).isEqualTo(400);
        assertThat(sync(deviceA, null, 2001).status()).isEqualTo(400);
        assertThat(sync(deviceA, null, 2000).status()).isEqualTo(200);
    }

    @Test
    void shouldLeaveOutExcludedFoldersAndSendThemWhenIncludedAgain() {
        String cursor = drain(deviceB, null, 100).cursor();
        exclude(deviceB, "/Photos");
        commit(deviceA, "/photos/trip/1.jpg", "jpeg");
        commit(deviceA, "/docs/report.txt", "text");

        Feed filtered = drain(deviceB, cursor, 100);
        assertThat(filtered.describe()).containsExactly("CREATE /docs", "CREATE /docs/report.txt");
        assertThat(drain(deviceB, null, 100).describe())
                .as("the complete state leaves them out too")
                .containsExactly("CREATE /docs", "CREATE /docs/report.txt");

        exclude(deviceB);
        Feed included = drain(deviceB, filtered.cursor(), 1);

        assertThat(included.describe())
                .containsExactly("CREATE /photos", "CREATE /photos/trip", "CREATE /photos/trip/1.jpg");
        commit(deviceA, "/photos/2.jpg", "jpeg");
        assertThat(drain(deviceB, included.cursor(), 100).describe()).containsExactly("CREATE /photos/2.jpg");
    }

    @Test
    void shouldTurnMovesAcrossAnExcludedFolderIntoCreatesAndDeletes() {
        commit(deviceA, "/private/album/1.jpg", "jpeg");
        commit(deviceA, "/public/readme.txt", "text");
        exclude(deviceB, "/private");
        String cursor = drain(deviceB, null, 100).cursor();

        move(deviceA, "/private/album", "/public/album");
        move(deviceA, "/public/readme.txt", "/private/readme.txt");

        // The folder that came into view is listed once the journal is caught up, at its head.
        assertThat(drain(deviceB, cursor, 100).describe())
                .containsExactly("DELETE /public/readme.txt", "CREATE /public/album", "CREATE /public/album/1.jpg");
    }

    private void exclude(dev.syncbox.server.testing.TestAccounts.TestUser device, String... paths) {
        String body = "{\"excluded\":["
                + String.join(
                        ",", List.of(paths).stream().map(p -> '"' + p + '"').toList()) + "]}";
        Api.Response response = api.json(api.request("/devices/" + device.deviceId() + "/selective-sync")
                .header("Authorization", device.bearer())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(response.status()).isEqualTo(200);
    }
}

package dev.syncbox.sync.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.TestAccounts.TestUser;
import dev.syncbox.sync.SyncServiceIT;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Changes racing a device's paged first sync (or a shared item's snapshot, or a folder included
 * again): whatever happens between two pages, the device ends with the server's tree.
 */
class ConsistentListingIT extends SyncServiceIT {

    /** A device paging its feed one small page at a time into a model of its local tree. */
    private final class Device {
        final TestUser who;
        final ModelClient model = new ModelClient();
        String cursor;
        int limit;

        Device(TestUser who, int limit) {
            this.who = who;
            this.limit = limit;
        }

        void pages(int count) {
            for (int i = 0; i < count; i++) {
                Api.Response page = sync(who, cursor, limit);
                assertThat(page.status()).as(page.body().toString()).isEqualTo(200);
                model.applyAll(page.body().path("changes"));
                cursor = page.text("next_cursor");
            }
        }

        void drain() {
            Feed feed = ConsistentListingIT.this.drain(who, cursor, limit);
            model.applyAll(feed.changes());
            cursor = feed.cursor();
        }
    }

    @Autowired
    PageTransactions pageTransactions;

    @Test
    void aPageReadsInOneRepeatableReadSnapshot() {
        assertThat(pageTransactions.snapshot(() -> jdbc.queryForObject("SHOW transaction_isolation", String.class)))
                .isEqualTo("repeatable read");
    }

    @Test
    void aFolderMovedFromTheUnlistedIntoTheListedRangeArrivesWithItsContents() {
        commit(deviceA, "/bb/x.txt", "x");
        commit(deviceA, "/zz/f1.txt", "1");
        commit(deviceA, "/zz/f2.txt", "2");
        commit(deviceA, "/zz/deep/f3.txt", "3");
        Device b = new Device(deviceB, 1);
        b.pages(2);
        assertThat(b.model.applied()).containsExactly("CREATE /bb", "CREATE /bb/x.txt");

        assertThat(move(deviceA, "/zz", "/aa").status()).isEqualTo(200);
        b.drain();

        assertThat(b.model.tree()).containsKeys("/aa", "/aa/f1.txt", "/aa/f2.txt", "/aa/deep", "/aa/deep/f3.txt");
        assertConverged(b, deviceA.namespaceId());
    }

    @Test
    void aFolderMovedFromTheListedIntoTheUnlistedRangeArrivesOnce() {
        commit(deviceA, "/aa/f1.txt", "1");
        commit(deviceA, "/aa/f2.txt", "2");
        commit(deviceA, "/aa/deep/f3.txt", "3");
        commit(deviceA, "/bb/x.txt", "x");
        Device b = new Device(deviceB, 2);
        b.pages(2);

        assertThat(move(deviceA, "/aa", "/zz").status()).isEqualTo(200);
        b.drain();

        assertConverged(b, deviceA.namespaceId());
    }

    @Test
    void aRenameOfAFolderAcrossTheListingPositionIsFollowed() {
        commit(deviceA, "/p/bb/x.txt", "x");
        commit(deviceA, "/p/zz/y.txt", "y");
        commit(deviceA, "/p/zz/sub/z.txt", "z");
        Device b = new Device(deviceB, 1);
        b.pages(3);

        assertThat(move(deviceA, "/p/zz", "/p/ab").status()).isEqualTo(200);
        assertThat(move(deviceA, "/p/bb", "/p/Renamed").status()).isEqualTo(200);
        b.drain();

        assertThat(b.model.tree()).containsKeys("/p/ab/sub/z.txt", "/p/Renamed/x.txt");
        assertConverged(b, deviceA.namespaceId());
    }

    @Test
    void deletesOnBothSidesOfTheListingPositionAreFollowed() {
        commit(deviceA, "/aa/f1.txt", "1");
        String listed = commit(deviceA, "/aa/f2.txt", "2").fileId();
        commit(deviceA, "/mm/keep.txt", "k");
        String unlisted = mkdir(deviceA, "/zz").text("file_id");
        commit(deviceA, "/zz/f3.txt", "3");
        Device b = new Device(deviceB, 2);
        b.pages(2);

        delete(deviceA, listed);
        delete(deviceA, unlisted);
        b.drain();

        assertThat(b.model.tree()).doesNotContainKeys("/aa/f2.txt", "/zz", "/zz/f3.txt");
        assertConverged(b, deviceA.namespaceId());
    }

    @Test
    void restoresFromTheTrashDuringTheListingAreFollowed() {
        String gone = mkdir(deviceA, "/zz").text("file_id");
        commit(deviceA, "/zz/f.txt", "f");
        String early = commit(deviceA, "/aa/early.txt", "e").fileId();
        commit(deviceA, "/bb/x.txt", "x");
        delete(deviceA, gone);
        delete(deviceA, early);
        mkdir(deviceA, "/Zz");
        Device b = new Device(deviceB, 1);
        b.pages(3);

        restore(deviceA, gone);
        restore(deviceA, early);
        assertThat(move(deviceA, "/zz (restored)", "/ab").status()).isEqualTo(200);
        b.drain();

        assertThat(b.model.tree()).containsKeys("/ab/f.txt", "/aa/early.txt");
        assertConverged(b, deviceA.namespaceId());
    }

    @Test
    void createsOnBothSidesOfTheListingPositionArriveOnce() {
        commit(deviceA, "/bb/x.txt", "x");
        commit(deviceA, "/yy/y.txt", "y");
        Device b = new Device(deviceB, 1);
        b.pages(2);

        commit(deviceA, "/aa/new.txt", "before the position");
        commit(deviceA, "/zz/new.txt", "after the position");
        commit(deviceA, "/yy/y.txt", "edited");
        b.drain();

        assertConverged(b, deviceA.namespaceId());
    }

    @Test
    void aSharedFoldersSnapshotFollowsMovesInBothDirections() {
        String team = mkdir(deviceA, "/Team").text("file_id");
        commit(deviceA, "/Team/aa/f1.txt", "1");
        commit(deviceA, "/Team/aa/deep/f2.txt", "2");
        commit(deviceA, "/Team/bb/x.txt", "x");
        commit(deviceA, "/Team/zz/f3.txt", "3");
        commit(deviceA, "/Team/zz/deep/f4.txt", "4");
        TestUser sharee = accounts.create();
        share(team, sharee);
        Device c = new Device(sharee, 1);
        c.pages(5);
        assertThat(c.model.applied()).startsWith("CREATE /Team", "CREATE /Team/aa");

        assertThat(move(deviceA, "/Team/zz", "/Team/ab").status()).isEqualTo(200);
        assertThat(move(deviceA, "/Team/aa", "/Team/yy").status()).isEqualTo(200);
        c.drain();

        assertThat(c.model.violations()).isEmpty();
        assertThat(c.model.tree()).isEqualTo(live(deviceA.namespaceId(), "/team"));
        assertThat(c.model.tree()).containsKeys("/Team/ab/deep/f4.txt", "/Team/yy/deep/f2.txt");
    }

    @Test
    void aSharedFoldersSnapshotFollowsRenamesDeletesRestoresAndCreates() {
        String team = mkdir(deviceA, "/Team").text("file_id");
        String doomed = commit(deviceA, "/Team/aa/f1.txt", "1").fileId();
        commit(deviceA, "/Team/bb/x.txt", "x");
        commit(deviceA, "/Team/zz/f3.txt", "3");
        String trashed = mkdir(deviceA, "/Team/gone").text("file_id");
        commit(deviceA, "/Team/gone/g.txt", "g");
        delete(deviceA, trashed);
        TestUser sharee = accounts.create();
        share(team, sharee);
        Device c = new Device(sharee, 2);
        c.pages(2);

        assertThat(move(deviceA, "/Team/zz", "/Team/Ab").status()).isEqualTo(200);
        delete(deviceA, doomed);
        restore(deviceA, trashed);
        commit(deviceA, "/Team/aa/new.txt", "before the position");
        commit(deviceA, "/Team/zz2/new.txt", "after the position");
        c.drain();

        assertThat(c.model.violations()).isEmpty();
        assertThat(c.model.tree()).isEqualTo(live(deviceA.namespaceId(), "/team"));
        assertThat(c.model.tree()).containsKeys("/Team/Ab/f3.txt", "/Team/gone/g.txt", "/Team/zz2/new.txt");
    }

    @Test
    void anIncludedFolderFollowsRenamesDeletesRestoresAndCreatesMadeWhileItIsListed() {
        String doomed = commit(deviceA, "/big/aa/f1.txt", "1").fileId();
        commit(deviceA, "/big/bb/x.txt", "x");
        commit(deviceA, "/big/zz/f3.txt", "3");
        String trashed = mkdir(deviceA, "/big/gone").text("file_id");
        commit(deviceA, "/big/gone/g.txt", "g");
        delete(deviceA, trashed);
        exclude(deviceB, "/big");
        Device b = new Device(deviceB, 2);
        b.drain();

        exclude(deviceB);
        b.pages(2);
        assertThat(move(deviceA, "/big/zz", "/big/Ab").status()).isEqualTo(200);
        delete(deviceA, doomed);
        restore(deviceA, trashed);
        commit(deviceA, "/big/aa/new.txt", "before the position");
        commit(deviceA, "/big/zz2/new.txt", "after the position");
        b.drain();

        assertThat(b.model.tree()).containsKeys("/big/Ab/f3.txt", "/big/gone/g.txt", "/big/zz2/new.txt");
        assertConverged(b, deviceA.namespaceId());
    }

    @Test
    void aFolderIncludedAgainIsListedAtTheJournalPositionItIsSplicedIn() {
        commit(deviceA, "/big/bb/x.txt", "x");
        commit(deviceA, "/big/zz/f1.txt", "1");
        commit(deviceA, "/big/zz/deep/f2.txt", "2");
        commit(deviceA, "/big/aa/f3.txt", "3");
        commit(deviceA, "/other.txt", "o");
        exclude(deviceB, "/big");
        Device b = new Device(deviceB, 1);
        b.drain();
        assertThat(b.model.tree()).containsOnlyKeys("/other.txt");

        exclude(deviceB);
        b.pages(3);
        assertThat(move(deviceA, "/big/zz", "/big/ab").status()).isEqualTo(200);
        assertThat(move(deviceA, "/big/aa", "/big/yy").status()).isEqualTo(200);
        b.drain();

        assertConverged(b, deviceA.namespaceId());
    }

    @Test
    void changesQueuedBeforeAnIncludeIsListedKeepItsSubtreeHiddenUntilThen() {
        commit(deviceA, "/big/f1.txt", "1");
        commit(deviceA, "/big/sub/f2.txt", "2");
        commit(deviceA, "/keep/k.txt", "k");
        exclude(deviceB, "/big");
        Device b = new Device(deviceB, 1);
        b.drain();

        exclude(deviceB);
        // Before the include is listed: a folder moves out of it, one moves in, one file is deleted.
        assertThat(move(deviceA, "/big/sub", "/keep/sub").status()).isEqualTo(200);
        assertThat(move(deviceA, "/keep/k.txt", "/big/k.txt").status()).isEqualTo(200);
        delete(
                deviceA,
                jdbc.queryForObject(
                        "SELECT file_id FROM files WHERE namespace_id = ? AND path_key = '/big/f1.txt' AND NOT is_deleted",
                        String.class,
                        deviceA.namespaceId()));
        b.drain();

        assertConverged(b, deviceA.namespaceId());
    }

    @Test
    void aCursorFromBeforeAnIncludeThatWasSinceDeliveredAndForgottenResets() {
        commit(deviceA, "/x/f.txt", "f");
        exclude(deviceB, "/x");
        String beforeInclude = drain(deviceB, null, 10).cursor();
        exclude(deviceB);
        Feed included = drain(deviceB, beforeInclude, 10);
        assertThat(included.describe()).containsExactly("CREATE /x", "CREATE /x/f.txt");
        assertThat(sync(deviceB, included.cursor(), 10).status()).isEqualTo(200);

        Api.Response stale = sync(deviceB, beforeInclude, 10);

        assertThat(stale.status()).as("its include is gone: never a silent gap").isEqualTo(409);
        assertThat(stale.code()).isEqualTo("reset");
    }

    private void assertConverged(Device device, long namespaceId) {
        assertThat(device.model.violations())
                .as(String.join("\n", device.model.applied()))
                .isEmpty();
        assertThat(device.model.tree())
                .as(String.join("\n", device.model.applied()))
                .isEqualTo(live(namespaceId, null));
    }

    /** The server's live tree (or the subtree under {@code underKey}): path → id and version. */
    Map<String, String> live(long namespaceId, String underKey) {
        Map<String, String> tree = new TreeMap<>();
        jdbc.query(
                "SELECT file_path, file_id, current_version_id, is_dir FROM files WHERE namespace_id = ?"
                        + " AND NOT is_deleted AND (CAST(? AS text) IS NULL OR path_key = ? OR starts_with(path_key, ? || '/'))",
                rs -> {
                    tree.put(rs.getString(1), ModelClient.describe(rs.getString(2), rs.getString(3), rs.getBoolean(4)));
                },
                namespaceId,
                underKey,
                underKey,
                underKey);
        return tree;
    }

    void delete(TestUser who, String fileId) {
        assertThat(api.postJson("/files/" + fileId + "/delete", who.bearer(), Map.of())
                        .status())
                .isEqualTo(200);
    }

    void restore(TestUser who, String fileId) {
        assertThat(api.postJson("/trash/" + fileId + "/restore", who.bearer(), Map.of())
                        .status())
                .isEqualTo(200);
    }

    void share(String fileId, TestUser with) {
        assertThat(api.postJson(
                                "/files/" + fileId + "/share",
                                deviceA.bearer(),
                                Map.of("user_id", with.userId(), "permission", "READ"))
                        .status())
                .isEqualTo(201);
    }

    void exclude(TestUser device, String... paths) {
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

package dev.syncbox.upload.conflict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.server.metadata.FileVersionEntity;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.RandomContent;
import dev.syncbox.server.testing.TestAccounts.TestUser;
import dev.syncbox.upload.UploadServiceIT;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The seed's conflict scenarios, through the commit path with {@code mode: auto}. */
class ConflictIT extends UploadServiceIT {

    static final String BASE = "Paragraph one.\n\nParagraph two.\n\nParagraph three.\n\nParagraph four.\n";

    TestUser laptop;
    TestUser phone;
    TestUser tablet;

    @BeforeEach
    void devices() {
        laptop = accounts.device(user, "laptop");
        phone = accounts.device(user, "phone");
        tablet = accounts.device(user, "tablet");
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String content(Api.Response committed) {
        return new String(contentOf(committed.text("version_id")), StandardCharsets.UTF_8);
    }

    private FileVersionEntity version(String id) {
        return versions.findById(id).orElseThrow();
    }

    @Test
    void shouldMergeThreeOfflineDevicesIntoALinearHistory() {
        String v5 = uploadAndCommit(user, "/notes.txt", null, text(BASE)).text("version_id");

        Api.Response c = uploadAndCommit(
                tablet, "/notes.txt", v5, text(BASE.replace("one.", "one, edited on the tablet.")), "auto");
        Api.Response b = uploadAndCommit(
                phone, "/notes.txt", v5, text(BASE.replace("two.", "two, edited on the phone.")), "auto");
        Api.Response a = uploadAndCommit(
                laptop, "/notes.txt", v5, text(BASE.replace("four.", "four, edited on the laptop.")), "auto");

        assertThat(c.body().path("conflict").isNull()).as("C fast-forwards").isTrue();
        assertThat(b.body().path("conflict").path("resolution").asString()).isEqualTo("MERGED");
        assertThat(a.body().path("conflict").path("resolution").asString()).isEqualTo("MERGED");
        String v6 = c.text("version_id");
        String v7 = b.text("version_id");
        String v8 = a.text("version_id");
        assertThat(version(v8).parentVersionId()).isEqualTo(v7);
        assertThat(version(v7).parentVersionId()).isEqualTo(v6);
        assertThat(version(v6).parentVersionId()).isEqualTo(v5);
        assertThat(jdbc.queryForObject(
                        "SELECT current_version_id FROM files WHERE file_id = ?", String.class, a.text("file_id")))
                .isEqualTo(v8);
        assertThat(content(a))
                .contains("one, edited on the tablet.", "two, edited on the phone.", "four, edited on the laptop.")
                .contains("Paragraph three.")
                .doesNotContain("<<<<<<<");
        assertThat(version(v8).mergeParentIds()).hasSize(2).startsWith(v7);
        assertThat(version(version(v8).mergeParentIds().get(1)).isConflict())
                .as("A's upload kept aside")
                .isTrue();
    }

    @Test
    void shouldKeepOverlappingEditsBetweenMarkersAndLeaveTheConflictOpenUntilFixed() {
        String base = uploadAndCommit(user, "/clash.txt", null, text(BASE)).text("version_id");
        uploadAndCommit(tablet, "/clash.txt", base, text(BASE.replace("two.", "two, by the tablet.")), "auto");

        Api.Response merged =
                uploadAndCommit(laptop, "/clash.txt", base, text(BASE.replace("two.", "two, by the laptop.")), "auto");

        assertThat(merged.status()).isEqualTo(200);
        assertThat(merged.body().path("conflict").path("resolution").asString()).isEqualTo("MERGED_WITH_MARKERS");
        assertThat(merged.body().path("conflict").path("status").asString()).isEqualTo("OPEN");
        assertThat(content(merged))
                .contains(
                        "<<<<<<< laptop\nParagraph two, by the laptop.\n=======\nParagraph two, by the tablet.\n>>>>>>> tablet\n");
        assertThat(version(merged.text("version_id")).isConflict()).isTrue();
        String conflictId = merged.body().path("conflict").path("conflict_id").asString();

        Api.Response fixed = uploadAndCommit(laptop, "/clash.txt", merged.text("version_id"), text(BASE), "auto");

        assertThat(fixed.body().path("conflict").isNull()).isTrue();
        assertThat(jdbc.queryForMap(
                        "SELECT status, resolved_by_version FROM conflicts WHERE conflict_id = ?", conflictId))
                .containsEntry("status", "RESOLVED")
                .containsEntry("resolved_by_version", fixed.text("version_id"));
    }

    @Test
    void shouldKeepBinaryEditsAsConflictedCopies() {
        byte[] original = binary(10);
        String v5 = uploadAndCommit(user, "/Report.pdf", null, original).text("version_id");
        byte[] byTablet = binary(11);
        byte[] byPhone = binary(12);
        byte[] byLaptop = binary(13);

        Api.Response c = uploadAndCommit(tablet, "/Report.pdf", v5, byTablet, "auto");
        Api.Response b = uploadAndCommit(phone, "/Report.pdf", v5, byPhone, "auto");
        Api.Response a = uploadAndCommit(laptop, "/Report.pdf", v5, byLaptop, "auto");

        String day = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        assertThat(b.body().path("conflict").path("resolution").asString()).isEqualTo("CONFLICTED_COPY");
        assertThat(pathOf(b.text("file_id"))).isEqualTo("/Report (conflicted copy phone " + day + ").pdf");
        assertThat(pathOf(a.text("file_id"))).isEqualTo("/Report (conflicted copy laptop " + day + ").pdf");
        assertThat(contentOf(c.text("version_id"))).isEqualTo(byTablet);
        assertThat(contentOf(b.text("version_id"))).isEqualTo(byPhone);
        assertThat(contentOf(a.text("version_id"))).isEqualTo(byLaptop);
        assertThat(jdbc.queryForObject(
                        "SELECT current_version_id FROM files WHERE file_id = ?", String.class, c.text("file_id")))
                .as("last writer before them wins the original")
                .isEqualTo(c.text("version_id"));
        assertThat(accounts.liveFiles(user.userId())).isEqualTo(3);
    }

    @Test
    void shouldLoseNothingWhenTenDevicesCommitOnTheSameParent() throws Exception {
        StringBuilder base = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            base.append("Section ").append(i).append(".\n\n");
        }
        String parent =
                uploadAndCommit(user, "/ten.txt", null, text(base.toString())).text("version_id");
        List<TestUser> devices = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            devices.add(accounts.device(user, "device-" + i));
        }
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Api.Response>> uploads = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            byte[] edited =
                    text(base.toString().replace("Section " + n + ".", "Section " + n + ", edited by " + n + "."));
            uploads.add(CompletableFuture.supplyAsync(() -> {
                await(start);
                return uploadAndCommit(devices.get(n), "/ten.txt", parent, edited, "auto");
            }));
        }
        start.countDown();
        List<Api.Response> results = new ArrayList<>();
        for (CompletableFuture<Api.Response> upload : uploads) {
            results.add(upload.get());
        }

        assertThat(results).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        long fastForwards =
                results.stream().filter(r -> r.body().path("conflict").isNull()).count();
        assertThat(fastForwards).isEqualTo(1);
        String fileId = results.get(0).text("file_id");
        int keptUploads = jdbc.queryForObject(
                "SELECT count(*) FROM file_versions WHERE file_id = ? AND is_conflict AND merge_parent_ids IS NULL",
                Integer.class,
                fileId);
        int copies = jdbc.queryForObject(
                "SELECT count(*) FROM files WHERE namespace_id = ? AND file_path LIKE '/ten (conflicted copy%'",
                Integer.class, user.namespaceId());
        assertThat(fastForwards + keptUploads + copies)
                .as("every upload is a version or a copy")
                .isEqualTo(10);
        String current =
                jdbc.queryForObject("SELECT current_version_id FROM files WHERE file_id = ?", String.class, fileId);
        String finalText = new String(contentOf(current), StandardCharsets.UTF_8);
        for (int i = 0; i < 10; i++) {
            assertThat(finalText).contains("Section " + i + ", edited by " + i + ".");
        }
    }

    @Test
    void shouldTreatATextFileOverTheMergeLimitAsBinary() {
        byte[] big = text("line\n".repeat(1_000_000));
        String parent = uploadAndCommit(user, "/big.log", null, big).text("version_id");
        byte[] ours = big.clone();
        ours[0] = 'L';
        byte[] theirs = big.clone();
        theirs[big.length - 2] = 'E';
        uploadAndCommit(tablet, "/big.log", parent, theirs, "auto");

        Api.Response response = uploadAndCommit(laptop, "/big.log", parent, ours, "auto");

        assertThat(response.body().path("conflict").path("resolution").asString())
                .isEqualTo("CONFLICTED_COPY");
    }

    @Test
    void shouldRecordARejectedConflictAndCloseItWhenTheDeviceCommitsAgain() {
        String base = uploadAndCommit(user, "/r.txt", null, text("a\n")).text("version_id");
        String current = uploadAndCommit(tablet, "/r.txt", base, text("b\n")).text("version_id");

        Api.Response rejected = uploadAndCommit(laptop, "/r.txt", base, text("c\n"), "reject");

        assertThat(rejected.status()).isEqualTo(409);
        assertThat(rejected.text("current_version_id")).isEqualTo(current);
        String conflictId = rejected.text("conflict_id");
        assertThat(jdbc.queryForObject("SELECT status FROM conflicts WHERE conflict_id = ?", String.class, conflictId))
                .isEqualTo("OPEN");

        uploadAndCommit(laptop, "/r.txt", current, text("b\nc\n"));

        assertThat(jdbc.queryForObject("SELECT status FROM conflicts WHERE conflict_id = ?", String.class, conflictId))
                .isEqualTo("RESOLVED");
    }

    @Test
    void shouldResolveAStaleMultipartUploadInAutoMode() {
        Api.Response first = api.upload(
                "/files/upload",
                laptop.bearer(),
                new dev.syncbox.server.testing.Multipart()
                        .field("file_path", "/photo.jpg")
                        .file("content", binary(20)));
        uploadAndCommit(tablet, "/photo.jpg", first.text("version_id"), binary(21));

        Api.Response stale = api.upload(
                "/files/upload",
                laptop.bearer(),
                new dev.syncbox.server.testing.Multipart()
                        .field("file_path", "/photo.jpg")
                        .field("parent_version_id", first.text("version_id"))
                        .field("mode", "auto")
                        .file("content", binary(22)));
        Api.Response rejected = api.upload(
                "/files/upload",
                laptop.bearer(),
                new dev.syncbox.server.testing.Multipart()
                        .field("file_path", "/photo.jpg")
                        .field("parent_version_id", first.text("version_id"))
                        .file("content", binary(23)));

        assertThat(stale.status()).isEqualTo(200);
        assertThat(stale.body().path("conflict").path("resolution").asString()).isEqualTo("CONFLICTED_COPY");
        assertThat(contentOf(stale.text("version_id"))).isEqualTo(binary(22));
        assertThat(rejected.status()).isEqualTo(409);
        assertThat(rejected.code()).isEqualTo("conflict");
    }

    @Test
    void shouldRejectAnUnknownMode() {
        Api.Response response = uploadAndCommit(user, "/m.txt", null, text("x"), "sometimes");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("invalid_request");
    }

    private byte[] binary(long seed) {
        byte[] data = RandomContent.bytes(seed, 20_000);
        data[0] = 0;
        return data;
    }

    private String pathOf(String fileId) {
        return jdbc.queryForObject("SELECT file_path FROM files WHERE file_id = ?", String.class, fileId);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

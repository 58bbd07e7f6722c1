package dev.syncbox.upload.commit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.core.hash.Sha256;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.Multipart;
import dev.syncbox.server.testing.RandomContent;
import dev.syncbox.server.testing.TestAccounts.TestUser;
import dev.syncbox.upload.UploadServiceIT;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /files/commit_batch} and {@code POST /blocks/upload_batch}: many files in a handful of
 * requests, each entry answered as its single request would be, nothing of a failing entry written.
 */
class BatchCommitIT extends UploadServiceIT {

    @Test
    void shouldCommitAThousandSmallFilesInOneCall() {
        List<byte[]> files = new ArrayList<>();
        String run = java.util.UUID.randomUUID().toString();
        for (int i = 0; i < 1000; i++) {
            files.add(("small file " + i + " of " + run + " " + "x".repeat(i % 97)).getBytes(StandardCharsets.UTF_8));
        }
        Api.Response stored = uploadBatch(user, files);
        assertThat(stored.status()).isEqualTo(200);
        assertThat(stored.body().path("blocks")).hasSize(1000);
        stored.body()
                .path("blocks")
                .forEach(b -> assertThat(b.path("status").asString()).isEqualTo("stored"));
        List<Map<String, Object>> entries = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            entries.add(entry("/batch/folder-" + (i % 10) + "/sub/file-" + i + ".txt", null, files.get(i)));
        }

        Api.Response response = commitBatch(user, entries);

        assertThat(response.status()).isEqualTo(200);
        JsonNode answers = response.body().path("entries");
        assertThat(answers).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            JsonNode answer = answers.get(i);
            assertThat(answer.path("file_id").asString())
                    .as("entry %d: %s", i, answer)
                    .isNotEmpty();
            assertThat(answer.path("checksum").asString()).isEqualTo(ContentHasher.of(files.get(i)));
            assertThat(contentOf(answer.path("version_id").asString())).isEqualTo(files.get(i));
        }
        assertThat(accounts.liveFiles(user.userId())).isEqualTo(1000);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM files WHERE namespace_id = ? AND is_dir AND NOT is_deleted",
                        Integer.class,
                        user.namespaceId()))
                .as("10 folders with a subfolder each, and /batch")
                .isEqualTo(21);
        assertThat(accounts.usedSpace(user.userId()))
                .isEqualTo(files.stream().mapToLong(f -> f.length).sum());
        assertJournalGapFree(user);
        assertThat(jdbc.queryForObject(
                        "SELECT count(DISTINCT file_id) FROM journal WHERE namespace_id = ? AND operation = 'CREATE'"
                                + " AND NOT is_dir",
                        Integer.class,
                        user.namespaceId()))
                .isEqualTo(1000);
    }

    @Test
    void shouldAnswerEveryEntryInPlaceAndWriteNothingOfAFailingOne() {
        TestUser owner = accounts.create(10_000);
        byte[] text = "one\ntwo\nthree\nfour\nfive\n".getBytes(StandardCharsets.UTF_8);
        Api.Response first = uploadAndCommit(owner, "/doc.txt", null, text);
        String v1 = first.text("version_id");
        byte[] theirs = "one\ntwo, theirs\nthree\nfour\nfive\n".getBytes(StandardCharsets.UTF_8);
        String v2 = uploadAndCommit(owner, "/doc.txt", v1, theirs).text("version_id");
        byte[] ok = bytes("fine");
        byte[] mine = "one\ntwo\nthree\nfour\nfive, mine\n".getBytes(StandardCharsets.UTF_8);
        byte[] huge = RandomContent.bytes(7, 20_000);
        byte[] folderFile = bytes("in a folder");
        uploadBatch(owner, List.of(ok, mine, huge, folderFile));
        uploadAndCommit(owner, "/taken/inner.txt", null, bytes("inner"));
        long usedBefore = accounts.usedSpace(owner.userId());
        byte[] neverUploaded = bytes("never uploaded");

        List<Object> entries = new ArrayList<>();
        entries.add(entry("/ok/a.txt", null, ok)); // 0: committed
        entries.add(entry("/ok/missing.txt", null, neverUploaded)); // 1: missing_blocks
        entries.add(entry("/", null, ok)); // 2: invalid_path
        Map<String, Object> badHash = entry("/bad-hash.txt", null, ok);
        badHash.put("content_hash", ContentHasher.of(bytes("something else")));
        entries.add(badHash); // 3: content_hash_mismatch
        entries.add(entry("/huge.bin", null, huge)); // 4: quota_exceeded
        entries.add(entry("/ok/a.txt", null, ok)); // 5: the same path again: conflict
        entries.add(entry("/doc.txt", v1, mine)); // 6: stale, rejected
        Map<String, Object> auto = entry("/doc.txt", v1, mine);
        auto.put("mode", "auto");
        entries.add(auto); // 7: stale, merged
        entries.add(entry("/taken", null, folderFile)); // 8: a folder is there
        entries.add(entry("/taken/inner.txt/deeper.txt", null, folderFile)); // 9: a file where a folder is needed
        Map<String, Object> noPath = entry("/x", null, ok);
        noPath.remove("file_path");
        entries.add(noPath); // 10: invalid_request
        entries.add(null); // 11: invalid_request
        Map<String, Object> badMode = entry("/mode.txt", null, ok);
        badMode.put("mode", "sometimes");
        entries.add(badMode); // 12: invalid_request
        entries.add(entry("/ok/b.txt", null, folderFile)); // 13: committed

        Api.Response response = commitBatch(owner, entries);

        assertThat(response.status()).isEqualTo(200);
        JsonNode answers = response.body().path("entries");
        assertThat(answers).hasSize(entries.size());
        assertThat(answers.get(0).path("version_id").asString()).isNotEmpty();
        assertProblem(answers.get(1), 400, "missing_blocks");
        assertThat(answers.get(1).path("missing").get(0).asString()).isEqualTo(Sha256.hex(neverUploaded));
        assertProblem(answers.get(2), 400, "invalid_path");
        assertProblem(answers.get(3), 400, "content_hash_mismatch");
        assertProblem(answers.get(4), 507, "quota_exceeded");
        assertProblem(answers.get(5), 409, "conflict");
        assertThat(answers.get(5).path("current_version_id").asString())
                .isEqualTo(answers.get(0).path("version_id").asString());
        assertProblem(answers.get(6), 409, "conflict");
        assertThat(answers.get(6).path("current_version_id").asString()).isEqualTo(v2);
        assertThat(answers.get(7).path("conflict").path("resolution").asString())
                .isEqualTo("MERGED");
        String merged = answers.get(7).path("version_id").asString();
        assertThat(new String(contentOf(merged), StandardCharsets.UTF_8))
                .isEqualTo("one\ntwo, theirs\nthree\nfour\nfive, mine\n");
        assertProblem(answers.get(8), 409, "path_conflict");
        assertProblem(answers.get(9), 409, "path_conflict");
        assertProblem(answers.get(10), 400, "invalid_request");
        assertProblem(answers.get(11), 400, "invalid_request");
        assertProblem(answers.get(12), 400, "invalid_request");
        assertThat(answers.get(13).path("version_id").asString()).isNotEmpty();

        // Nothing of a failing entry: only /ok, /ok/a.txt, /ok/b.txt and the merge are new.
        assertThat(livePaths(owner))
                .containsExactlyInAnyOrder("/doc.txt", "/taken", "/taken/inner.txt", "/ok", "/ok/a.txt", "/ok/b.txt");
        long mergedSize = contentOf(merged).length;
        assertThat(accounts.usedSpace(owner.userId()))
                .isEqualTo(usedBefore + ok.length + folderFile.length + mergedSize - theirs.length);
        assertJournalGapFree(owner);
        assertThat(jdbc.queryForObject(
                        "SELECT refcount FROM file_blocks WHERE block_id = ?", Integer.class, Sha256.hex(huge)))
                .as("the over-quota entry's reference was taken back")
                .isZero();
    }

    @Test
    void shouldRefuseABatchOfMoreThanAThousandEntries() {
        List<Object> entries = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            entries.add(entry("/f" + i, null, bytes("f")));
        }

        Api.Response response = commitBatch(user, entries);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("invalid_request");
        assertThat(accounts.liveFiles(user.userId())).isZero();
    }

    @Test
    void shouldAnswerEachPartOfABlockBatchInOrder() {
        byte[] fresh = RandomContent.bytes(11, 50_000);
        byte[] known = RandomContent.bytes(12, 30_000);
        assertThat(putBlock(user, known).status()).isEqualTo(200);
        byte[] tooLarge = RandomContent.bytes(13, 4 * 1024 * 1024 + 1);
        Multipart body = new Multipart()
                .file(Sha256.hex(fresh), fresh)
                .file(Sha256.hex(known), known)
                .file(Sha256.hex(known), fresh) // bytes that are not the named block
                .file("not-a-block-id", fresh)
                .file(Sha256.hex(tooLarge), tooLarge)
                .file(Sha256.hex(fresh), fresh); // the same block twice

        Api.Response response = api.upload("/blocks/upload_batch", user.bearer(), body);

        assertThat(response.status()).isEqualTo(200);
        JsonNode answers = response.body().path("blocks");
        assertThat(answers).hasSize(6);
        assertThat(answers.get(0).path("block_id").asString()).isEqualTo(Sha256.hex(fresh));
        assertThat(answers.get(0).path("status").asString()).isEqualTo("stored");
        assertThat(answers.get(1).path("status").asString()).isEqualTo("existing");
        assertProblem(answers.get(2), 400, "block_hash_mismatch");
        assertProblem(answers.get(3), 400, "invalid_request");
        assertProblem(answers.get(4), 413, "block_too_large");
        assertThat(answers.get(5).path("block_id").asString()).isEqualTo(Sha256.hex(fresh));
        assertThat(answers.get(5).path("status").asString()).isIn("stored", "existing");
        Api.Response check = api.postJson(
                "/blocks/check",
                user.bearer(),
                Map.of("block_hashes", List.of(Sha256.hex(fresh), Sha256.hex(tooLarge))));
        assertThat(check.body().path("existing").get(0).asString()).isEqualTo(Sha256.hex(fresh));
        assertThat(check.body().path("missing").get(0).asString()).isEqualTo(Sha256.hex(tooLarge));
    }

    @Test
    void shouldRefuseABlockBatchThatIsNotMultipart() {
        Api.Response response = api.postJson("/blocks/upload_batch", user.bearer(), Map.of("blocks", List.of()));

        assertThat(response.status()).isEqualTo(415);
        assertThat(response.code()).isEqualTo("unsupported_media_type");
    }

    private Api.Response uploadBatch(TestUser who, List<byte[]> blocks) {
        Multipart body = new Multipart();
        blocks.forEach(b -> body.file(Sha256.hex(b), b));
        return api.upload("/blocks/upload_batch", who.bearer(), body);
    }

    private Api.Response commitBatch(TestUser who, List<?> entries) {
        Map<String, Object> body = new HashMap<>();
        body.put("entries", entries);
        return api.postJson("/files/commit_batch", who.bearer(), body);
    }

    /** A /files/commit body for a one-block file. */
    private static Map<String, Object> entry(String path, String parentVersionId, byte[] content) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("file_path", path);
        body.put("parent_version_id", parentVersionId);
        body.put("blocks", content.length == 0 ? List.of() : List.of(Sha256.hex(content)));
        body.put("size", content.length);
        body.put("content_hash", ContentHasher.of(content));
        return body;
    }

    private List<String> livePaths(TestUser who) {
        return jdbc.queryForList(
                "SELECT file_path FROM files WHERE namespace_id = ? AND NOT is_deleted",
                String.class,
                who.namespaceId());
    }

    private void assertJournalGapFree(TestUser who) {
        List<Long> seqs = jdbc.queryForList(
                "SELECT seq FROM journal WHERE namespace_id = ? ORDER BY seq", Long.class, who.namespaceId());
        for (int i = 0; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).isEqualTo(i + 1L);
        }
        assertThat(jdbc.queryForObject(
                        "SELECT last_seq FROM namespaces WHERE namespace_id = ?", Long.class, who.namespaceId()))
                .isEqualTo((long) seqs.size());
    }

    private static void assertProblem(JsonNode answer, int status, String code) {
        assertThat(answer.path("status").asInt()).as("%s", answer).isEqualTo(status);
        assertThat(answer.path("code").asString()).as("%s", answer).isEqualTo(code);
        assertThat(answer.path("detail").asString()).isNotEmpty();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

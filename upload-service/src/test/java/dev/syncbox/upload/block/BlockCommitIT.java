package dev.syncbox.upload.block;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.chunk.ChunkRef;
import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.core.hash.Sha256;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.Multipart;
import dev.syncbox.server.testing.RandomContent;
import dev.syncbox.server.testing.Scraped;
import dev.syncbox.server.testing.TestAccounts.TestUser;
import dev.syncbox.upload.UploadServiceIT;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlockCommitIT extends UploadServiceIT {

    @Test
    void shouldCheckUploadAndCommitBlocks() {
        byte[] content = RandomContent.bytes(100, 10 * 1024 * 1024 + 321);
        List<ChunkRef> chunks = CHUNKER.split(content);
        List<String> ids = chunks.stream().map(ChunkRef::blockId).toList();

        Api.Response before = api.postJson("/blocks/check", user.bearer(), Map.of("block_hashes", ids));
        assertThat(before.status()).isEqualTo(200);
        assertThat(before.body().path("missing")).hasSize(ids.size());
        assertThat(before.body().path("existing")).isEmpty();

        Api.Response committed = uploadAndCommit(user, "/blocks/big.bin", null, content);

        assertThat(committed.status()).isEqualTo(200);
        assertThat(committed.text("checksum")).isEqualTo(ContentHasher.of(content));
        assertThat(contentOf(committed.text("version_id"))).isEqualTo(content);
        Api.Response after = api.postJson("/blocks/check", user.bearer(), Map.of("block_hashes", ids));
        assertThat(after.body().path("existing")).hasSize(ids.size());
        assertThat(after.body().path("missing")).isEmpty();
        assertThat(accounts.usedSpace(user.userId())).isEqualTo(content.length);
    }

    @Test
    void shouldStoreBlocksOnceAcrossFilesAndUsers() {
        byte[] content = RandomContent.bytes(101, 5 * 1024 * 1024);
        assertThat(uploadAndCommit(user, "/a.bin", null, content).status()).isEqualTo(200);
        long objects = blocks.count();
        TestUser other = accounts.create();

        Api.Response sameUser = uploadAndCommit(user, "/copy.bin", null, content);
        Api.Response otherUser = uploadAndCommit(other, "/theirs.bin", null, content);

        assertThat(sameUser.status()).isEqualTo(200);
        assertThat(otherUser.status()).isEqualTo(200);
        assertThat(blocks.count()).isEqualTo(objects);
        String first = CHUNKER.split(content).get(0).blockId();
        assertThat(jdbc.queryForObject("SELECT refcount FROM file_blocks WHERE block_id = ?", Integer.class, first))
                .isEqualTo(3);
    }

    @Test
    void shouldTreatUploadOfExistingBlockAsSuccess() {
        byte[] block = RandomContent.bytes(102, 70_000);
        Api.Response first = putBlock(user, block);
        Api.Response again = putBlock(user, block);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().path("stored").asBoolean()).isTrue();
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().path("stored").asBoolean()).isFalse();
        assertThat(again.text("block_id")).isEqualTo(Sha256.hex(block));
    }

    @Test
    void shouldRejectBlockWhoseBytesDoNotMatchItsId() {
        byte[] block = RandomContent.bytes(103, 1000);
        String wrongId = Sha256.hex("something else".getBytes());
        long objects = blocks.count();

        Api.Response response = putBlock(user, wrongId, block);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("block_hash_mismatch");
        assertThat(blocks.count()).isEqualTo(objects);
        assertThat(blocks.exists(wrongId)).isFalse();
    }

    @Test
    void shouldRejectOversizeBlock() {
        byte[] block = new byte[4 * 1024 * 1024 + 1];

        Api.Response response = putBlock(user, block);

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.code()).isEqualTo("block_too_large");
    }

    @Test
    void shouldRejectMalformedBlockIds() {
        Api.Response put = putBlock(user, "not-a-hash", new byte[10]);
        Api.Response check = api.postJson("/blocks/check", user.bearer(), Map.of("block_hashes", List.of("ABC")));

        assertThat(put.status()).isEqualTo(400);
        assertThat(put.code()).isEqualTo("invalid_request");
        assertThat(check.status()).isEqualTo(400);
    }

    @Test
    void shouldAcceptTheSeedsMultipartBlockUpload() {
        byte[] block = RandomContent.bytes(104, 12_345);

        Api.Response response = api.upload(
                "/blocks/upload",
                user.bearer(),
                new Multipart().field("block_id", Sha256.hex(block)).file("content", block));

        assertThat(response.status()).isEqualTo(200);
        assertThat(blocks.exists(Sha256.hex(block))).isTrue();
    }

    @Test
    void shouldListMissingBlocksOnCommit() {
        byte[] stored = RandomContent.bytes(105, 5000);
        putBlock(user, stored);
        String absent = Sha256.hex(RandomContent.bytes(106, 5000));

        Api.Response response =
                commit(user, "/m.bin", null, List.of(Sha256.hex(stored), absent), 10_000, "0".repeat(64));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("missing_blocks");
        assertThat(response.body().path("missing").get(0).asString()).isEqualTo(absent);
        assertThat(response.body().path("missing")).hasSize(1);
        assertThat(accounts.liveFiles(user.userId())).isZero();
    }

    @Test
    void shouldRejectWrongSizeOrContentHash() {
        byte[] block = RandomContent.bytes(107, 5000);
        putBlock(user, block);
        List<String> ids = List.of(Sha256.hex(block));

        Api.Response wrongSize = commit(user, "/w.bin", null, ids, 4999, ContentHasher.of(block));
        Api.Response wrongHash = commit(user, "/w.bin", null, ids, 5000, Sha256.hex(block));

        assertThat(wrongSize.status()).isEqualTo(400);
        assertThat(wrongSize.code()).isEqualTo("size_mismatch");
        assertThat(wrongHash.status()).isEqualTo(400);
        assertThat(wrongHash.code()).isEqualTo("content_hash_mismatch");
        assertThat(accounts.liveFiles(user.userId())).isZero();
    }

    @Test
    void shouldRefuseStaleParentWithoutOverwriting() {
        byte[] v1 = RandomContent.bytes(108, 100_000);
        byte[] v2 = RandomContent.bytes(109, 100_000);
        byte[] v3 = RandomContent.bytes(110, 100_000);
        Api.Response first = uploadAndCommit(user, "/doc.bin", null, v1);
        Api.Response second = uploadAndCommit(user, "/doc.bin", first.text("version_id"), v2);
        assertThat(second.status()).isEqualTo(200);

        Api.Response stale = uploadAndCommit(user, "/doc.bin", first.text("version_id"), v3);
        Api.Response blindCreate = uploadAndCommit(user, "/doc.bin", null, v3);

        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.code()).isEqualTo("conflict");
        assertThat(stale.body().path("conflict").asBoolean()).isTrue();
        assertThat(stale.text("current_version_id")).isEqualTo(second.text("version_id"));
        assertThat(blindCreate.status()).isEqualTo(409);
        assertThat(jdbc.queryForObject(
                        "SELECT current_version_id FROM files WHERE file_id = ?", String.class, first.text("file_id")))
                .isEqualTo(second.text("version_id"));
        assertThat(contentOf(second.text("version_id"))).isEqualTo(v2);
    }

    @Test
    void shouldCommitAFileShortenedFromItsParent() {
        byte[][] blocksOfOneMib = {
            RandomContent.bytes(120, 1024 * 1024),
            RandomContent.bytes(121, 1024 * 1024),
            RandomContent.bytes(122, 1024 * 1024)
        };
        List<String> ids = Arrays.stream(blocksOfOneMib).map(Sha256::hex).toList();
        Arrays.stream(blocksOfOneMib)
                .forEach(b -> assertThat(putBlock(user, b).status()).isEqualTo(200));
        byte[] whole = concat(blocksOfOneMib[0], blocksOfOneMib[1], blocksOfOneMib[2]);
        byte[] shortened = concat(blocksOfOneMib[0], blocksOfOneMib[1]);
        Api.Response v1 = commit(user, "/log.txt", null, ids, whole.length, ContentHasher.of(whole));

        Api.Response v2 = commit(
                user,
                "/log.txt",
                v1.text("version_id"),
                ids.subList(0, 2),
                shortened.length,
                ContentHasher.of(shortened));

        assertThat(v2.status()).as(v2.body().toString()).isEqualTo(200);
        assertThat(v2.text("checksum")).isEqualTo(ContentHasher.of(shortened));
        assertThat(contentOf(v2.text("version_id"))).isEqualTo(shortened);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void shouldCheckQuotaOnCommit() {
        TestUser small = accounts.create(50_000);
        byte[] content = RandomContent.bytes(111, 60_000);

        Api.Response response = uploadAndCommit(small, "/big.bin", null, content);

        assertThat(response.status()).isEqualTo(507);
        assertThat(response.code()).isEqualTo("quota_exceeded");
        assertThat(accounts.usedSpace(small.userId())).isZero();
        assertThat(accounts.liveFiles(small.userId())).isZero();
    }

    @Test
    void shouldRebuildBlockFromDeltaAgainstStoredBase() {
        byte[] base = RandomContent.bytes(112, 1024 * 1024);
        putBlock(user, base);
        byte[] edited = base.clone();
        System.arraycopy(RandomContent.bytes(113, 1024), 0, edited, 500_000, 1024);
        byte[] delta = dev.syncbox.core.delta.BlockDelta.encode(List.of(base), edited);

        Api.Response response = putDelta(Sha256.hex(edited), List.of(Sha256.hex(base)), delta);

        assertThat(delta.length).isLessThan(2048);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().path("size").asInt()).isEqualTo(edited.length);
        assertThat(blocks.exists(Sha256.hex(edited))).isTrue();
        Api.Response commit =
                commit(user, "/edited.bin", null, List.of(Sha256.hex(edited)), edited.length, ContentHasher.of(edited));
        assertThat(contentOf(commit.text("version_id"))).isEqualTo(edited);
    }

    @Test
    void shouldRejectBadDeltas() {
        byte[] base = RandomContent.bytes(114, 10_000);
        putBlock(user, base);
        byte[] target = Arrays.copyOf(base, 10_100);
        byte[] delta = dev.syncbox.core.delta.BlockDelta.encode(List.of(base), target);

        Api.Response malformed = putDelta(Sha256.hex(target), List.of(Sha256.hex(base)), "garbage".getBytes());
        Api.Response wrongId = putDelta(Sha256.hex(base), List.of(Sha256.hex(base)), delta);
        String unknown = Sha256.hex("unknown".getBytes());
        Api.Response unknownBase = putDelta(Sha256.hex(target), List.of(unknown), delta);

        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.code()).isEqualTo("invalid_request");
        assertThat(wrongId.status()).isEqualTo(400);
        assertThat(wrongId.code()).isEqualTo("block_hash_mismatch");
        assertThat(unknownBase.status()).isEqualTo(400);
        assertThat(unknownBase.code()).isEqualTo("missing_blocks");
        assertThat(blocks.exists(Sha256.hex(target))).isFalse();
    }

    @Test
    void shouldAnswerA10000BlockManifestAndRefuseLarger() {
        List<String> manifest = new java.util.ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            manifest.add(Sha256.hex(("block " + i + " of " + user.userId()).getBytes()));
        }
        byte[] known = RandomContent.bytes(115, 3000);
        putBlock(user, known);
        manifest.set(5000, Sha256.hex(known));

        Api.Response response = api.postJson("/blocks/check", user.bearer(), Map.of("block_hashes", manifest));
        List<String> tooMany = new java.util.ArrayList<>(manifest);
        tooMany.add(Sha256.hex(new byte[0]));
        Api.Response refused = api.postJson("/blocks/check", user.bearer(), Map.of("block_hashes", tooMany));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().path("existing")).hasSize(1);
        assertThat(response.body().path("missing")).hasSize(9_999);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("invalid_request");
    }

    @Test
    void shouldCountDedupAtCommitConflictsAndTheBytesADeltaSaved() {
        String service = "service=\"upload-service\"";
        // Content no earlier run stored, so every figure below is exact.
        long seed = System.nanoTime();
        byte[] content = RandomContent.bytes(seed, 300_000);
        byte[] base = RandomContent.bytes(seed + 1, 100_000);
        byte[] edited = base.clone();
        System.arraycopy(RandomContent.bytes(seed + 2, 1024), 0, edited, 50_000, 1024);
        byte[] delta = dev.syncbox.core.delta.BlockDelta.encode(List.of(base), edited);
        int blocksOfContent = CHUNKER.split(content).size();
        Scraped before = Scraped.from(api);

        Api.Response first = uploadAndCommit(user, "/metrics/a.bin", null, content);
        // The same bytes again: every block is already stored.
        uploadAndCommit(user, "/metrics/b.bin", null, content);
        putBlock(user, base);
        assertThat(putDelta(Sha256.hex(edited), List.of(Sha256.hex(base)), delta)
                        .status())
                .isEqualTo(200);
        Api.Response update = commit(
                user,
                "/metrics/a.bin",
                first.text("version_id"),
                List.of(Sha256.hex(edited)),
                edited.length,
                ContentHasher.of(edited));
        Api.Response stale = commit(
                user,
                "/metrics/a.bin",
                first.text("version_id"),
                List.of(Sha256.hex(base)),
                base.length,
                ContentHasher.of(base));
        Scraped after = Scraped.from(api);

        assertThat(update.status()).isEqualTo(200);
        assertThat(stale.status()).isEqualTo(409);
        // Dedup at commit: logical bytes committed against bytes newly stored.
        assertThat(after.since(before, "syncbox_commit_bytes_total{" + service + "}"))
                .isEqualTo(300_000 + 300_000 + 100_000);
        assertThat(after.since(before, "syncbox_blocks_stored_bytes_total{" + service + "}"))
                .isEqualTo(300_000 + 100_000 + 100_000);
        assertThat(after.since(before, "syncbox_blocks_reused_total{" + service + "}"))
                .isEqualTo(blocksOfContent);
        assertThat(after.since(before, "syncbox_versions_committed_total{" + service + "}"))
                .isEqualTo(3);
        assertThat(after.since(before, "syncbox_commit_blocks_total{" + service + "}"))
                .isEqualTo(2 * blocksOfContent + 1);
        // Three clean commits and one conflicting: the conflict rate's two counters.
        assertThat(after.since(before, "syncbox_commits_total{" + service + "}"))
                .isEqualTo(4);
        assertThat(after.since(before, "syncbox_conflicts_total{outcome=\"rejected\"," + service + "}"))
                .isEqualTo(1);
        assertThat(after.since(before, "syncbox_delta_saved_bytes_total{direction=\"upload\"," + service + "}"))
                .isEqualTo(100_000 - delta.length);
        assertThat(after.since(before, "syncbox_upload_received_bytes_total{" + service + "}"))
                .isEqualTo(300_000 + 300_000 + 100_000 + delta.length);
        // Upload latency covers every upload route, by outcome.
        assertThat(after.since(
                        before,
                        "syncbox_upload_latency_seconds_count{method=\"POST\",outcome=\"success\","
                                + "route=\"/files/commit\"," + service + "}"))
                .isEqualTo(3);
        assertThat(after.since(
                        before,
                        "syncbox_upload_latency_seconds_count{method=\"POST\",outcome=\"client_error\","
                                + "route=\"/files/commit\"," + service + "}"))
                .isEqualTo(1);
        assertThat(after.since(
                        before,
                        "syncbox_upload_latency_seconds_count{method=\"PUT\",outcome=\"success\","
                                + "route=\"/blocks/{blockId}/delta\"," + service + "}"))
                .isEqualTo(1);
        assertThat(after.since(before, "syncbox_commit_latency_seconds_count{kind=\"single\"," + service + "}"))
                .isEqualTo(4);
    }

    private Api.Response putDelta(String blockId, List<String> bases, byte[] delta) {
        return api.json(api.request("/blocks/" + blockId + "/delta?base=" + String.join(",", bases))
                .header("Authorization", user.bearer())
                .header("Content-Type", "application/octet-stream")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(delta)));
    }
}

package dev.syncbox.upload.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.core.hash.Sha256;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.RandomContent;
import dev.syncbox.upload.UploadServiceIT;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class MaintenanceIT extends UploadServiceIT {

    @Autowired
    BlockGarbageCollector collector;

    @Autowired
    RefcountVerifier verifier;

    @Autowired
    BlockScrubber scrubber;

    private String storeUnreferencedBlock(long seed, boolean aged) {
        byte[] block = RandomContent.bytes(seed, 5000);
        String id = Sha256.hex(block);
        assertThat(putBlock(user, block).status()).isEqualTo(200);
        if (aged) {
            jdbc.update("UPDATE file_blocks SET last_accessed_at = now() - interval '2 days' WHERE block_id = ?", id);
        }
        return id;
    }

    @Test
    void shouldDeleteOnlyBlocksUnreferencedForTheGracePeriod() {
        String aged = storeUnreferencedBlock(400, true);
        String fresh = storeUnreferencedBlock(401, false);
        byte[] used = RandomContent.bytes(402, 5000);
        uploadAndCommit(user, "/used.bin", null, used);
        String usedId = Sha256.hex(used);
        jdbc.update("UPDATE file_blocks SET last_accessed_at = now() - interval '2 days' WHERE block_id = ?", usedId);

        collector.collect();

        assertThat(blocks.exists(aged)).isFalse();
        assertThat(count(aged)).isZero();
        assertThat(blocks.exists(fresh)).as("still within its grace period").isTrue();
        assertThat(blocks.exists(usedId)).as("referenced by a version").isTrue();
        Api.Response check = api.postJson("/blocks/check", user.bearer(), Map.of("block_hashes", List.of(aged)));
        assertThat(check.body().path("missing").get(0).asString()).isEqualTo(aged);
    }

    @Test
    void shouldLeaveNoStoredRowWithoutItsObjectWhenTheRemovalCannotCommit() {
        String first = storeUnreferencedBlock(410, true);
        String second = storeUnreferencedBlock(411, true);
        List<String> ids = List.of(first, second);
        refuseCommitsRemoving(ids);
        try {
            assertThatThrownBy(collector::collect).isInstanceOf(RuntimeException.class);

            assertThat(storedWithoutObject(ids))
                    .as("rows saying stored for bytes that are gone")
                    .isEmpty();
        } finally {
            jdbc.execute("DROP TRIGGER it_refuse_block_removal ON file_blocks");
        }
        collector.collect();
        assertThat(ids).allSatisfy(id -> {
            assertThat(count(id)).isZero();
            assertThat(blocks.exists(id)).isFalse();
        });
    }

    @Test
    void shouldNeverLeaveACommittedVersionNamingADeletedBlock() throws Exception {
        int committedCount = 0;
        int refusedCount = 0;
        for (int round = 0; round < 25; round++) {
            byte[] block = RandomContent.bytes(1000 + round, 3000);
            String id = Sha256.hex(block);
            putBlock(user, block);
            jdbc.update("UPDATE file_blocks SET last_accessed_at = now() - interval '2 days' WHERE block_id = ?", id);
            String path = "/race/" + round + ".bin";
            CountDownLatch start = new CountDownLatch(1);
            CompletableFuture<Integer> gc = CompletableFuture.supplyAsync(() -> {
                await(start);
                return collector.collect();
            });
            CompletableFuture<Api.Response> commit = CompletableFuture.supplyAsync(() -> {
                await(start);
                return commit(user, path, null, List.of(id), block.length, ContentHasher.of(block));
            });
            start.countDown();
            gc.get();
            Api.Response outcome = commit.get();

            if (outcome.status() == 200) {
                committedCount++;
                assertThat(blocks.exists(id))
                        .as("round %d: a committed version's block is stored", round)
                        .isTrue();
                assertThat(jdbc.queryForObject(
                                "SELECT refcount FROM file_blocks WHERE block_id = ?", Integer.class, id))
                        .isEqualTo(1);
                assertThat(contentOf(outcome.text("version_id"))).isEqualTo(block);
            } else {
                refusedCount++;
                assertThat(outcome.code()).as("round %d", round).isEqualTo("missing_blocks");
                assertThat(jdbc.queryForObject(
                                "SELECT count(*) FROM file_versions WHERE ? = ANY(block_ids)", Integer.class, id))
                        .as("round %d: no version names the block", round)
                        .isZero();
                // The reaper skips rows a transaction still holds: one the refused commit held (its
                // refcount update waited on the tombstone) goes on the next run.
                collector.collect();
                assertThat(count(id)).isZero();
            }
        }
        assertThat(committedCount + refusedCount).isEqualTo(25);
        assertThat(verifier.verify()).as("no refcount drift after the races").isEmpty();
    }

    @Test
    void shouldReportInjectedRefcountDrift() {
        byte[] content = RandomContent.bytes(403, 5000);
        uploadAndCommit(user, "/drift.bin", null, content);
        String id = Sha256.hex(content);
        assertThat(verifier.verify()).isEmpty();
        jdbc.update("UPDATE file_blocks SET refcount = refcount + 2 WHERE block_id = ?", id);
        try {
            List<RefcountVerifier.Drift> drift = verifier.verify();

            assertThat(drift).containsExactly(new RefcountVerifier.Drift(id, 3, 1));
            assertThat(metrics()).contains("syncbox_blocks_refcount_drift{service=\"upload-service\"} 1.0");
        } finally {
            jdbc.update("UPDATE file_blocks SET refcount = refcount - 2 WHERE block_id = ?", id);
        }
        assertThat(verifier.verify()).isEmpty();
    }

    @Test
    void shouldFindAnInjectedCorruptBlock() {
        byte[] content = RandomContent.bytes(404, 5000);
        uploadAndCommit(user, "/corrupt.bin", null, content);
        String id = Sha256.hex(content);
        byte[] rot = RandomContent.bytes(405, 5000);
        blocks.put(id, Sha256.newDigest().digest(rot), rot, 0, rot.length);
        try {
            BlockScrubber.Scrubbed result = scrubber.scrub(List.of(id));

            assertThat(result.corrupt()).isEqualTo(1);
            assertThat(jdbc.queryForObject(
                            "SELECT actual_sha256 FROM corrupt_blocks WHERE block_id = ?", String.class, id))
                    .isEqualTo(Sha256.hex(rot));
            assertThat(metrics())
                    .containsPattern("syncbox_versions_corrupted\\{service=\"upload-service\"} [1-9]")
                    // Its only version is corrupt: nothing of the file can be read whole.
                    .containsPattern("syncbox_files_unrecoverable\\{service=\"upload-service\"} [1-9]");
        } finally {
            blocks.put(id, Sha256.newDigest().digest(content), content, 0, content.length);
            jdbc.update("DELETE FROM corrupt_blocks WHERE block_id = ?", id);
        }
        assertThat(scrubber.scrub(List.of(id)).corrupt()).isZero();
        assertThat(metrics()).contains("syncbox_files_unrecoverable{service=\"upload-service\"} 0.0");
    }

    private String metrics() {
        return new String(api.bytes(api.request("/actuator/prometheus").GET()).body());
    }

    /** Makes every commit that deletes one of these rows fail, at commit time (a deferred trigger). */
    private void refuseCommitsRemoving(List<String> ids) {
        jdbc.execute("CREATE OR REPLACE FUNCTION it_refuse_block_removal() RETURNS trigger LANGUAGE plpgsql AS"
                + " $$ BEGIN RAISE EXCEPTION 'the test refuses this commit'; END $$");
        jdbc.execute("CREATE CONSTRAINT TRIGGER it_refuse_block_removal AFTER DELETE ON file_blocks"
                + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.block_id IN ('"
                + String.join("', '", ids) + "')) EXECUTE FUNCTION it_refuse_block_removal()");
    }

    /** Those of {@code ids} whose row says stored while the store has no object. */
    private List<String> storedWithoutObject(List<String> ids) {
        return jdbc
                .queryForList(
                        "SELECT block_id FROM file_blocks WHERE stored AND block_id = ANY(?)", String.class, (Object)
                                ids.toArray(String[]::new))
                .stream()
                .filter(id -> !blocks.exists(id))
                .toList();
    }

    private int count(String blockId) {
        return jdbc.queryForObject("SELECT count(*) FROM file_blocks WHERE block_id = ?", Integer.class, blockId);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

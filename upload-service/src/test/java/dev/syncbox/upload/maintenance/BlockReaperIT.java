package dev.syncbox.upload.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.core.hash.Sha256;
import dev.syncbox.server.cache.CacheKeys;
import dev.syncbox.server.cache.HotCache;
import dev.syncbox.server.config.SyncboxProperties;
import dev.syncbox.server.content.BlockRegistry;
import dev.syncbox.server.content.BlockWriter;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.RandomContent;
import dev.syncbox.upload.UploadServiceIT;
import dev.syncbox.upload.maintenance.BlockReaper.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;

/** The reaper's steps, aborted between each and raced against uploads and commits, on the real stack. */
class BlockReaperIT extends UploadServiceIT {

    @Autowired
    BlockGarbageCollector collector;

    @Autowired
    BlockReaper reaper;

    @Autowired
    BlockRegistry registry;

    @Autowired
    BlockWriter writer;

    @Autowired
    HotCache cache;

    @Autowired
    SyncboxProperties properties;

    @AfterEach
    void removeProbe() {
        ReaperFaults.clear(reaper);
    }

    @ParameterizedTest
    @EnumSource(Step.class)
    void shouldStayConsistentWhenAbortedAtAStepAndFinishOnTheNextRun(Step step) {
        byte[] kept = block(6000);
        Api.Response committed = uploadAndCommit(user, "/kept.bin", null, kept);
        assertThat(committed.status()).isEqualTo(200);
        age(Sha256.hex(kept));
        List<String> doomed = List.of(storeAged(block(4000)), storeAged(block(4000)));
        List<String> all = new ArrayList<>(doomed);
        all.add(Sha256.hex(kept));
        ReaperFaults.failAt(reaper, step);

        assertThatThrownBy(collector::collect).hasMessageContaining("aborted at " + step);

        assertConsistent(all);
        for (String id : doomed) {
            assertThat(count(id))
                    .as("the row is removed only by a committed last step")
                    .isEqualTo(1);
            assertThat(stored(id))
                    .as("stored only if the tombstone never committed")
                    .isEqualTo(step == Step.TOMBSTONES_WRITTEN);
            assertThat(blocks.exists(id))
                    .as("deleted from S3 only after the tombstone committed")
                    .isEqualTo(step.compareTo(Step.ROWS_LOCKED) <= 0);
        }

        ReaperFaults.clear(reaper);
        collector.collect();

        assertConsistent(all);
        for (String id : doomed) {
            assertThat(count(id)).isZero();
            assertThat(blocks.exists(id)).isFalse();
            assertThat(grants(id)).isZero();
        }
        assertThat(contentOf(committed.text("version_id"))).isEqualTo(kept);
    }

    @Test
    void shouldCollectOnceTheGracePeriodHasPassedOnTheServicesClock() {
        byte[] block = block(4000);
        assertThat(putBlock(user, block).status()).isEqualTo(200);
        String id = Sha256.hex(block);
        collector.collect();
        assertThat(stored(id)).as("within the grace period").isTrue();

        clock.advance(properties.upload().orphanGrace().plusMinutes(1));
        collector.collect();

        assertThat(count(id)).isZero();
        assertThat(blocks.exists(id)).isFalse();
        assertThat(grants(id)).isZero();
        assertThat(check(id).missing()).containsExactly(id);
    }

    @Test
    void shouldKeepABlockUploadedAgainBetweenTombstoneAndDelete() {
        byte[] block = block(5000);
        String id = storeAged(block);
        ReaperFaults.failAt(reaper, Step.ROWS_LOCKED);
        assertThatThrownBy(collector::collect).hasMessageContaining("aborted");
        assertThat(check(id).missing()).as("a tombstoned block is missing").containsExactly(id);

        Api.Response put = putBlock(user, block);

        assertThat(put.status()).isEqualTo(200);
        assertThat(put.body().path("stored").asBoolean()).as("written again").isTrue();
        ReaperFaults.clear(reaper);
        collector.collect();
        assertThat(stored(id)).isTrue();
        assertThat(blocks.exists(id)).isTrue();
        assertThat(grants(id)).isEqualTo(1);
        Api.Response commit = commit(user, "/again.bin", null, List.of(id), block.length, ContentHasher.of(block));
        assertThat(commit.status()).isEqualTo(200);
        assertThat(contentOf(commit.text("version_id"))).isEqualTo(block);
    }

    @ParameterizedTest
    @EnumSource(
            value = Step.class,
            names = {"ROWS_LOCKED", "OBJECTS_DELETED", "ROWS_REMOVED"})
    void shouldMakeAnUploadWaitForTheDeletionAndThenStoreTheBlockAgain(Step step) throws Exception {
        byte[] block = block(5000);
        String id = storeAged(block);
        AtomicReference<CompletableFuture<Api.Response>> upload = new AtomicReference<>();
        reaper.probe((reached, ids) -> {
            if (reached == step && ids.contains(id)) {
                upload.set(CompletableFuture.supplyAsync(() -> putBlock(user, block)));
                awaitWaitingForALock("INSERT INTO file_blocks");
            }
        });

        collector.collect();

        Api.Response put = upload.get().get(30, TimeUnit.SECONDS);
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.body().path("stored").asBoolean()).isTrue();
        assertThat(stored(id)).isTrue();
        assertThat(blocks.exists(id))
                .as("the object the upload wrote after the deletion")
                .isTrue();
        assertThat(grants(id)).as("granted again to the uploader").isEqualTo(1);
        collector.collect();
        assertThat(stored(id)).as("a fresh upload survives the next run").isTrue();
        assertThat(blocks.exists(id)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(
            value = Step.class,
            names = {"TOMBSTONES_WRITTEN", "ROWS_LOCKED", "OBJECTS_DELETED"})
    void shouldRefuseACommitNamingATombstonedBlock(Step step) throws Exception {
        byte[] block = block(5000);
        String id = storeAged(block);
        String path = "/tombstoned-" + step + ".bin";
        AtomicReference<CompletableFuture<Api.Response>> commit = new AtomicReference<>();
        reaper.probe((reached, ids) -> {
            if (reached == step && ids.contains(id)) {
                commit.set(CompletableFuture.supplyAsync(
                        () -> commit(user, path, null, List.of(id), block.length, ContentHasher.of(block))));
                if (step == Step.TOMBSTONES_WRITTEN) {
                    // It read the block as stored before the tombstone; its refcount update waits for it.
                    awaitWaitingForALock("UPDATE file_blocks SET refcount");
                } else {
                    join(commit.get());
                }
            }
        });

        collector.collect();

        Api.Response refused = commit.get().get(30, TimeUnit.SECONDS);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("missing_blocks");
        assertThat(refused.body().path("missing").get(0).asString()).isEqualTo(id);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM file_versions WHERE ? = ANY(block_ids)", Integer.class, id))
                .as("no version names the block")
                .isZero();
        assertThat(count(id)).isZero();
        assertThat(putBlock(user, block).status())
                .as("the client uploads it again")
                .isEqualTo(200);
        Api.Response retried = commit(user, path, null, List.of(id), block.length, ContentHasher.of(block));
        assertThat(retried.status()).isEqualTo(200);
        assertThat(contentOf(retried.text("version_id"))).isEqualTo(block);
    }

    @Test
    void shouldNeverCountAsStoredAPutTheReaperMayHaveDeleted() {
        byte[] block = block(4000);
        String id = Sha256.hex(block);
        // An upload claims the block and puts it, then stalls past the grace period...
        BlockRegistry.Claim stalled = registry.claim(id, block.length);
        blocks.put(id, Sha256.newDigest().digest(block), block, 0, block.length);
        age(id);
        collector.collect();
        assertThat(count(id)).isZero();
        assertThat(blocks.exists(id)).isFalse();
        // ...while another upload claims it anew.
        BlockRegistry.Claim fresh = registry.claim(id, block.length);

        assertThat(registry.markStored(id, stalled))
                .as("the stalled upload's mark")
                .isFalse();

        assertThat(stored(id)).as("no row says stored for a deleted put").isFalse();
        assertThat(fresh.stored()).isFalse();
        BlockWriter.Written written = writer.write(block, 0, block.length);
        assertThat(written.newlyStored()).isTrue();
        assertThat(stored(id)).isTrue();
        assertThat(blocks.exists(id)).isTrue();
    }

    @Test
    void shouldRefuseToMarkStoredABlockTombstonedSinceItsClaim() {
        byte[] block = block(4000);
        String id = Sha256.hex(block);
        BlockRegistry.Claim claim = registry.claim(id, block.length);
        blocks.put(id, Sha256.newDigest().digest(block), block, 0, block.length);
        age(id);
        ReaperFaults.failAt(reaper, Step.ROWS_LOCKED);
        assertThatThrownBy(collector::collect).hasMessageContaining("aborted");

        assertThat(registry.markStored(id, claim)).isFalse();

        assertThat(stored(id)).isFalse();
        assertThat(writer.write(block, 0, block.length).newlyStored())
                .as("the writer brings it back")
                .isTrue();
        ReaperFaults.clear(reaper);
        collector.collect();
        assertThat(stored(id)).isTrue();
        assertThat(blocks.exists(id)).isTrue();
    }

    @Test
    void shouldCollectBlocksClaimedButNeverMarkedStored() {
        byte[] claimedOnly = block(3000);
        byte[] putOnly = block(3000);
        registry.claim(Sha256.hex(claimedOnly), claimedOnly.length);
        registry.claim(Sha256.hex(putOnly), putOnly.length);
        blocks.put(Sha256.hex(putOnly), Sha256.newDigest().digest(putOnly), putOnly, 0, putOnly.length);
        List<String> ids = List.of(Sha256.hex(claimedOnly), Sha256.hex(putOnly));
        collector.collect();
        assertThat(ids)
                .as("within the grace period")
                .allSatisfy(id -> assertThat(count(id)).isEqualTo(1));
        ids.forEach(this::age);

        collector.collect();

        assertThat(ids).allSatisfy(id -> {
            assertThat(count(id)).isZero();
            assertThat(blocks.exists(id)).isFalse();
        });
    }

    @Test
    void shouldStopReportingABlockAsExistingOnceItsTombstoneCommits() {
        byte[] block = block(4000);
        String id = storeAged(block);
        assertThat(cache.get(CacheKeys.block(id))).as("cached when stored").isPresent();
        assertThat(check(id).existing()).containsExactly(id);
        ReaperFaults.failAt(reaper, Step.ROWS_LOCKED);

        assertThatThrownBy(collector::collect).hasMessageContaining("aborted");

        assertThat(cache.get(CacheKeys.block(id)))
                .as("evicted once the tombstone committed")
                .isEmpty();
        assertThat(check(id).missing()).containsExactly(id);
    }

    @Test
    void shouldCacheOnlyReferencedBlocksFoundInTheDatabase() {
        byte[] loose = block(4000);
        byte[] used = block(4000);
        putBlock(user, loose);
        Api.Response committed = uploadAndCommit(user, "/used.bin", null, used);
        assertThat(committed.status()).isEqualTo(200);
        List<String> keys = List.of(CacheKeys.block(Sha256.hex(loose)), CacheKeys.block(Sha256.hex(used)));
        cache.delete(keys);

        assertThat(check(Sha256.hex(loose)).existing()).hasSize(1);
        assertThat(check(Sha256.hex(used)).existing()).hasSize(1);

        // An unreferenced block may be tombstoned between the read and the put, so it is not cached.
        assertThat(cache.get(keys.get(0))).isEmpty();
        assertThat(cache.get(keys.get(1))).isPresent();
    }

    @Test
    void shouldKeepEveryBlockUploadedAgainWhileTheReaperRuns() throws Exception {
        for (int round = 0; round < 20; round++) {
            byte[] block = block(3000);
            String id = storeAged(block);
            CountDownLatch start = new CountDownLatch(1);
            CompletableFuture<Integer> gc = CompletableFuture.supplyAsync(() -> {
                await(start);
                return collector.collect();
            });
            CompletableFuture<Api.Response> put = CompletableFuture.supplyAsync(() -> {
                await(start);
                return putBlock(user, block);
            });
            start.countDown();
            gc.get(30, TimeUnit.SECONDS);

            assertThat(put.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
            assertThat(stored(id)).as("round %d: uploaded, so stored", round).isTrue();
            assertThat(blocks.exists(id))
                    .as("round %d: stored, so in S3", round)
                    .isTrue();
            assertThat(grants(id)).as("round %d", round).isEqualTo(1);
        }
    }

    /** What must hold whatever step the reaper stopped at. */
    private void assertConsistent(List<String> ids) {
        for (String id : ids) {
            if (stored(id)) {
                assertThat(blocks.exists(id))
                        .as("%s is marked stored, so its object exists", id)
                        .isTrue();
            }
            assertThat(grants(id))
                    .as("%s: its grant goes with its row, not before", id)
                    .isEqualTo(count(id));
        }
        jdbc.queryForList(
                        "SELECT DISTINCT unnest(v.block_ids) FROM file_versions v JOIN files f ON f.file_id = v.file_id"
                                + " WHERE f.owner_id = ?",
                        String.class,
                        user.userId())
                .forEach(id -> assertThat(blocks.exists(id))
                        .as("a version names %s, so its object exists", id)
                        .isTrue());
        check(ids.toArray(String[]::new)).existing().forEach(id -> {
            assertThat(stored(id)).as("%s reported existing, so stored", id).isTrue();
            assertThat(blocks.exists(id)).isTrue();
        });
    }

    private record Check(List<String> existing, List<String> missing) {}

    private Check check(String... ids) {
        Api.Response response = api.postJson("/blocks/check", user.bearer(), Map.of("block_hashes", List.of(ids)));
        assertThat(response.status()).isEqualTo(200);
        List<String> existing = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        response.body().path("existing").forEach(n -> existing.add(n.asString()));
        response.body().path("missing").forEach(n -> missing.add(n.asString()));
        return new Check(existing, missing);
    }

    /** Random bytes from a seed no other test uses, so no other test's version shares the block. */
    private static byte[] block(int size) {
        return RandomContent.bytes(ThreadLocalRandom.current().nextLong(), size);
    }

    /** Stores a block through {@code PUT /blocks} (so the user holds a grant), unreferenced and aged. */
    private String storeAged(byte[] block) {
        assertThat(putBlock(user, block).status()).isEqualTo(200);
        String id = Sha256.hex(block);
        age(id);
        return id;
    }

    private void age(String id) {
        jdbc.update("UPDATE file_blocks SET last_accessed_at = now() - interval '2 days' WHERE block_id = ?", id);
    }

    private int count(String id) {
        return jdbc.queryForObject("SELECT count(*) FROM file_blocks WHERE block_id = ?", Integer.class, id);
    }

    private boolean stored(String id) {
        return jdbc.queryForObject("SELECT count(*) FROM file_blocks WHERE block_id = ? AND stored", Integer.class, id)
                == 1;
    }

    private int grants(String id) {
        return jdbc.queryForObject("SELECT count(*) FROM block_grants WHERE block_id = ?", Integer.class, id);
    }

    /**
     * Waits until another session waits for a lock in a statement starting with {@code sql}. Polls from
     * another thread: the caller's may hold the reaper's transaction, whose view of the activity is frozen.
     */
    private void awaitWaitingForALock(String sql) {
        join(CompletableFuture.runAsync(() -> pollForALockWait(sql)));
    }

    private void pollForALockWait(String sql) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (jdbc.queryForObject(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                                + " AND wait_event_type = 'Lock' AND query LIKE ?",
                        Integer.class,
                        sql + "%")
                == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("nobody waited for a lock in " + sql + ": "
                        + jdbc.queryForList(
                                "SELECT state, wait_event_type, wait_event, left(query, 60) AS q FROM pg_stat_activity"
                                        + " WHERE datname = current_database()"));
            }
            sleep(20);
        }
    }

    private static <T> void join(CompletableFuture<T> future) {
        try {
            future.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

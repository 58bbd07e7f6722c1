package dev.syncbox.upload.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.server.testing.Api;
import dev.syncbox.upload.maintenance.BlockReaper.Step;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The reaper held between its steps while uploads and commits of the same blocks run, and raced by them. */
class BlockReaperRaceIT extends ReaperTestSupport {

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
                    awaitWaitingForALock("UPDATE file_blocks b SET refcount");
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
        // The reaper skips rows a transaction still holds; one the refused commit held goes on the next run.
        reaper.reap();
        assertThat(count(id)).isZero();
        assertThat(putBlock(user, block).status())
                .as("the client uploads it again")
                .isEqualTo(200);
        Api.Response retried = commit(user, path, null, List.of(id), block.length, ContentHasher.of(block));
        assertThat(retried.status()).isEqualTo(200);
        assertThat(contentOf(retried.text("version_id"))).isEqualTo(block);
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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

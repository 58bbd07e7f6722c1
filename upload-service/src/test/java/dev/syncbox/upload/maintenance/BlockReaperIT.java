package dev.syncbox.upload.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncbox.core.hash.Sha256;
import dev.syncbox.server.cache.CacheKeys;
import dev.syncbox.server.content.BlockRegistry;
import dev.syncbox.server.content.BlockWriter;
import dev.syncbox.server.testing.Api;
import dev.syncbox.upload.maintenance.BlockReaper.Step;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The reaper aborted between each of its steps, and the states it must leave, on the real stack. */
class BlockReaperIT extends ReaperTestSupport {

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
}

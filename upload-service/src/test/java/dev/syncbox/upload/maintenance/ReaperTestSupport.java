package dev.syncbox.upload.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.hash.Sha256;
import dev.syncbox.server.cache.HotCache;
import dev.syncbox.server.config.SyncboxProperties;
import dev.syncbox.server.content.BlockRegistry;
import dev.syncbox.server.content.BlockWriter;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.RandomContent;
import dev.syncbox.upload.UploadServiceIT;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;

/** What the reaper's tests share: its beans, blocks to collect, and the checks every step must pass. */
abstract class ReaperTestSupport extends UploadServiceIT {

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

    /** What must hold whatever step the reaper stopped at. */
    void assertConsistent(List<String> ids) {
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

    record Check(List<String> existing, List<String> missing) {}

    Check check(String... ids) {
        Api.Response response = api.postJson("/blocks/check", user.bearer(), Map.of("block_hashes", List.of(ids)));
        assertThat(response.status()).isEqualTo(200);
        List<String> existing = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        response.body().path("existing").forEach(n -> existing.add(n.asString()));
        response.body().path("missing").forEach(n -> missing.add(n.asString()));
        return new Check(existing, missing);
    }

    /** Random bytes from a seed no other test uses, so no other test's version shares the block. */
    static byte[] block(int size) {
        return RandomContent.bytes(ThreadLocalRandom.current().nextLong(), size);
    }

    /** Stores a block through {@code PUT /blocks} (so the user holds a grant), unreferenced and aged. */
    String storeAged(byte[] block) {
        assertThat(putBlock(user, block).status()).isEqualTo(200);
        String id = Sha256.hex(block);
        age(id);
        return id;
    }

    void age(String id) {
        jdbc.update("UPDATE file_blocks SET last_accessed_at = now() - interval '2 days' WHERE block_id = ?", id);
    }

    int count(String id) {
        return jdbc.queryForObject("SELECT count(*) FROM file_blocks WHERE block_id = ?", Integer.class, id);
    }

    boolean stored(String id) {
        return jdbc.queryForObject("SELECT count(*) FROM file_blocks WHERE block_id = ? AND stored", Integer.class, id)
                == 1;
    }

    int grants(String id) {
        return jdbc.queryForObject("SELECT count(*) FROM block_grants WHERE block_id = ?", Integer.class, id);
    }

    static <T> void join(CompletableFuture<T> future) {
        try {
            future.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

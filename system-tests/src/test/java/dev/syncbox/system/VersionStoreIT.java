package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncbox.core.hash.Sha256;
import dev.syncbox.core.id.Ids;
import dev.syncbox.server.blockstore.BlockStore;
import dev.syncbox.server.content.BlockReads;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.Multipart;
import dev.syncbox.upload.maintenance.BlockReaper;
import dev.syncbox.upload.maintenance.BlockScrubber;
import dev.syncbox.upload.maintenance.RefcountVerifier;
import dev.syncbox.upload.maintenance.VersionStore;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The version store against the real services, PostgreSQL and S3: a file with many versions, each a 1 KiB overwrite or
 * insert, is re-stored as deltas; then every version reads back byte for byte, whole and by ranges, through the
 * download API, and after a restore of the oldest, a purge of another file with its deltas, a job stopped half-way,
 * and a corrupted delta found by the scrubber.
 */
class VersionStoreIT {

    private static final int SIZE = 6 * 1024 * 1024;
    private static final int EDITS = 12;
    private static final long SALT = System.nanoTime();

    static RunningSystem system;
    static Api sync;
    static Api upload;
    static Api download;
    static String bearer;
    static JdbcTemplate db;
    static VersionStore versionStore;
    static BlockStore blockStore;

    @BeforeAll
    static void signIn() {
        system = RunningSystem.get();
        sync = system.api(system.sync);
        upload = system.api(system.upload);
        download = system.api(system.download);
        String email = "vs-" + Ids.newId() + "@example.test";
        assertThat(sync.postJson(
                                "/auth/register",
                                null,
                                Map.of("email", email, "password", "a long password", "name", "VS"))
                        .status())
                .isEqualTo(201);
        Api.Response login = sync.postJson(
                "/auth/login", null, Map.of("email", email, "password", "a long password", "device_name", "vs"));
        bearer = "Bearer " + login.text("access_token");
        db = system.upload.getBean(JdbcTemplate.class);
        versionStore = system.upload.getBean(VersionStore.class);
        blockStore = system.upload.getBean(BlockStore.class);
    }

    @BeforeEach
    void onlyWhatThisTestWrites() {
        // The job goes on from here: other tests' versions are theirs.
        db.update(
                "INSERT INTO job_cursors (job, position) VALUES ('version-store', ?)"
                        + " ON CONFLICT (job) DO UPDATE SET position = EXCLUDED.position",
                Ids.newId());
        versionStore.probe((step, id) -> {});
    }

    /** A file's versions, oldest first, as uploaded. */
    record History(String fileId, List<String> versionIds, List<byte[]> contents) {}

    private static History history(String path, long seed) {
        return history(path, seed, SIZE, EDITS);
    }

    private static History history(String path, long seed, int size, int edits) {
        // New content on every run: blocks an earlier run against the same database re-stored are not this run's.
        Random random = new Random(seed * 1_000_003L + SALT);
        byte[] content = new byte[size];
        random.nextBytes(content);
        List<String> ids = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        String fileId = null;
        String parent = null;
        for (int v = 0; v <= edits; v++) {
            if (v > 0) {
                content = edit(content, random);
            }
            Multipart form = new Multipart().field("file_path", path);
            if (parent != null) {
                form.field("parent_version_id", parent);
            }
            Api.Response uploaded = upload.upload("/files/upload", bearer, form.file("content", content));
            assertThat(uploaded.status()).as("upload of version %d", v).isEqualTo(200);
            fileId = uploaded.text("file_id");
            parent = uploaded.text("version_id");
            ids.add(parent);
            contents.add(content);
        }
        return new History(fileId, ids, contents);
    }

    /** One 1 KiB overwrite or insert at a random place. */
    private static byte[] edit(byte[] content, Random random) {
        byte[] patch = new byte[1024];
        random.nextBytes(patch);
        int at = random.nextInt(content.length - patch.length);
        if (random.nextBoolean()) {
            byte[] next = content.clone();
            System.arraycopy(patch, 0, next, at, patch.length);
            return next;
        }
        byte[] next = new byte[content.length + patch.length];
        System.arraycopy(content, 0, next, 0, at);
        System.arraycopy(patch, 0, next, at, patch.length);
        System.arraycopy(content, at, next, at + patch.length, content.length - at);
        return next;
    }

    private static byte[] downloadVersion(String fileId, String versionId, String range) {
        var request = download.request("/files/download/" + fileId + "?version=" + versionId)
                .header("Authorization", bearer)
                .GET();
        if (range != null) {
            request.header("Range", range);
        }
        HttpResponse<byte[]> response = download.bytes(request);
        assertThat(response.statusCode())
                .as("download of %s %s", versionId, range)
                .isEqualTo(range == null ? 200 : 206);
        return response.body();
    }

    private static void assertEveryVersionReadsBack(History history) {
        for (int v = 0; v < history.versionIds().size(); v++) {
            byte[] expected = history.contents().get(v);
            String id = history.versionIds().get(v);
            assertThat(Sha256.hex(downloadVersion(history.fileId(), id, null)))
                    .as("version %d read whole", v)
                    .isEqualTo(Sha256.hex(expected));
            // Ranges that start and end inside blocks and cross block edges: 1 MiB-ish blocks, so these cross some.
            for (int[] range :
                    new int[][] {{0, 99}, {700_000, 2_900_000}, {expected.length - 5000, expected.length - 1}}) {
                byte[] got = downloadVersion(history.fileId(), id, "bytes=" + range[0] + "-" + range[1]);
                assertThat(got)
                        .as("version %d bytes %d-%d", v, range[0], range[1])
                        .isEqualTo(Arrays.copyOfRange(expected, range[0], range[1] + 1));
            }
        }
    }

    /** Restores the oldest version as the file's newest, and reads that back. */
    private static void restoreTheOldest(History history) {
        Api.Response restored = sync.postJson(
                "/files/" + history.fileId() + "/restore",
                bearer,
                Map.of("version_id", history.versionIds().get(0)));
        assertThat(restored.status()).isEqualTo(200);
        assertThat(Sha256.hex(downloadVersion(history.fileId(), restored.text("version_id"), null)))
                .isEqualTo(Sha256.hex(history.contents().get(0)));
    }

    private static List<String> blockIds(String versionId) {
        return db.queryForObject(
                "SELECT block_ids FROM file_versions WHERE version_id = ?",
                (rs, n) -> List.of((String[]) rs.getArray(1).getArray()),
                versionId);
    }

    private static List<String> deltaStored(History history) {
        return db.queryForList(
                "SELECT d.block_id FROM block_deltas d WHERE EXISTS (SELECT 1 FROM file_versions v"
                        + " WHERE v.file_id = ? AND v.block_ids @> ARRAY[d.block_id::text])",
                String.class,
                history.fileId());
    }

    @Test
    void everyVersionReadsBackAfterItsSupersededBlocksAreStoredAsDeltas() {
        History history = history("/vs/history.bin", 1);

        VersionStore.Result first = versionStore.run(Duration.ZERO, Duration.ZERO);
        versionStore.run(Duration.ZERO, Duration.ZERO); // the whole objects go on the next pass

        assertThat(first.versions()).isGreaterThanOrEqualTo(EDITS + 1);
        assertThat(first.restored()).isGreaterThanOrEqualTo(EDITS / 2);
        List<String> deltas = deltaStored(history);
        assertThat(deltas).hasSize(first.restored());
        for (String id : deltas) {
            assertThat(blockStore.exists(id)).as("whole object of %s", id).isFalse();
        }
        // The newest version names no delta-stored block.
        List<String> newest = blockIds(history.versionIds().get(EDITS));
        assertThat(newest).doesNotContainAnyElementsOf(deltas);
        // What is stored for the file: its newest blocks whole, the rest mostly deltas.
        long stored = db.queryForObject(
                "SELECT sum(CASE WHEN d.whole_removed THEN d.delta_bytes ELSE b.block_size_bytes END)"
                        + " FROM file_blocks b LEFT JOIN block_deltas d ON d.block_id = b.block_id WHERE b.block_id IN"
                        + " (SELECT DISTINCT unnest(block_ids) FROM file_versions WHERE file_id = ?)",
                Long.class,
                history.fileId());
        long unique = SIZE + EDITS * 1024L;
        assertThat(stored).as("bytes stored for %d versions", EDITS + 1).isLessThan(unique * 13 / 10);

        assertEveryVersionReadsBack(history);
        assertThat(system.upload.getBean(RefcountVerifier.class).verify()).isEmpty();
        assertThat(system.upload.getBean(BlockScrubber.class).scrub(deltas).corrupt())
                .isZero();

        // The oldest version restored: the newest content now names delta-stored blocks, and reads back.
        restoreTheOldest(history);
        assertEveryVersionReadsBack(history);
    }

    @Test
    void aHundredVersionsOfAFileReadBackWithEveryChainWithinItsBound() {
        // 3 MiB is about three blocks: a hundred edits go through each block's region some thirty times, so chains
        // would grow far past their bound if nothing kept them within it.
        History history = history("/vs/hundred.bin", 7, 3 * 1024 * 1024, 100);

        versionStore.run(Duration.ZERO, Duration.ZERO);
        versionStore.run(Duration.ZERO, Duration.ZERO);

        List<String> deltas = deltaStored(history);
        assertThat(deltas).hasSizeGreaterThan(50);
        Integer longest = db.queryForObject(
                "WITH RECURSIVE chain (block_id, base_block_id, hops) AS ("
                        + " SELECT block_id, base_block_id, 1 FROM block_deltas WHERE block_id = ANY(?::bpchar[])"
                        + " UNION ALL SELECT c.block_id, d.base_block_id, c.hops + 1 FROM block_deltas d"
                        + " JOIN chain c ON d.block_id = c.base_block_id WHERE c.hops < 100)"
                        + " SELECT max(hops) FROM chain",
                Integer.class,
                (Object) deltas.toArray(String[]::new));
        assertThat(longest).isBetween(2, BlockReads.MAX_CHAIN);
        assertEveryVersionReadsBack(history);

        restoreTheOldest(history);
        assertThat(system.upload.getBean(RefcountVerifier.class).verify()).isEmpty();
    }

    @Test
    void aPurgedFileTakesItsDeltasAndThenTheirBasesWithIt() {
        History kept = history("/vs/kept.bin", 2);
        History purged = history("/vs/purged.bin", 3);
        versionStore.run(Duration.ZERO, Duration.ZERO);
        versionStore.run(Duration.ZERO, Duration.ZERO);
        List<String> purgedDeltas = deltaStored(purged);
        assertThat(purgedDeltas).isNotEmpty();
        List<String[]> objects = db.query(
                "SELECT block_id, base_block_id FROM block_deltas WHERE block_id = ANY(?::bpchar[])",
                (rs, n) -> new String[] {rs.getString(1), rs.getString(2)},
                (Object) purgedDeltas.toArray(String[]::new));
        purge(purged);

        for (String[] delta : objects) {
            assertThat(blockStore.exists(BlockReads.Delta.objectKey(delta[0], delta[1])))
                    .as("delta object of %s", delta[0])
                    .isFalse();
        }
        assertEveryVersionReadsBack(kept);
        assertThat(system.upload.getBean(RefcountVerifier.class).verify()).isEmpty();
    }

    @Test
    void deltasPackedIntoTheArchiveTierStillReadAndTheirPackGoesWithTheLastOfThem() {
        History history = history("/vs/archived.bin", 6);
        // Re-store, remove the wholes and pack, remove the deltas' own objects: three passes.
        for (int pass = 0; pass < 3; pass++) {
            versionStore.run(Duration.ZERO, Duration.ZERO, Duration.ZERO);
        }

        List<String> deltas = deltaStored(history);
        assertThat(deltas).isNotEmpty();
        List<Map<String, Object>> rows = db.queryForList(
                "SELECT d.block_id, d.base_block_id, d.pack_id, d.loose_removed, p.live_members, p.storage_class"
                        + " FROM block_deltas d JOIN delta_packs p ON p.pack_id = d.pack_id"
                        + " WHERE d.block_id = ANY(?::bpchar[])",
                (Object) deltas.toArray(String[]::new));
        assertThat(rows).as("packed deltas").hasSameSizeAs(deltas);
        for (Map<String, Object> row : rows) {
            assertThat(row.get("loose_removed")).isEqualTo(true);
            assertThat(blockStore.exists(BlockReads.Delta.objectKey(
                            (String) row.get("block_id"), (String) row.get("base_block_id"))))
                    .as("own object of a packed delta")
                    .isFalse();
            assertThat(blockStore.exists(BlockReads.Delta.packKey((String) row.get("pack_id"))))
                    .isTrue();
        }
        assertEveryVersionReadsBack(history);
        assertThat(system.upload.getBean(BlockScrubber.class).scrub(deltas).corrupt())
                .isZero();
        assertThat(system.upload.getBean(RefcountVerifier.class).verify()).isEmpty();

        List<String> packs =
                rows.stream().map(r -> (String) r.get("pack_id")).distinct().toList();
        purge(history);
        assertThat(db.queryForList(
                        "SELECT pack_id FROM delta_packs WHERE pack_id = ANY(?::varchar[])", String.class, (Object)
                                packs.toArray(String[]::new)))
                .as("packs whose members all went")
                .isEmpty();
        for (String pack : packs) {
            assertThat(blockStore.exists(BlockReads.Delta.packKey(pack))).isFalse();
        }
    }

    /** Deletes a file for good, then runs the collector until its blocks, deltas and their bases are gone. */
    private static void purge(History history) {
        String[] blocks = db.queryForList(
                        "SELECT DISTINCT unnest(block_ids) FROM file_versions WHERE file_id = ?",
                        String.class,
                        history.fileId())
                .toArray(String[]::new);
        assertThat(sync.postJson("/files/" + history.fileId() + "/delete", bearer, Map.of())
                        .status())
                .isEqualTo(200);
        assertThat(sync.json(sync.request("/trash/" + history.fileId())
                                .header("Authorization", bearer)
                                .DELETE())
                        .status())
                .isEqualTo(204);
        BlockReaper reaper = system.upload.getBean(BlockReaper.class);
        TransactionTemplate transactions =
                new TransactionTemplate(system.upload.getBean(PlatformTransactionManager.class));
        for (int round = 0; round < BlockReads.MAX_CHAIN + 1; round++) {
            db.update(
                    "UPDATE file_blocks SET last_accessed_at = now() - interval '400 days' WHERE block_id = ANY(?)",
                    (Object) blocks);
            transactions.executeWithoutResult(t -> reaper.tombstone(List.of(blocks)));
            reaper.reap();
        }
        assertThat(db.queryForList(
                        "SELECT block_id FROM file_blocks WHERE block_id = ANY(?::bpchar[])", String.class, (Object)
                                blocks))
                .as("blocks of the purged file")
                .isEmpty();
    }

    @Test
    void aRunStoppedAtAnyStepLeavesEveryVersionReadableAndTheNextRunFinishes() {
        History history = history("/vs/stopped.bin", 4);
        for (VersionStore.Step step : VersionStore.Step.values()) {
            int[] reached = {0};
            versionStore.probe((at, id) -> {
                if (at == step && reached[0]++ == 1) {
                    throw new IllegalStateException("stopped at " + step);
                }
            });
            assertThatThrownBy(() -> versionStore.run(Duration.ZERO, Duration.ZERO))
                    .hasMessageContaining("stopped at " + step);
            assertEveryVersionReadsBack(history);
        }
        versionStore.probe((step, id) -> {});

        versionStore.run(Duration.ZERO, Duration.ZERO);
        versionStore.run(Duration.ZERO, Duration.ZERO);

        assertThat(deltaStored(history)).isNotEmpty();
        assertEveryVersionReadsBack(history);
        assertThat(system.upload.getBean(RefcountVerifier.class).verify()).isEmpty();
    }

    @Test
    void aCorruptedDeltaIsFoundByTheScrubberAndNeverServed() {
        History history = history("/vs/corrupt.bin", 5);
        versionStore.run(Duration.ZERO, Duration.ZERO);
        versionStore.run(Duration.ZERO, Duration.ZERO);
        String victim = deltaStored(history).get(0);
        String base =
                db.queryForObject("SELECT base_block_id FROM block_deltas WHERE block_id = ?", String.class, victim);
        int length =
                db.queryForObject("SELECT delta_bytes FROM block_deltas WHERE block_id = ?", Integer.class, victim);
        byte[] garbage = new byte[length];
        new Random(9).nextBytes(garbage);
        blockStore.put(
                BlockReads.Delta.objectKey(victim, base),
                Sha256.newDigest().digest(garbage),
                garbage,
                0,
                garbage.length);

        assertThat(system.upload
                        .getBean(BlockScrubber.class)
                        .scrub(List.of(victim))
                        .corrupt())
                .isEqualTo(1);
        assertThat(db.queryForList("SELECT 1 FROM corrupt_blocks WHERE block_id = ?", victim))
                .hasSize(1);
        int version = -1;
        for (int v = 0; v < history.versionIds().size() && version < 0; v++) {
            List<String> ids = blockIds(history.versionIds().get(v));
            if (ids.contains(victim)) {
                version = v;
            }
        }
        // Never the wrong bytes: the download fails, before or during the body, rather than serve them.
        boolean served;
        try {
            HttpResponse<byte[]> response = download.bytes(download.request("/files/download/" + history.fileId()
                            + "?version=" + history.versionIds().get(version))
                    .header("Authorization", bearer)
                    .GET());
            served = response.statusCode() == 200
                    && Arrays.equals(response.body(), history.contents().get(version));
        } catch (java.io.UncheckedIOException cut) {
            served = false;
        }
        assertThat(served)
                .as("version %d with a corrupted delta served whole", version)
                .isFalse();
        db.update("DELETE FROM corrupt_blocks WHERE block_id = ?", victim);
    }
}

package dev.syncbox.upload.maintenance;

import dev.syncbox.core.delta.BlockDelta;
import dev.syncbox.core.hash.Sha256;
import dev.syncbox.server.blockstore.BlockStore;
import dev.syncbox.server.content.BlockReads;
import dev.syncbox.server.content.BlockRegistry;
import dev.syncbox.server.jobs.JobLock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The version store's job (docs/version-store.md): walks the committed versions in order, behind a cursor, and
 * re-stores each block a version superseded as a delta against the block that replaced it, when that is much smaller.
 * Reverse deltas, as RCS keeps them: the newest content stays whole and reads at full speed; old versions pay a
 * rebuild. It never runs on a commit's path, and one instance runs it at a time (a database lock).
 *
 * <p>Each re-store is safe to stop at any point: the delta object is written and checked first, then one short
 * transaction records it and counts a reference to its base, and only some time later is the whole object deleted
 * (readers that chose it before may still be reading it; one that finds it gone looks again).
 */
@Component
public class VersionStore {

    private static final Logger log = LoggerFactory.getLogger(VersionStore.class);

    static final String JOB = "version-store";

    /** The points between the steps of one re-store, where {@link Probe} is called. */
    public enum Step {
        /** The delta object is in the store; nothing records it yet. */
        DELTA_WRITTEN,
        /** The delta is recorded and committed; the whole object is still there. */
        DELTA_RECORDED
    }

    /** Called between steps; a test seam for stopping the job there (does nothing otherwise). */
    public interface Probe {
        void reached(Step step, String blockId);
    }

    /** What one {@link #run()} did. */
    public record Result(int versions, int restored, long savedBytes, int wholesRemoved, int packed) {}

    /** Blocks of one version tried at most: a rewrite of a whole file does not delta against itself. */
    static final int MAX_SUPERSEDED_PER_VERSION = 32;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate outer;
    private final TransactionTemplate inner;
    private final JobLock lock;
    private final BlockStore store;
    private final BlockReads reads;
    private final BlockRegistry blocks;
    private final Clock clock;
    private final Duration settle;
    private final Duration wholeGrace;
    private final int batch;
    private final double maxRatio;
    private final Duration archiveAfter;
    private final String archiveClass;
    private final int packBytes;
    private final Counter restoredBlocks;
    private final AtomicLong fullBytes = new AtomicLong();
    private final AtomicLong deltaBytes = new AtomicLong();
    private final AtomicLong archivedBytes = new AtomicLong();
    private final AtomicLong savedBytes = new AtomicLong();
    private volatile Probe probe = (step, id) -> {};

    VersionStore(
            JdbcTemplate jdbc,
            PlatformTransactionManager transactionManager,
            JobLock lock,
            BlockStore store,
            BlockReads reads,
            BlockRegistry blocks,
            Clock clock,
            MeterRegistry registry,
            @Value("${syncbox.version-store.settle:PT5M}") Duration settle,
            @Value("${syncbox.version-store.whole-grace:PT5M}") Duration wholeGrace,
            @Value("${syncbox.version-store.batch:500}") int batch,
            @Value("${syncbox.version-store.max-ratio:0.5}") double maxRatio,
            @Value("${syncbox.version-store.archive-after:P90D}") Duration archiveAfter,
            @Value("${syncbox.version-store.archive-class:GLACIER_IR}") String archiveClass,
            @Value("${syncbox.version-store.pack-bytes:67108864}") int packBytes) {
        this.jdbc = jdbc;
        this.outer = new TransactionTemplate(transactionManager);
        this.inner = new TransactionTemplate(transactionManager);
        this.inner.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.lock = lock;
        this.store = store;
        this.reads = reads;
        this.blocks = blocks;
        this.clock = clock;
        this.settle = settle;
        this.wholeGrace = wholeGrace;
        this.batch = batch;
        this.maxRatio = maxRatio;
        this.archiveAfter = archiveAfter;
        this.archiveClass = archiveClass;
        this.packBytes = packBytes;
        this.restoredBlocks = Counter.builder("syncbox.version_store.deltas")
                .description("Superseded blocks the version store re-stored as deltas")
                .register(registry);
        Gauge.builder("syncbox.storage.bytes", fullBytes, AtomicLong::get)
                .tag("kind", "full")
                .description("Bytes of the block store held as whole blocks, at the version store's last count")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("syncbox.storage.bytes", deltaBytes, AtomicLong::get)
                .tag("kind", "delta")
                .description("Bytes of the block store held as deltas, at the version store's last count")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("syncbox.storage.bytes", archivedBytes, AtomicLong::get)
                .tag("kind", "archived")
                .description("Bytes of the block store held as deltas packed in the archive tier, at the last count")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("syncbox.storage.delta.saved.bytes", savedBytes, AtomicLong::get)
                .description(
                        "Bytes the delta-stored blocks would take whole, less their deltas: storage saved by delta")
                .baseUnit("bytes")
                .register(registry);
    }

    /** Sets the test seam called between the steps of each re-store. */
    public void probe(Probe probe) {
        this.probe = probe;
    }

    @Scheduled(
            initialDelayString = "${syncbox.version-store.interval:PT10M}",
            fixedDelayString = "${syncbox.version-store.interval:PT10M}")
    void scheduled() {
        try {
            Result result = run();
            if (result.restored() > 0 || result.wholesRemoved() > 0 || result.packed() > 0) {
                log.info(
                        "version store: {} versions read, {} blocks re-stored as deltas ({} bytes saved), {} whole"
                                + " objects removed, {} deltas packed",
                        result.versions(),
                        result.restored(),
                        result.savedBytes(),
                        result.wholesRemoved(),
                        result.packed());
            }
        } catch (RuntimeException e) {
            log.warn("version store run failed; the next run goes on from its cursor", e);
        }
    }

    /**
     * One pass: removes the whole objects of blocks re-stored more than the grace period ago, then reads up to a batch
     * of versions after the cursor (those older than the settle time) and re-stores what they superseded. Does nothing
     * when another instance holds the job's lock. Must run outside a transaction.
     */
    public Result run() {
        return run(settle, wholeGrace, archiveAfter);
    }

    /** {@link #run()} with other waits: versions younger than {@code settle}, wholes re-stored less than {@code grace} ago, are left. */
    public Result run(Duration settle, Duration grace) {
        return run(settle, grace, archiveAfter);
    }

    /** {@link #run(Duration, Duration)}, packing deltas recorded more than {@code archiveAfter} ago. */
    public Result run(Duration settle, Duration grace, Duration archiveAfter) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("the version store commits each re-store on its own");
        }
        Result result = outer.execute(
                status -> lock.tryLock(JOB) ? pass(settle, grace, archiveAfter) : new Result(0, 0, 0, 0, 0));
        refreshGauges();
        return result;
    }

    private Result pass(Duration settle, Duration grace, Duration archiveAfter) {
        int removed = removeWholes(grace);
        removeLoose(grace);
        int packed = archive(archiveAfter);
        String cursor = jdbc.queryForList("SELECT position FROM job_cursors WHERE job = ?", String.class, JOB).stream()
                .findFirst()
                .orElse("");
        List<Superseding> versions = jdbc.query(
                "SELECT v.version_id, v.block_ids, p.block_ids FROM file_versions v LEFT JOIN file_versions p"
                        + " ON p.namespace_id = v.namespace_id AND p.version_id = v.parent_version_id"
                        + " WHERE v.version_id > ? AND v.created_at < ? ORDER BY v.version_id LIMIT ?",
                (rs, n) -> new Superseding(
                        rs.getString(1),
                        List.of((String[]) rs.getArray(2).getArray()),
                        rs.getArray(3) == null
                                ? null
                                : List.of((String[]) rs.getArray(3).getArray())),
                cursor,
                Timestamp.from(clock.instant().minus(settle)),
                batch);
        int restored = 0;
        long saved = 0;
        for (Superseding version : versions) {
            if (version.parent() != null) {
                for (Pair pair : pairs(version.parent(), version.blocks())) {
                    long gain = restore(pair);
                    if (gain > 0) {
                        restored++;
                        saved += gain;
                    }
                }
            }
        }
        if (!versions.isEmpty()) {
            // Stopped before this, the next pass reads the same versions again: what is re-stored already is skipped.
            String at = versions.get(versions.size() - 1).versionId();
            inner.executeWithoutResult(s -> jdbc.update(
                    "INSERT INTO job_cursors (job, position, updated_at) VALUES (?, ?, now())"
                            + " ON CONFLICT (job) DO UPDATE SET position = EXCLUDED.position, updated_at = now()",
                    JOB,
                    at));
        }
        return new Result(versions.size(), restored, saved, removed, packed);
    }

    private record Superseding(String versionId, List<String> blocks, List<String> parent) {}

    /** A block the version no longer names, and the blocks that took its place, nearest first. */
    record Pair(String superseded, List<String> candidates) {}

    /**
     * The superseded blocks of a version and what replaced each: the blocks between the longest common prefix and
     * suffix of the parent's list and the version's, matched by their relative position there.
     */
    static List<Pair> pairs(List<String> parent, List<String> blocks) {
        int prefix = 0;
        while (prefix < parent.size()
                && prefix < blocks.size()
                && parent.get(prefix).equals(blocks.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < parent.size() - prefix
                && suffix < blocks.size() - prefix
                && parent.get(parent.size() - 1 - suffix).equals(blocks.get(blocks.size() - 1 - suffix))) {
            suffix++;
        }
        Set<String> kept = new HashSet<>(blocks);
        Set<String> before = new HashSet<>(parent);
        List<String> removed = new ArrayList<>(new LinkedHashSet<>(parent.subList(prefix, parent.size() - suffix)));
        removed.removeIf(kept::contains);
        List<String> added = new ArrayList<>(new LinkedHashSet<>(blocks.subList(prefix, blocks.size() - suffix)));
        added.removeIf(before::contains);
        if (removed.isEmpty() || added.isEmpty()) {
            return List.of();
        }
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < removed.size() && i < MAX_SUPERSEDED_PER_VERSION; i++) {
            int at = (int) Math.min(added.size() - 1, (long) i * added.size() / removed.size());
            LinkedHashSet<String> candidates = new LinkedHashSet<>();
            candidates.add(added.get(at));
            if (at + 1 < added.size()) {
                candidates.add(added.get(at + 1));
            }
            if (at > 0) {
                candidates.add(added.get(at - 1));
            }
            pairs.add(new Pair(removed.get(i), List.copyOf(candidates)));
        }
        return pairs;
    }

    /** Re-stores the superseded block against the best candidate if that pays; the bytes saved, or 0. */
    private long restore(Pair pair) {
        String x = pair.superseded();
        Integer size = eligibleSize(x);
        if (size == null) {
            return 0;
        }
        int height = height(x);
        byte[] whole = null;
        byte[] best = null;
        byte[] bestBaseBytes = null;
        String bestBase = null;
        for (String y : pair.candidates()) {
            Integer baseSize = wholeBaseSize(y);
            if (baseSize == null) {
                continue;
            }
            Integer depth = depth(y, x);
            if (depth == null || depth + 1 + height > BlockReads.MAX_CHAIN) {
                continue;
            }
            if (whole == null) {
                whole = reads.read(x, size);
            }
            byte[] base = reads.read(y, baseSize);
            byte[] delta = BlockDelta.encode(List.of(base), whole);
            if (delta.length <= size * maxRatio && (best == null || delta.length < best.length)) {
                best = delta;
                bestBaseBytes = base;
                bestBase = y;
            }
        }
        if (best == null) {
            return 0;
        }
        if (!Sha256.hex(BlockDelta.apply(List.of(bestBaseBytes), best)).equals(x)) {
            log.error("a delta of block {} against {} does not rebuild it; left whole", x, bestBase);
            return 0;
        }
        String key = BlockReads.Delta.objectKey(x, bestBase);
        MessageDigest sha = Sha256.newDigest();
        store.put(key, sha.digest(best), best, 0, best.length);
        probe.reached(Step.DELTA_WRITTEN, x);
        String base = bestBase;
        int length = best.length;
        Boolean recorded = inner.execute(s -> record(x, base, length));
        if (!Boolean.TRUE.equals(recorded)) {
            store.delete(List.of(key));
            return 0;
        }
        restoredBlocks.increment();
        probe.reached(Step.DELTA_RECORDED, x);
        return size - (long) best.length;
    }

    /**
     * The block's size if it may be re-stored: stored whole, not on its way out, and named by no file's current version
     * (the newest content of every file reads whole); null otherwise.
     */
    private Integer eligibleSize(String blockId) {
        List<Integer> sizes = jdbc.queryForList(
                "SELECT b.block_size_bytes FROM file_blocks b WHERE b.block_id = ? AND b.stored"
                        + " AND b.tombstoned_at IS NULL AND b.block_size_bytes >= 64"
                        + " AND NOT EXISTS (SELECT 1 FROM block_deltas d WHERE d.block_id = b.block_id)"
                        + " AND NOT EXISTS (SELECT 1 FROM file_versions v JOIN files f"
                        + " ON f.namespace_id = v.namespace_id AND f.current_version_id = v.version_id"
                        + " WHERE v.block_ids @> ARRAY[b.block_id::text])",
                Integer.class,
                blockId);
        return sizes.isEmpty() ? null : sizes.get(0);
    }

    /** The size of a block that may serve as a base: stored and not on its way out; null otherwise. */
    private Integer wholeBaseSize(String blockId) {
        List<Integer> sizes = jdbc.queryForList(
                "SELECT block_size_bytes FROM file_blocks WHERE block_id = ? AND stored AND tombstoned_at IS NULL",
                Integer.class,
                blockId);
        return sizes.isEmpty() ? null : sizes.get(0);
    }

    /** Hops from {@code blockId} to the whole block its chain ends at; null if the chain passes {@code avoid}. */
    private Integer depth(String blockId, String avoid) {
        List<String> chain = jdbc.queryForList(
                "WITH RECURSIVE chain (block_id, base_block_id, hops) AS ("
                        + " SELECT block_id, base_block_id, 1 FROM block_deltas WHERE block_id = ?"
                        + " UNION ALL SELECT d.block_id, d.base_block_id, c.hops + 1 FROM block_deltas d"
                        + " JOIN chain c ON d.block_id = c.base_block_id WHERE c.hops <= ?)"
                        + " SELECT base_block_id FROM chain ORDER BY hops",
                String.class,
                blockId,
                BlockReads.MAX_CHAIN * 2);
        if (chain.contains(avoid) || blockId.equals(avoid)) {
            return null;
        }
        return chain.size();
    }

    /** The longest chain of deltas that ends at {@code blockId}: what re-storing it would lengthen. */
    private int height(String blockId) {
        Integer height = jdbc.queryForObject(
                "WITH RECURSIVE below (block_id, hops) AS ("
                        + " SELECT block_id, 1 FROM block_deltas WHERE base_block_id = ?"
                        + " UNION ALL SELECT d.block_id, b.hops + 1 FROM block_deltas d"
                        + " JOIN below b ON d.base_block_id = b.block_id WHERE b.hops <= ?)"
                        + " SELECT coalesce(max(hops), 0) FROM below",
                Integer.class,
                blockId,
                BlockReads.MAX_CHAIN * 2);
        return height == null ? 0 : height;
    }

    /**
     * Records the delta if both blocks are still as they were checked (rows locked, in id order): the block stored
     * whole and not yet a delta, the base stored; counts one reference to the base.
     */
    private boolean record(String blockId, String baseId, int length) {
        List<String> live = jdbc.queryForList(
                "SELECT block_id FROM file_blocks WHERE block_id IN (?, ?) AND stored AND tombstoned_at IS NULL"
                        + " ORDER BY block_id FOR UPDATE",
                String.class,
                blockId,
                baseId);
        if (live.size() != 2) {
            return false;
        }
        int inserted = jdbc.update(
                "INSERT INTO block_deltas (block_id, base_block_id, delta_bytes) VALUES (?, ?, ?)"
                        + " ON CONFLICT (block_id) DO NOTHING",
                blockId,
                baseId,
                length);
        if (inserted == 0) {
            return false;
        }
        blocks.reference(List.of(baseId));
        return true;
    }

    /** Deletes the whole objects of blocks re-stored more than the grace period ago; returns how many. */
    private int removeWholes(Duration wholeGrace) {
        List<String> ids = jdbc.queryForList(
                "SELECT block_id FROM block_deltas WHERE NOT whole_removed AND created_at < ?"
                        + " ORDER BY created_at LIMIT 1000",
                String.class,
                Timestamp.from(clock.instant().minus(wholeGrace)));
        if (ids.isEmpty()) {
            return 0;
        }
        store.delete(ids);
        inner.executeWithoutResult(s -> jdbc.update(con -> {
            var ps = con.prepareStatement(
                    "UPDATE block_deltas SET whole_removed = true WHERE block_id = ANY(?::bpchar[])");
            ps.setArray(1, con.createArrayOf("text", ids.toArray()));
            return ps;
        }));
        return ids.size();
    }

    /**
     * The archive tier: deltas recorded more than {@code archiveAfter} ago, whose blocks only old versions name, are
     * packed into one object of up to {@code pack-bytes} in the archive storage class, then recorded in one transaction;
     * their own objects go after the grace. Returns how many were packed.
     */
    private int archive(Duration archiveAfter) {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT block_id, base_block_id, delta_bytes FROM block_deltas WHERE pack_id IS NULL AND whole_removed"
                        + " AND created_at < ? ORDER BY created_at LIMIT 10000",
                Timestamp.from(clock.instant().minus(archiveAfter)));
        if (rows.isEmpty()) {
            return 0;
        }
        java.io.ByteArrayOutputStream pack = new java.io.ByteArrayOutputStream();
        List<Object[]> members = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            int length = ((Number) row.get("delta_bytes")).intValue();
            if (pack.size() > 0 && pack.size() + (long) length > packBytes) {
                break;
            }
            String block = (String) row.get("block_id");
            byte[] delta = reads.looseDelta(block, (String) row.get("base_block_id"), length);
            members.add(new Object[] {block, (long) pack.size()});
            pack.writeBytes(delta);
        }
        String packId = dev.syncbox.core.id.Ids.newId();
        byte[] bytes = pack.toByteArray();
        store.putInClass(
                BlockReads.Delta.packKey(packId),
                Sha256.newDigest().digest(bytes),
                bytes,
                0,
                bytes.length,
                archiveClass);
        Integer live = inner.execute(s -> {
            jdbc.update(
                    "INSERT INTO delta_packs (pack_id, storage_class, pack_bytes, live_members) VALUES (?, ?, ?, 0)",
                    packId,
                    archiveClass,
                    bytes.length);
            int[][] counts = jdbc.batchUpdate(
                    "UPDATE block_deltas SET pack_id = ?, pack_offset = ? WHERE block_id = ? AND pack_id IS NULL",
                    members,
                    500,
                    (ps, member) -> {
                        ps.setString(1, packId);
                        ps.setLong(2, (Long) member[1]);
                        ps.setString(3, (String) member[0]);
                    });
            int packed = 0;
            for (int[] batch : counts) {
                for (int n : batch) {
                    packed += n;
                }
            }
            jdbc.update("UPDATE delta_packs SET live_members = ? WHERE pack_id = ?", packed, packId);
            return packed;
        });
        if (live == null || live == 0) {
            inner.executeWithoutResult(s -> jdbc.update("DELETE FROM delta_packs WHERE pack_id = ?", packId));
            store.delete(List.of(BlockReads.Delta.packKey(packId)));
            return 0;
        }
        return live;
    }

    /** Deletes the own objects of deltas packed more than the grace period ago. */
    private void removeLoose(Duration grace) {
        List<String[]> loose = jdbc.query(
                "SELECT d.block_id, d.base_block_id FROM block_deltas d JOIN delta_packs p ON p.pack_id = d.pack_id"
                        + " WHERE NOT d.loose_removed AND p.created_at < ? LIMIT 1000",
                (rs, n) -> new String[] {rs.getString(1), rs.getString(2)},
                Timestamp.from(clock.instant().minus(grace)));
        if (loose.isEmpty()) {
            return;
        }
        store.delete(
                loose.stream().map(d -> BlockReads.Delta.objectKey(d[0], d[1])).toList());
        inner.executeWithoutResult(s -> jdbc.update(con -> {
            var ps = con.prepareStatement(
                    "UPDATE block_deltas SET loose_removed = true WHERE block_id = ANY(?::bpchar[])");
            ps.setArray(
                    1, con.createArrayOf("text", loose.stream().map(d -> d[0]).toArray()));
            return ps;
        }));
    }

    /** The storage gauges, from the block registry: what is whole, what is a delta, what the deltas save. */
    void refreshGauges() {
        jdbc.query(
                "SELECT (SELECT coalesce(sum(b.block_size_bytes), 0) FROM file_blocks b WHERE b.stored"
                        + " AND NOT EXISTS (SELECT 1 FROM block_deltas d WHERE d.block_id = b.block_id"
                        + " AND d.whole_removed)),"
                        + " (SELECT coalesce(sum(delta_bytes), 0) FROM block_deltas WHERE pack_id IS NULL),"
                        + " (SELECT coalesce(sum(pack_bytes), 0) FROM delta_packs),"
                        + " (SELECT coalesce(sum(b.block_size_bytes - d.delta_bytes), 0) FROM block_deltas d"
                        + " JOIN file_blocks b ON b.block_id = d.block_id WHERE d.whole_removed)",
                rs -> {
                    fullBytes.set(rs.getLong(1));
                    deltaBytes.set(rs.getLong(2));
                    archivedBytes.set(rs.getLong(3));
                    savedBytes.set(rs.getLong(4));
                });
    }
}

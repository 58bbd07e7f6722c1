package dev.syncbox.upload.maintenance;

import dev.syncbox.server.content.BlockReads;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Re-reads a random sample of stored blocks and checks that their bytes still hash to their id, at
 * most {@code syncbox.upload.scrub-bytes-per-second}. A corrupt or missing block is recorded in
 * {@code corrupt_blocks}; {@code syncbox.versions.corrupted} counts the versions that name one (the
 * seed's {@code VersionCorruptionDetected} alert fires on it).
 */
@Component
public class BlockScrubber {

    private static final Logger log = LoggerFactory.getLogger(BlockScrubber.class);

    public record Scrubbed(int checked, int corrupt) {}

    private final JdbcTemplate jdbc;
    private final BlockReads reads;
    private final long bytesPerSecond;
    private final int sample;
    private final AtomicLong corruptedVersions = new AtomicLong();
    private final AtomicLong corruptBlocks = new AtomicLong();
    private final AtomicLong unrecoverableFiles = new AtomicLong();

    BlockScrubber(
            JdbcTemplate jdbc,
            BlockReads reads,
            MeterRegistry registry,
            @Value("${syncbox.upload.scrub-bytes-per-second:52428800}") long bytesPerSecond,
            @Value("${syncbox.upload.scrub-sample:100}") int sample) {
        this.jdbc = jdbc;
        this.reads = reads;
        this.bytesPerSecond = bytesPerSecond;
        this.sample = sample;
        Gauge.builder("syncbox.versions.corrupted", corruptedVersions, AtomicLong::get)
                .description("Versions that name a block whose stored bytes are corrupt or missing")
                .register(registry);
        Gauge.builder("syncbox.blocks.corrupted", corruptBlocks, AtomicLong::get)
                .description("Blocks whose stored bytes are corrupt or missing")
                .register(registry);
        Gauge.builder("syncbox.files.unrecoverable", unrecoverableFiles, AtomicLong::get)
                .description("Files, live or in the trash, of which no version can be read whole")
                .register(registry);
    }

    @Scheduled(
            initialDelayString = "${syncbox.upload.scrub-interval:PT1H}",
            fixedDelayString = "${syncbox.upload.scrub-interval:PT1H}")
    void scheduled() {
        Scrubbed result = scrub(sample);
        if (result.corrupt() > 0) {
            log.error("scrub found {} corrupt blocks among {} checked", result.corrupt(), result.checked());
        }
    }

    /** Checks {@code count} random stored blocks. */
    public Scrubbed scrub(int count) {
        return check(jdbc.query(
                "SELECT block_id, block_size_bytes FROM file_blocks WHERE stored ORDER BY random() LIMIT ?",
                (rs, n) -> new Block(rs.getString(1), rs.getInt(2)),
                count));
    }

    /** Checks the given blocks. */
    public Scrubbed scrub(List<String> blockIds) {
        return check(jdbc.query(
                con -> {
                    var ps = con.prepareStatement(
                            "SELECT block_id, block_size_bytes FROM file_blocks WHERE block_id = ANY(?::bpchar[]) AND stored");
                    ps.setArray(1, con.createArrayOf("text", blockIds.toArray()));
                    return ps;
                },
                (rs, n) -> new Block(rs.getString(1), rs.getInt(2))));
    }

    private record Block(String id, int size) {}

    private Scrubbed check(List<Block> blocks) {
        int corrupt = 0;
        for (Block block : blocks) {
            long started = System.nanoTime();
            String actual = actualHash(block);
            if (!block.id().equals(actual)) {
                corrupt++;
                jdbc.update(
                        "INSERT INTO corrupt_blocks (block_id, actual_sha256) VALUES (?, ?)"
                                + " ON CONFLICT (block_id) DO UPDATE SET actual_sha256 = EXCLUDED.actual_sha256,"
                                + " detected_at = now()",
                        block.id(),
                        actual);
            }
            throttle(block.size(), started);
        }
        refreshGauges();
        return new Scrubbed(blocks.size(), corrupt);
    }

    /** The SHA-256 of the stored bytes (rebuilt, for a delta-stored block), or null when they are gone or undecodable. */
    private String actualHash(Block block) {
        return reads.actualHash(block.id(), block.size());
    }

    private void throttle(long bytes, long startedNanos) {
        long minimumNanos = bytes * 1_000_000_000L / Math.max(1, bytesPerSecond);
        long sleepNanos = minimumNanos - (System.nanoTime() - startedNanos);
        if (sleepNanos > 0) {
            try {
                Thread.sleep(sleepNanos / 1_000_000, (int) (sleepNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @org.springframework.context.event.EventListener(org.springframework.boot.context.event.ApplicationReadyEvent.class)
    void refreshGauges() {
        long corrupt = jdbc.queryForObject("SELECT count(*) FROM corrupt_blocks", Long.class);
        corruptBlocks.set(corrupt);
        if (corrupt == 0) {
            // The usual case, without reading every version.
            corruptedVersions.set(0);
            unrecoverableFiles.set(0);
            return;
        }
        corruptedVersions.set(jdbc.queryForObject(
                "SELECT count(*) FROM file_versions v WHERE v.block_ids &&"
                        + " (SELECT coalesce(array_agg(block_id::text), '{}') FROM corrupt_blocks)",
                Long.class));
        // A file is lost when its current version is corrupt and no other version of it is whole.
        unrecoverableFiles.set(jdbc.queryForObject(
                "WITH bad AS (SELECT coalesce(array_agg(block_id::text), '{}') AS ids FROM corrupt_blocks)"
                        + " SELECT count(*) FROM files f JOIN file_versions c ON c.version_id = f.current_version_id,"
                        + " bad WHERE c.block_ids && bad.ids AND NOT EXISTS (SELECT 1 FROM file_versions v"
                        + " WHERE v.file_id = f.file_id AND NOT (v.block_ids && bad.ids))",
                Long.class));
    }
}

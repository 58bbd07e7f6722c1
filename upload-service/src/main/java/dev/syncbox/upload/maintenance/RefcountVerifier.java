package dev.syncbox.upload.maintenance;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Recomputes every block's refcount from the version rows (each version counts a block once) and the
 * version store's deltas (each delta counts its base once), and
 * reports the blocks whose stored refcount differs, or that versions name but the registry lacks:
 * {@code syncbox.blocks.refcount_drift}. Reports, never repairs: drift means a bug to look at.
 */
@Component
public class RefcountVerifier {

    private static final Logger log = LoggerFactory.getLogger(RefcountVerifier.class);

    public record Drift(String blockId, int stored, int expected) {}

    private final JdbcTemplate jdbc;
    private final AtomicLong drift = new AtomicLong();

    RefcountVerifier(JdbcTemplate jdbc, MeterRegistry registry) {
        this.jdbc = jdbc;
        Gauge.builder("syncbox.blocks.refcount_drift", drift, AtomicLong::get)
                .description("Blocks whose refcount differs from the versions that name them, at the last check")
                .register(registry);
    }

    @Scheduled(
            initialDelayString = "${syncbox.upload.verify-interval:PT6H}",
            fixedDelayString = "${syncbox.upload.verify-interval:PT6H}")
    void scheduled() {
        List<Drift> found = verify();
        if (!found.isEmpty()) {
            log.error("refcount drift on {} blocks, e.g. {}", found.size(), found.get(0));
        }
    }

    public List<Drift> verify() {
        List<Drift> found = jdbc.query(
                "SELECT coalesce(b.block_id, e.id), coalesce(b.refcount, 0), coalesce(e.n, 0)"
                        + " FROM file_blocks b FULL OUTER JOIN ("
                        + "   SELECT id, sum(n) AS n FROM ("
                        + "     SELECT id, count(*) AS n FROM (SELECT DISTINCT version_id, unnest(block_ids) AS id"
                        + "     FROM file_versions) v GROUP BY id"
                        + "     UNION ALL SELECT base_block_id::text, count(*) FROM block_deltas GROUP BY base_block_id"
                        + "   ) r GROUP BY id) e ON e.id = b.block_id"
                        + " WHERE coalesce(b.refcount, 0) <> coalesce(e.n, 0) OR (b.block_id IS NULL)",
                (rs, n) -> new Drift(rs.getString(1), rs.getInt(2), rs.getInt(3)));
        drift.set(found.size());
        return found;
    }
}

package dev.syncbox.conflict.engine.record;

import dev.syncbox.core.id.Ids;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code conflicts} table; each conflict recorded or closed is counted by {@link CommitMetrics}
 * (outcome, who resolved it, and the time from divergence to resolution).
 */
@Component
public class ConflictLog {

    /** A conflict as recorded. */
    public record Entry(
            long namespaceId,
            String fileId,
            String deviceAVersion,
            String deviceBVersion,
            String baseVersion,
            String deviceAId,
            String status,
            String resolution,
            String resultVersion,
            String copyFileId) {}

    private final JdbcTemplate jdbc;
    private final CommitMetrics metrics;

    ConflictLog(JdbcTemplate jdbc, CommitMetrics metrics) {
        this.jdbc = jdbc;
        this.metrics = metrics;
    }

    /** Records a conflict in the caller's transaction; returns its id. */
    @Transactional(propagation = Propagation.MANDATORY)
    public String record(Entry entry, Instant divergedAt) {
        return insert(entry, divergedAt);
    }

    /** Records a conflict that must outlive the caller's transaction (a rejected commit rolls back). */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public String recordApart(Entry entry, Instant divergedAt) {
        return insert(entry, divergedAt);
    }

    private String insert(Entry e, Instant divergedAt) {
        String id = Ids.newId();
        boolean resolved = "RESOLVED".equals(e.status());
        jdbc.update(
                "INSERT INTO conflicts (conflict_id, namespace_id, file_id, device_a_version, device_b_version,"
                        + " base_version, device_a_id, diverged_at, status, resolution, result_version, copy_file_id,"
                        + " resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id,
                e.namespaceId(),
                e.fileId(),
                e.deviceAVersion(),
                e.deviceBVersion(),
                e.baseVersion(),
                e.deviceAId(),
                Timestamp.from(divergedAt),
                e.status(),
                e.resolution(),
                e.resultVersion(),
                e.copyFileId(),
                resolved ? Timestamp.from(divergedAt) : null);
        metrics.conflicted(e.resolution());
        if (resolved) {
            metrics.resolved("auto", Duration.ZERO);
        }
        return id;
    }

    /**
     * Closes the open conflicts of a file that a new version settles: a merge with markers once a
     * version is committed on top of it, a rejected commit once its device commits again.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void settledBy(String fileId, String parentVersionId, String deviceId, String versionId, Instant now) {
        List<Timestamp> diverged = jdbc.queryForList(
                "UPDATE conflicts SET status = 'RESOLVED', resolved_by_version = ?, resolved_at = ?"
                        + " WHERE file_id = ? AND status = 'OPEN' AND (result_version = ?"
                        + " OR (resolution = 'REJECTED' AND device_a_id = ?)) RETURNING diverged_at",
                Timestamp.class,
                versionId,
                Timestamp.from(now),
                fileId,
                parentVersionId,
                deviceId);
        diverged.forEach(t -> metrics.resolved("settled", Duration.between(t.toInstant(), now)));
    }

    /** A file's new version, as {@link #settledByAll} takes it: the version it replaced, and itself. */
    public record Settling(String fileId, String parentVersionId, String versionId) {}

    /** {@link #settledBy} for many files committed by one device at once, in one statement. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void settledByAll(long namespaceId, List<Settling> settled, String deviceId, Instant now) {
        if (settled.isEmpty()) {
            return;
        }
        List<Timestamp> diverged = jdbc.query(
                con -> {
                    var ps = con.prepareStatement("UPDATE conflicts c SET status = 'RESOLVED',"
                            + " resolved_by_version = s.version_id, resolved_at = ?"
                            + " FROM unnest(?::text[], ?::text[], ?::text[]) AS s(file_id, parent_id, version_id)"
                            + " WHERE c.namespace_id = ? AND c.file_id = s.file_id AND c.status = 'OPEN'"
                            + " AND (c.result_version = s.parent_id"
                            + " OR (c.resolution = 'REJECTED' AND c.device_a_id = ?)) RETURNING c.diverged_at");
                    ps.setTimestamp(1, Timestamp.from(now));
                    ps.setArray(
                            2,
                            con.createArrayOf(
                                    "text",
                                    settled.stream().map(Settling::fileId).toArray()));
                    ps.setArray(
                            3,
                            con.createArrayOf(
                                    "text",
                                    settled.stream()
                                            .map(Settling::parentVersionId)
                                            .toArray()));
                    ps.setArray(
                            4,
                            con.createArrayOf(
                                    "text",
                                    settled.stream().map(Settling::versionId).toArray()));
                    ps.setLong(5, namespaceId);
                    ps.setString(6, deviceId);
                    return ps;
                },
                (rs, n) -> rs.getTimestamp(1));
        diverged.forEach(t -> metrics.resolved("settled", Duration.between(t.toInstant(), now)));
    }

    /** Marks a conflict resolved by a version the user chose; false if there is no such conflict. */
    @Transactional
    public boolean resolve(long namespaceId, String fileId, String conflictId, String versionId, Instant now) {
        List<Timestamp> diverged = jdbc.queryForList(
                "UPDATE conflicts SET status = 'RESOLVED', resolved_by_version = ?, resolved_at = ?"
                        + " WHERE namespace_id = ? AND conflict_id = ? AND file_id = ? RETURNING diverged_at",
                Timestamp.class,
                versionId,
                Timestamp.from(now),
                namespaceId,
                conflictId,
                fileId);
        diverged.forEach(t -> metrics.resolved("manual", Duration.between(t.toInstant(), now)));
        return !diverged.isEmpty();
    }
}

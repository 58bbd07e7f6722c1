package dev.syncbox.conflict.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.syncbox.conflict.engine.record.ConflictLog;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.metadata.FileVersionRepository;
import dev.syncbox.server.share.Grant;
import dev.syncbox.server.share.Grants;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.share.View;
import dev.syncbox.server.web.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /files/{file_id}/conflicts} → the seed's {@code {conflicts: [{device_a_version,
 * device_b_version, diverged_at}]}} plus status and resolution; {@code POST
 * /files/{file_id}/conflicts/{conflict_id}/resolve {version_id}} marks one resolved; {@code GET /conflicts} → the
 * caller's open conflicts across every file they can see, each with its file's id and path.
 */
@RestController
class ConflictController {

    record ConflictView(
            String conflictId,
            // Jackson's snake_case would write "device_aversion".
            @JsonProperty("device_a_version") String deviceAVersion,
            @JsonProperty("device_b_version") String deviceBVersion,
            String baseVersion,
            Instant divergedAt,
            String status,
            String resolution,
            String resultVersion,
            String copyFileId,
            String resolvedByVersion,
            Instant resolvedAt) {}

    record Conflicts(List<ConflictView> conflicts) {}

    /** An open conflict of {@code GET /conflicts}: a {@link ConflictView} with its file's id and path. */
    record OpenConflictView(
            String conflictId,
            String fileId,
            String path,
            @JsonProperty("device_a_version") String deviceAVersion,
            @JsonProperty("device_b_version") String deviceBVersion,
            String baseVersion,
            Instant divergedAt,
            String status,
            String resolution,
            String resultVersion,
            String copyFileId,
            String resolvedByVersion,
            Instant resolvedAt) {}

    record OpenConflicts(List<OpenConflictView> conflicts) {}

    record ResolveRequest(@NotBlank String versionId) {}

    private final JdbcTemplate jdbc;
    private final Sharing sharing;
    private final Grants grants;
    private final FileVersionRepository versions;
    private final ConflictLog log;
    private final Clock clock;

    ConflictController(
            JdbcTemplate jdbc,
            Sharing sharing,
            Grants grants,
            FileVersionRepository versions,
            ConflictLog log,
            Clock clock) {
        this.jdbc = jdbc;
        this.sharing = sharing;
        this.grants = grants;
        this.versions = versions;
        this.log = log;
        this.clock = clock;
    }

    @GetMapping("/files/{fileId}/conflicts")
    Conflicts list(CurrentUser user, @PathVariable String fileId) {
        long namespaceId = visible(user, fileId).file().namespaceId();
        return new Conflicts(jdbc.query(
                "SELECT conflict_id, device_a_version, device_b_version, base_version, diverged_at, status, resolution,"
                        + " result_version, copy_file_id, resolved_by_version, resolved_at FROM conflicts"
                        + " WHERE namespace_id = ? AND file_id = ? ORDER BY diverged_at DESC, conflict_id DESC",
                (rs, n) -> new ConflictView(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getTimestamp(5).toInstant(),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8),
                        rs.getString(9),
                        rs.getString(10),
                        rs.getTimestamp(11) == null ? null : rs.getTimestamp(11).toInstant()),
                namespaceId,
                fileId));
    }

    /**
     * The caller's open conflicts on every live file they can see — their own, and those in items shared with them —
     * newest first, in one query whatever their number: the caller's grants (cached) name the namespaces and the
     * shared items, and the query keeps a conflict when its file is the caller's or lies in one of those items, as
     * {@code GET /files/{file_id}/conflicts} decides for one file. Paths are the caller's (under the mount point for
     * a shared file).
     */
    @GetMapping("/conflicts")
    OpenConflicts open(CurrentUser user) {
        long root = sharing.rootNamespace(user.userId());
        List<Grant> granted = grants.of(user.userId());
        Map<Long, Grant> byShare = new HashMap<>();
        granted.forEach(g -> byShare.put(g.shareId(), g));
        Set<Long> namespaces = new LinkedHashSet<>();
        namespaces.add(root);
        granted.forEach(g -> namespaces.add(g.ownerNamespaceId()));
        String sql = "SELECT c.conflict_id, c.file_id, f.file_path, s.share_id, s.root_path, c.device_a_version,"
                + " c.device_b_version, c.base_version, c.diverged_at, c.status, c.resolution, c.result_version,"
                + " c.copy_file_id, c.resolved_by_version, c.resolved_at"
                + " FROM conflicts c"
                + " JOIN files f ON f.file_id = c.file_id AND f.namespace_id = c.namespace_id AND NOT f.is_deleted"
                // The share that lets the caller see the file, if any: its live item is the file or a folder
                // around it (Sharing.view).
                + " LEFT JOIN LATERAL (SELECT g.share_id, r.file_path AS root_path"
                + "   FROM unnest(?::bigint[], ?::bigint[], ?::varchar[]) WITH ORDINALITY"
                + "     AS g(share_id, namespace_id, root_file_id, n)"
                + "   JOIN files r ON r.file_id = g.root_file_id AND r.namespace_id = g.namespace_id AND NOT r.is_deleted"
                + "   WHERE g.namespace_id = f.namespace_id AND (r.file_id = f.file_id OR (r.is_dir"
                + "     AND f.path_key >= r.path_key || '/' AND f.path_key < r.path_key || '0'))"
                + "   ORDER BY g.n LIMIT 1) s ON TRUE"
                + " WHERE c.status = 'OPEN' AND c.namespace_id = ANY (?::bigint[])"
                + " AND (f.owner_id = ? OR s.share_id IS NOT NULL)"
                + " ORDER BY c.diverged_at DESC, c.conflict_id DESC";
        List<OpenConflictView> open = jdbc.query(
                con -> {
                    PreparedStatement ps = con.prepareStatement(sql);
                    ps.setArray(
                            1,
                            con.createArrayOf(
                                    "bigint",
                                    granted.stream().map(Grant::shareId).toArray()));
                    ps.setArray(
                            2,
                            con.createArrayOf(
                                    "bigint",
                                    granted.stream()
                                            .map(Grant::ownerNamespaceId)
                                            .toArray()));
                    ps.setArray(
                            3,
                            con.createArrayOf(
                                    "varchar",
                                    granted.stream().map(Grant::rootFileId).toArray()));
                    ps.setArray(4, con.createArrayOf("bigint", namespaces.toArray()));
                    ps.setLong(5, user.userId());
                    return ps;
                },
                (rs, n) -> {
                    long shareId = rs.getLong(4);
                    String path = rs.getString(3);
                    if (!rs.wasNull()) {
                        path = new View(byShare.get(shareId), rs.getString(5)).path(path);
                    }
                    return new OpenConflictView(
                            rs.getString(1),
                            rs.getString(2),
                            path,
                            rs.getString(6),
                            rs.getString(7),
                            rs.getString(8),
                            rs.getTimestamp(9).toInstant(),
                            rs.getString(10),
                            rs.getString(11),
                            rs.getString(12),
                            rs.getString(13),
                            rs.getString(14),
                            rs.getTimestamp(15) == null
                                    ? null
                                    : rs.getTimestamp(15).toInstant());
                });
        return new OpenConflicts(open);
    }

    @PostMapping("/files/{fileId}/conflicts/{conflictId}/resolve")
    ConflictView resolve(
            CurrentUser user,
            @PathVariable String fileId,
            @PathVariable String conflictId,
            @Valid @RequestBody ResolveRequest request) {
        Sharing.Visible file = visible(user, fileId).writable();
        long namespaceId = file.file().namespaceId();
        boolean known = versions.findByIdAndNamespaceId(request.versionId(), namespaceId)
                        .filter(v -> v.fileId().equals(fileId))
                        .isPresent()
                || versions.findById(request.versionId())
                        .flatMap(v -> sharing.find(user.userId(), v.fileId()))
                        .isPresent();
        if (!known) {
            throw new SyncboxException(ErrorCode.NOT_FOUND, "No version " + request.versionId());
        }
        if (!log.resolve(namespaceId, fileId, conflictId, request.versionId(), clock.instant())) {
            throw new SyncboxException(ErrorCode.NOT_FOUND, "No conflict " + conflictId + " of " + fileId);
        }
        return list(user, fileId).conflicts().stream()
                .filter(c -> c.conflictId().equals(conflictId))
                .findFirst()
                .orElseThrow();
    }

    /** The file if the caller owns it or it is shared with them; 404 otherwise. */
    private Sharing.Visible visible(CurrentUser user, String fileId) {
        return sharing.find(user.userId(), fileId)
                .filter(v -> !v.file().isDeleted())
                .orElseThrow(() -> Sharing.notFound(fileId));
    }
}

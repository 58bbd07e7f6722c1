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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
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

    /** The conflict columns as {@link #COLUMNS} names them, from column {@code first} on. */
    static ConflictView read(ResultSet rs, int first) throws SQLException {
        Timestamp resolvedAt = rs.getTimestamp(first + 10);
        return new ConflictView(
                rs.getString(first),
                rs.getString(first + 1),
                rs.getString(first + 2),
                rs.getString(first + 3),
                rs.getTimestamp(first + 4).toInstant(),
                rs.getString(first + 5),
                rs.getString(first + 6),
                rs.getString(first + 7),
                rs.getString(first + 8),
                rs.getString(first + 9),
                resolvedAt == null ? null : resolvedAt.toInstant());
    }

    /** The columns {@link #read} reads, of the table aliased {@code c}. */
    private static final String COLUMNS = "c.conflict_id, c.device_a_version, c.device_b_version, c.base_version,"
            + " c.diverged_at, c.status, c.resolution, c.result_version, c.copy_file_id, c.resolved_by_version,"
            + " c.resolved_at";

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

    static OpenConflictView open(String fileId, String path, ConflictView c) {
        return new OpenConflictView(
                c.conflictId(),
                fileId,
                path,
                c.deviceAVersion(),
                c.deviceBVersion(),
                c.baseVersion(),
                c.divergedAt(),
                c.status(),
                c.resolution(),
                c.resultVersion(),
                c.copyFileId(),
                c.resolvedByVersion(),
                c.resolvedAt());
    }

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
                "SELECT " + COLUMNS + " FROM conflicts c WHERE c.namespace_id = ? AND c.file_id = ?"
                        + " ORDER BY c.diverged_at DESC, c.conflict_id DESC",
                (rs, n) -> read(rs, 1),
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
        String sql = "SELECT c.file_id, f.file_path, s.share_id, s.root_path, " + COLUMNS
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
                    long shareId = rs.getLong(3);
                    // A file seen through a share: its path under the caller's mount point.
                    View view = rs.wasNull() ? View.OWNER : new View(byShare.get(shareId), rs.getString(4));
                    return open(rs.getString(1), view.path(rs.getString(2)), read(rs, 5));
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

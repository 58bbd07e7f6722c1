package dev.syncbox.conflict.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.syncbox.conflict.engine.record.ConflictLog;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.metadata.FileVersionRepository;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.web.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /files/{file_id}/conflicts} → the seed's {@code {conflicts: [{device_a_version,
 * device_b_version, diverged_at}]}} plus status and resolution; {@code POST
 * /files/{file_id}/conflicts/{conflict_id}/resolve {version_id}} marks one resolved.
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

    record ResolveRequest(@NotBlank String versionId) {}

    private final JdbcTemplate jdbc;
    private final Sharing sharing;
    private final FileVersionRepository versions;
    private final ConflictLog log;
    private final Clock clock;

    ConflictController(
            JdbcTemplate jdbc, Sharing sharing, FileVersionRepository versions, ConflictLog log, Clock clock) {
        this.jdbc = jdbc;
        this.sharing = sharing;
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

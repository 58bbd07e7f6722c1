package dev.syncbox.sync.version;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.web.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /files/{file_id}/versions?limit=&starting_after=} (newest first) and {@code POST
 * /files/{file_id}/restore {version_id}}.
 */
@RestController
public class VersionController {

    static final int MAX_LIMIT = 1000;

    public record VersionView(
            String id, long size, String contentHash, String deviceId, Instant createdAt, boolean isConflict) {}

    public record VersionPage(List<VersionView> versions, String nextCursor, boolean hasMore) {}

    record RestoreRequest(@NotBlank String versionId) {}

    public record Restored(
            String fileId, String versionId, String restoredFrom, long size, String contentHash, Instant timestamp) {}

    private final VersionHistory history;

    VersionController(VersionHistory history) {
        this.history = history;
    }

    @GetMapping("/files/{fileId}/versions")
    VersionPage versions(
            CurrentUser user,
            @PathVariable String fileId,
            @RequestParam(name = "limit", defaultValue = "100") int limit,
            @RequestParam(name = "starting_after", required = false) String startingAfter) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "limit must be between 1 and " + MAX_LIMIT);
        }
        return history.page(user, fileId, limit, startingAfter);
    }

    @PostMapping("/files/{fileId}/restore")
    Restored restore(CurrentUser user, @PathVariable String fileId, @Valid @RequestBody RestoreRequest request) {
        return history.restore(user, fileId, request.versionId());
    }
}

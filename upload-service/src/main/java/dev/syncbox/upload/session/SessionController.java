package dev.syncbox.upload.session;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.metrics.Latency;
import dev.syncbox.server.web.CurrentUser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /upload-sessions} → a session; {@code PUT /upload-sessions/{id}?offset=N} appends raw
 * bytes at exactly the session's offset (else {@code 409 incorrect_offset} with {@code
 * expected_offset}); {@code GET} tells the offset to resume from; {@code POST …/finish} commits.
 */
@RestController
class SessionController {

    record SessionResponse(String sessionId, long offset, Instant expiresAt) {}

    record FinishRequest(@NotBlank String filePath, String parentVersionId) {}

    record FinishResponse(String fileId, String versionId, String checksum, Instant timestamp) {}

    private final UploadSessions sessions;

    SessionController(UploadSessions sessions) {
        this.sessions = sessions;
    }

    @PostMapping("/upload-sessions")
    @ResponseStatus(HttpStatus.CREATED)
    SessionResponse start(CurrentUser user) {
        return response(sessions.start(user));
    }

    @GetMapping("/upload-sessions/{sessionId}")
    SessionResponse status(CurrentUser user, @PathVariable String sessionId) {
        return response(sessions.find(user, sessionId));
    }

    @Latency("syncbox.upload.latency")
    @PutMapping("/upload-sessions/{sessionId}")
    SessionResponse append(
            CurrentUser user,
            @PathVariable String sessionId,
            @RequestParam(name = "offset", required = false) Long offset,
            HttpServletRequest request)
            throws IOException {
        if (offset == null || offset < 0) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "offset (a non-negative integer) is required");
        }
        try (InputStream body = request.getInputStream()) {
            return response(sessions.append(user, sessionId, offset, body));
        }
    }

    @Latency("syncbox.upload.latency")
    @PostMapping("/upload-sessions/{sessionId}/finish")
    FinishResponse finish(CurrentUser user, @PathVariable String sessionId, @Valid @RequestBody FinishRequest request)
            throws IOException {
        var committed = sessions.finish(user, sessionId, request.filePath(), request.parentVersionId());
        return new FinishResponse(
                committed.fileId(), committed.versionId(), committed.contentHash(), committed.timestamp());
    }

    private static SessionResponse response(UploadSessions.Session session) {
        return new SessionResponse(session.id(), session.offset(), session.expiresAt());
    }
}

package dev.syncbox.upload.dropbox;

import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.content.StoredContent;
import dev.syncbox.server.dropbox.DropboxApi;
import dev.syncbox.server.dropbox.DropboxApiException;
import dev.syncbox.server.dropbox.DropboxArgs;
import dev.syncbox.server.dropbox.DropboxErrors;
import dev.syncbox.server.metrics.Latency;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.web.CurrentUser;
import dev.syncbox.upload.file.FileUploads;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /2/files/upload}: the {@code UploadArg} in the {@code Dropbox-API-Arg} header (or {@code arg}
 * parameter), the file's bytes as the body, streamed into blocks and committed as the {@code CommitInfo} says.
 */
@DropboxApi
class DropboxUploadController {

    private final JsonMapper json;
    private final FileUploads uploads;
    private final DropboxCommits commits;

    DropboxUploadController(JsonMapper json, FileUploads uploads, DropboxCommits commits) {
        this.json = json;
        this.uploads = uploads;
        this.commits = commits;
    }

    @Latency("syncbox.upload.latency")
    @PostMapping("/2/files/upload")
    Map<String, Object> upload(CurrentUser user, HttpServletRequest request) throws IOException {
        DropboxArgs arg = DropboxArgs.header(json, request);
        Commit commit = Commit.of(arg);
        String expectedHash = Commit.contentHash(arg);
        try {
            String path = commits.path(user, commit);
            Sharing.Location location = commits.locate(user, path);
            StoredContent stored;
            try (InputStream body = request.getInputStream()) {
                stored = uploads.store(location, null, body);
            } catch (SyncboxException e) {
                throw commits.failure(user, path, e);
            }
            if (expectedHash != null && !expectedHash.equals(stored.contentHash())) {
                throw DropboxApiException.route(DropboxErrors.tag("content_hash_mismatch"));
            }
            return commits.commit(user, commit, path, stored);
        } catch (DropboxCommits.WriteFailed e) {
            throw DropboxApiException.route(pathError(e.reason(), ""));
        }
    }

    /** {@code UploadError.path}: the struct {@code UploadWriteFailed}, its fields beside the tag. */
    static Map<String, Object> pathError(Map<String, Object> reason, String sessionId) {
        Map<String, Object> failed = new LinkedHashMap<>();
        failed.put("reason", reason);
        failed.put("upload_session_id", sessionId);
        return DropboxErrors.flat("path", failed);
    }
}

package dev.syncbox.upload.file;

import dev.syncbox.conflict.engine.commit.CommitMode;
import dev.syncbox.conflict.engine.commit.VersionCommitter;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.metrics.Latency;
import dev.syncbox.server.web.CurrentUser;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /files/upload}: parts {@code file_path}, optional {@code file_size} and
 * {@code parent_version_id}, then {@code content}. Fields must precede the content so that a bad path
 * or an upload over quota is refused before a byte is stored.
 */
@RestController
class FileUploadController {

    private final FileUploads uploads;

    FileUploadController(FileUploads uploads) {
        this.uploads = uploads;
    }

    @Latency("syncbox.upload.latency")
    @PostMapping("/files/upload")
    UploadResponse upload(CurrentUser user, HttpServletRequest request) throws IOException {
        MultipartUpload multipart = MultipartUpload.of(request);
        String path = null;
        Long declaredSize = null;
        String parentVersionId = null;
        CommitMode mode = CommitMode.REJECT;
        UploadResponse response = null;
        for (MultipartUpload.Part part = multipart.next(); part != null; part = multipart.next()) {
            if (response != null) {
                throw new SyncboxException(ErrorCode.INVALID_REQUEST, "Nothing may follow the content part");
            }
            switch (part.name()) {
                case "file_path" -> {
                    path = SyncPath.normalize(MultipartUpload.text(part));
                    VersionCommitter.requireFilePath(path);
                }
                case "file_size" -> declaredSize = parseSize(MultipartUpload.text(part));
                case "parent_version_id" -> parentVersionId = blankToNull(MultipartUpload.text(part));
                case "mode" -> mode = CommitMode.parse(MultipartUpload.text(part));
                case "content" -> {
                    if (path == null) {
                        throw new SyncboxException(
                                ErrorCode.INVALID_REQUEST, "The file_path part must come before the content part");
                    }
                    response = uploads.upload(
                            user, new FileUploads.Upload(path, declaredSize, parentVersionId, mode), part.content());
                }
                default -> throw new SyncboxException(ErrorCode.INVALID_REQUEST, "Unknown part '" + part.name() + "'");
            }
        }
        if (response == null) {
            throw new SyncboxException(
                    ErrorCode.INVALID_REQUEST, path == null ? "Missing part file_path" : "Missing part content");
        }
        return response;
    }

    private static Long parseSize(String text) {
        try {
            long size = Long.parseLong(text.trim());
            if (size < 0) {
                throw new NumberFormatException();
            }
            return size;
        } catch (NumberFormatException e) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "file_size must be a non-negative integer");
        }
    }

    private static String blankToNull(String text) {
        return text.isBlank() ? null : text.trim();
    }
}

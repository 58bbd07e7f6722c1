package dev.syncbox.upload.update;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.config.SyncboxProperties;
import dev.syncbox.server.metrics.Latency;
import dev.syncbox.server.web.CurrentUser;
import dev.syncbox.upload.file.MultipartUpload;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The seed's in-place update: multipart parts {@code delta} (bytes), {@code start_offset}, optional
 * {@code checksum} (hex SHA-256 of the delta) and {@code parent_version_id}, in any order.
 */
@RestController
class UpdateController {

    record UpdateResponse(String versionId, long mergedSize, String newChecksum) {}

    private final FileUpdates updates;
    private final int maxDelta;

    UpdateController(FileUpdates updates, SyncboxProperties properties) {
        this.updates = updates;
        this.maxDelta = properties.upload().maxUpdateBytes();
    }

    @Latency("syncbox.upload.latency")
    @PutMapping("/files/{fileId}/update")
    UpdateResponse update(CurrentUser user, @PathVariable String fileId, HttpServletRequest request)
            throws IOException {
        MultipartUpload multipart = MultipartUpload.of(request);
        byte[] delta = null;
        Long startOffset = null;
        String checksum = null;
        String parentVersionId = null;
        for (MultipartUpload.Part part = multipart.next(); part != null; part = multipart.next()) {
            switch (part.name()) {
                case "delta" -> delta = read(part);
                case "start_offset" -> startOffset = parseOffset(MultipartUpload.text(part));
                case "checksum" -> checksum = MultipartUpload.text(part).trim();
                case "parent_version_id" ->
                    parentVersionId = MultipartUpload.text(part).trim();
                default -> throw new SyncboxException(ErrorCode.INVALID_REQUEST, "Unknown part '" + part.name() + "'");
            }
        }
        if (delta == null || startOffset == null) {
            throw new SyncboxException(
                    ErrorCode.INVALID_REQUEST, "Missing part " + (delta == null ? "delta" : "start_offset"));
        }
        FileUpdates.Result result = updates.update(
                user,
                fileId,
                new FileUpdates.Edit(startOffset, delta, blankToNull(checksum), blankToNull(parentVersionId)));
        return new UpdateResponse(result.versionId(), result.size(), result.contentHash());
    }

    private byte[] read(MultipartUpload.Part part) throws IOException {
        try (InputStream in = part.content()) {
            byte[] data = in.readNBytes(maxDelta + 1);
            if (data.length > maxDelta) {
                throw new SyncboxException(
                        ErrorCode.PAYLOAD_TOO_LARGE,
                        "An update carries at most " + maxDelta + " bytes; upload the file or use an upload session");
            }
            return data;
        }
    }

    private static long parseOffset(String text) {
        try {
            long offset = Long.parseLong(text.trim());
            if (offset < 0) {
                throw new NumberFormatException();
            }
            return offset;
        } catch (NumberFormatException e) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "start_offset must be a non-negative integer");
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}

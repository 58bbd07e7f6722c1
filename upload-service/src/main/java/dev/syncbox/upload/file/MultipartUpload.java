package dev.syncbox.upload.file;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletFileUpload;

/** Walks the parts of a multipart request in order, without buffering them. */
public final class MultipartUpload {

    private static final int MAX_FIELD_BYTES = 8 * 1024;

    private final FileItemInputIterator parts;

    private MultipartUpload(FileItemInputIterator parts) {
        this.parts = parts;
    }

    public static MultipartUpload of(HttpServletRequest request) throws IOException {
        // Not JakartaServletFileUpload.isMultipartContent: it accepts POST only, and updates are PUT.
        String contentType = request.getContentType();
        if (contentType == null
                || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/")) {
            throw new SyncboxException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the upload as multipart/form-data");
        }
        JakartaServletFileUpload<DiskFileItem, DiskFileItemFactory> upload = new JakartaServletFileUpload<>();
        upload.setHeaderCharset(StandardCharsets.UTF_8);
        try {
            return new MultipartUpload(upload.getItemIterator(request));
        } catch (FileUploadException e) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "Malformed multipart body: " + e.getMessage());
        }
    }

    public FileItemInput next() throws IOException {
        try {
            return parts.hasNext() ? parts.next() : null;
        } catch (FileUploadException e) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "Malformed multipart body: " + e.getMessage());
        }
    }

    /** A small text part such as {@code file_path}; refuses to buffer anything large. */
    public static String text(FileItemInput part) throws IOException {
        try (InputStream in = part.getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_FIELD_BYTES + 1);
            if (bytes.length > MAX_FIELD_BYTES) {
                throw new SyncboxException(
                        ErrorCode.INVALID_REQUEST, "Part " + part.getFieldName() + " is too large for a field");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}

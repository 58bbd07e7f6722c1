package dev.syncbox.upload.file;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Walks the parts of a multipart request in order, without buffering them (see {@link MultipartStream}). */
public final class MultipartUpload {

    private static final int MAX_FIELD_BYTES = 8 * 1024;
    private static final int MAX_BOUNDARY = 70;

    /** A part: its form field name, and its content as a stream that ends where the part does. */
    public record Part(String name, InputStream content) {}

    private final MultipartStream parts;

    private MultipartUpload(MultipartStream parts) {
        this.parts = parts;
    }

    public static MultipartUpload of(HttpServletRequest request) throws IOException {
        // Any method: updates are PUT.
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            throw new SyncboxException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the upload as multipart/form-data");
        }
        String boundary = MultipartStream.parameter(contentType, "boundary");
        if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
            throw new SyncboxException(
                    ErrorCode.INVALID_REQUEST, "Malformed multipart body: no valid boundary in the Content-Type");
        }
        return new MultipartUpload(
                new MultipartStream(request.getInputStream(), boundary, MultipartStream.BUFFER_SIZE));
    }

    /** The next part, or null after the last; the rest of the previous part is skipped. */
    public Part next() throws IOException {
        return parts.next();
    }

    /** A small text part such as {@code file_path}; refuses to buffer anything large. */
    public static String text(Part part) throws IOException {
        byte[] bytes = part.content().readNBytes(MAX_FIELD_BYTES + 1);
        if (bytes.length > MAX_FIELD_BYTES) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "Part " + part.name() + " is too large for a field");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

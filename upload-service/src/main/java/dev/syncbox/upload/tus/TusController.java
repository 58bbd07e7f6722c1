package dev.syncbox.upload.tus;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.metrics.Latency;
import dev.syncbox.server.web.CurrentUser;
import dev.syncbox.upload.session.UploadSessions;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * tus 1.0.0 (docs/uploads.md#resumable-uploads-tus): {@code OPTIONS /files/tus} tells the protocol's version,
 * extensions and largest upload; {@code POST /files/tus} creates an upload (its first bytes may come along); {@code
 * HEAD /files/tus/{id}} tells its offset; {@code PATCH} appends at exactly that offset, the last byte committing the
 * file; {@code DELETE} terminates it. Every request but OPTIONS names {@code Tus-Resumable: 1.0.0}.
 */
@RestController
class TusController {

    static final String VERSION = "1.0.0";
    static final String EXTENSIONS = "creation,creation-with-upload,termination";
    static final String OFFSET_STREAM = "application/offset+octet-stream";
    static final String FILE_ID = "Syncbox-File-Id";
    static final String VERSION_ID = "Syncbox-Version-Id";

    /** An HTTP-date, as {@code Upload-Expires} is sent. */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    private final TusUploads uploads;

    TusController(TusUploads uploads) {
        this.uploads = uploads;
    }

    @RequestMapping(path = "/files/tus", method = RequestMethod.OPTIONS)
    ResponseEntity<Void> options(CurrentUser user) {
        return ResponseEntity.noContent()
                .header("Tus-Version", VERSION)
                .header("Tus-Extension", EXTENSIONS)
                .header("Tus-Max-Size", Long.toString(uploads.maxSize(user)))
                .build();
    }

    @Latency("syncbox.upload.latency")
    @PostMapping("/files/tus")
    ResponseEntity<Void> create(CurrentUser user, HttpServletRequest request) throws IOException {
        requireResumable(request);
        if (request.getHeader("Upload-Defer-Length") != null) {
            throw new SyncboxException(
                    ErrorCode.INVALID_REQUEST, "Upload-Length is required: a deferred length is not supported");
        }
        Long length = number(request, "Upload-Length");
        if (length == null) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "Upload-Length is required");
        }
        String rawMetadata = request.getHeader("Upload-Metadata");
        UploadMetadata metadata = UploadMetadata.parse(rawMetadata);
        boolean withBody = request.getContentType() != null && isOffsetStream(request.getContentType());
        if (!withBody && hasBody(request)) {
            throw unsupportedType(request);
        }
        if (withBody) {
            requireWithin(request, 0, length);
        }
        UploadSessions.Session session;
        try (InputStream body = withBody ? request.getInputStream() : null) {
            session = uploads.create(user, length, rawMetadata, metadata, body);
        }
        HttpHeaders headers = state(session);
        headers.set(HttpHeaders.LOCATION, "/files/tus/" + session.id());
        return ResponseEntity.status(HttpStatus.CREATED).headers(headers).build();
    }

    @RequestMapping(path = "/files/tus/{uploadId}", method = RequestMethod.HEAD)
    ResponseEntity<Void> head(CurrentUser user, @PathVariable String uploadId, HttpServletRequest request) {
        requireResumable(request);
        UploadSessions.Session session = uploads.find(user, uploadId);
        HttpHeaders headers = state(session);
        headers.set("Upload-Length", Long.toString(session.destination().length()));
        if (session.destination().metadata() != null) {
            headers.set("Upload-Metadata", session.destination().metadata());
        }
        headers.setCacheControl("no-store");
        return ResponseEntity.ok().headers(headers).build();
    }

    @Latency("syncbox.upload.latency")
    @PatchMapping("/files/tus/{uploadId}")
    ResponseEntity<Void> patch(CurrentUser user, @PathVariable String uploadId, HttpServletRequest request)
            throws IOException {
        requireResumable(request);
        if (request.getContentType() == null || !isOffsetStream(request.getContentType())) {
            throw unsupportedType(request);
        }
        Long offset = number(request, "Upload-Offset");
        if (offset == null) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "Upload-Offset is required");
        }
        UploadSessions.Session session = uploads.find(user, uploadId);
        if (offset != session.offset()) {
            // Refused before the body is read; the append checks again against a concurrent one.
            throw incorrectOffset(session.offset());
        }
        requireWithin(request, offset, session.destination().length());
        try (InputStream body = request.getInputStream()) {
            session = uploads.append(user, uploadId, offset, body);
        }
        return ResponseEntity.noContent().headers(state(session)).build();
    }

    @DeleteMapping("/files/tus/{uploadId}")
    ResponseEntity<Void> terminate(CurrentUser user, @PathVariable String uploadId, HttpServletRequest request) {
        requireResumable(request);
        uploads.terminate(user, uploadId);
        return ResponseEntity.noContent().build();
    }

    /** What every answer about an upload says: its offset, when it expires, and once committed what it made. */
    private static HttpHeaders state(UploadSessions.Session session) {
        HttpHeaders headers = new HttpHeaders();
        headers.set("Upload-Offset", Long.toString(session.offset()));
        headers.set("Upload-Expires", HTTP_DATE.format(session.expiresAt()));
        if (session.committed()) {
            headers.set(FILE_ID, session.committedFileId());
            headers.set(VERSION_ID, session.committedVersionId());
        }
        return headers;
    }

    /** {@code 412 precondition_failed} (with {@code Tus-Version}) unless the request speaks tus 1.0.0. */
    private static void requireResumable(HttpServletRequest request) {
        String resumable = request.getHeader("Tus-Resumable");
        if (!VERSION.equals(resumable == null ? null : resumable.strip())) {
            throw new SyncboxException(
                    ErrorCode.PRECONDITION_FAILED,
                    resumable == null
                            ? "Tus-Resumable: " + VERSION + " is required"
                            : "tus " + resumable + " is not supported; this server speaks " + VERSION);
        }
    }

    /** A header holding a non-negative integer, or null when absent; {@code invalid_request} for anything else. */
    static Long number(HttpServletRequest request, String name) {
        String value = request.getHeader(name);
        if (value == null) {
            return null;
        }
        try {
            long number = Long.parseLong(value.strip());
            if (number < 0 || !value.strip().chars().allMatch(Character::isDigit)) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, name + " must be a non-negative integer");
        }
    }

    /** {@code payload_too_large} when the body's declared length would take the upload past its end. */
    private static void requireWithin(HttpServletRequest request, long offset, long length) {
        long declared = request.getContentLengthLong();
        if (declared > length - offset) {
            throw new SyncboxException(
                    ErrorCode.PAYLOAD_TOO_LARGE,
                    "The upload is " + length + " bytes long; " + declared + " bytes at offset " + offset
                            + " go past its end");
        }
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    static boolean isOffsetStream(String contentType) {
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return type.equalsIgnoreCase(OFFSET_STREAM);
    }

    private static SyncboxException unsupportedType(HttpServletRequest request) {
        return new SyncboxException(
                ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                "The bytes of an upload come as " + OFFSET_STREAM + ", not "
                        + (request.getContentType() == null ? "without a type" : request.getContentType()));
    }

    private static SyncboxException incorrectOffset(long expected) {
        return new SyncboxException(
                ErrorCode.INCORRECT_OFFSET,
                "The upload is at offset " + expected + "; resume from there",
                java.util.Map.of("expected_offset", expected));
    }
}

package dev.syncbox.upload.tus;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A tus {@code Upload-Metadata} header read: comma-separated pairs of a key and its base64 value (a key may come
 * alone, with no value), keys unique. What syncbox reads of it: {@code path} (required, the file's full path), {@code
 * mode} ({@code overwrite}, the default, or {@code add}) and {@code client_modified} (an ISO-8601 instant); other keys
 * (a client's file name or type, say) are kept as sent and otherwise ignored.
 */
record UploadMetadata(String path, boolean overwrite, Instant clientModified, Map<String, String> values) {

    /** A key: printable ASCII without spaces or commas. */
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x2b\\x2d-\\x7e]+");

    static UploadMetadata parse(String header) {
        Map<String, String> values = pairs(header);
        String raw = values.get("path");
        if (raw == null || raw.isEmpty()) {
            throw invalid("Upload-Metadata must name the file's path: path <base64 of /folder/name>");
        }
        String path = SyncPath.normalize(raw);
        if (SyncPath.isRoot(path)) {
            throw new SyncboxException(ErrorCode.INVALID_PATH, "The root folder cannot be a file");
        }
        String mode = values.getOrDefault("mode", "overwrite");
        if (!mode.equals("overwrite") && !mode.equals("add")) {
            throw invalid("Upload-Metadata mode must be overwrite or add, not '" + mode + "'");
        }
        Instant clientModified = null;
        String time = values.get("client_modified");
        if (time != null) {
            try {
                clientModified = Instant.parse(time);
            } catch (DateTimeParseException e) {
                throw invalid("Upload-Metadata client_modified must be an ISO-8601 instant like 2026-01-02T03:04:05Z");
            }
        }
        return new UploadMetadata(path, mode.equals("overwrite"), clientModified, values);
    }

    /** The header's pairs in order, values decoded (a key without one maps to the empty string). */
    static Map<String, String> pairs(String header) {
        if (header == null || header.isBlank()) {
            throw invalid("Upload-Metadata is required: at least path <base64 of the file's path>");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : header.split(",", -1)) {
            String trimmed = pair.strip();
            if (trimmed.isEmpty()) {
                throw invalid("Upload-Metadata has an empty pair");
            }
            String[] parts = trimmed.split(" ", -1);
            if (parts.length > 2 || !KEY.matcher(parts[0]).matches()) {
                throw invalid(
                        "Upload-Metadata pairs are a key and a base64 value separated by one space: '" + trimmed + "'");
            }
            String value = parts.length == 2 ? decode(parts[0], parts[1]) : "";
            if (values.putIfAbsent(parts[0], value) != null) {
                throw invalid("Upload-Metadata names " + parts[0] + " twice");
            }
        }
        return Collections.unmodifiableMap(values);
    }

    private static String decode(String key, String base64) {
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw invalid("Upload-Metadata " + key + " is not base64 of UTF-8 text");
        }
    }

    private static SyncboxException invalid(String detail) {
        return new SyncboxException(ErrorCode.INVALID_REQUEST, detail);
    }
}

package dev.syncbox.server.dropbox;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answered as Dropbox answers it: a route error (409, {@code {"error_summary", "error"}}), bad input (400,
 * plain text), an auth error (401), a rate limit (429 with {@code Retry-After}) or a retryable failure (503).
 */
public final class DropboxApiException extends RuntimeException {

    private final int status;
    private final Map<String, Object> error;
    private final Long retryAfter;

    private DropboxApiException(int status, String message, Map<String, Object> error, Long retryAfter) {
        super(message);
        this.status = status;
        this.error = error;
        this.retryAfter = retryAfter;
    }

    /** 409: the route's error union, e.g. {@code {".tag": "path", "path": {".tag": "not_found"}}}. */
    public static DropboxApiException route(Map<String, Object> error) {
        return new DropboxApiException(409, DropboxErrors.summary(error), error, null);
    }

    /** 400: input the route cannot take; Dropbox answers these in plain text. */
    public static DropboxApiException badInput(String message) {
        return new DropboxApiException(400, message, null, null);
    }

    /** 401 {@code invalid_access_token}, or another AuthError tag. */
    public static DropboxApiException auth(String tag) {
        return new DropboxApiException(401, tag, DropboxErrors.tag(tag), null);
    }

    /** 429 {@code too_many_requests} with the seconds to wait. */
    public static DropboxApiException rateLimited(long seconds) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("reason", DropboxErrors.tag("too_many_requests"));
        error.put("retry_after", seconds);
        return new DropboxApiException(429, "too_many_requests", error, seconds);
    }

    /** 503: try again (the SDKs retry these); {@code retryAfter} may be null. */
    public static DropboxApiException unavailable(String message, Long retryAfter) {
        return new DropboxApiException(503, message, null, retryAfter);
    }

    /** 500. */
    public static DropboxApiException internal(String message) {
        return new DropboxApiException(500, message, null, null);
    }

    public int status() {
        return status;
    }

    /** The {@code error} member; null for the plain-text answers (400, 500, 503). */
    public Map<String, Object> error() {
        return error;
    }

    public Long retryAfter() {
        return retryAfter;
    }
}

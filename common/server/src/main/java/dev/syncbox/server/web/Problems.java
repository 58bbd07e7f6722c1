package dev.syncbox.server.web;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** Builds problem details from {@link ErrorCode}s. */
public final class Problems {

    /** The problem member, in seconds, that {@link #response} also sends as the {@code Retry-After} header. */
    public static final String RETRY_AFTER = "retry_after";

    private Problems() {}

    public static ProblemDetail of(SyncboxException e) {
        ProblemDetail problem =
                ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(e.code().status()), e.detail());
        problem.setTitle(e.code().title());
        problem.setType(URI.create("https://syncbox.dev/problems/" + e.code().code()));
        problem.setProperty("code", e.code().code());
        e.properties().forEach(problem::setProperty);
        return problem;
    }

    /** The problem as a response; one carrying {@code retry_after} (seconds) also gets {@code Retry-After}. */
    public static ResponseEntity<ProblemDetail> response(SyncboxException e) {
        ResponseEntity.BodyBuilder response =
                ResponseEntity.status(e.code().status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (e.properties().get(RETRY_AFTER) instanceof Number seconds) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds.longValue()));
        }
        return response.body(of(e));
    }

    static ErrorCode codeForStatus(int status) {
        return switch (status) {
            case 400 -> ErrorCode.INVALID_REQUEST;
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 416 -> ErrorCode.RANGE_NOT_SATISFIABLE;
            case 429 -> ErrorCode.TOO_MANY_ATTEMPTS;
            case 503 -> ErrorCode.STORAGE_UNAVAILABLE;
            default -> status < 500 ? ErrorCode.INVALID_REQUEST : ErrorCode.INTERNAL;
        };
    }
}

package dev.syncbox.server.dropbox;

import dev.syncbox.core.error.SyncboxException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.web.HttpMediaTypeException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import tools.jackson.databind.json.JsonMapper;

/** Errors of {@link DropboxApi} controllers, answered as Dropbox answers them instead of as problem details. */
@RestControllerAdvice(annotations = DropboxApi.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class DropboxAdvice {

    private static final Logger log = LoggerFactory.getLogger(DropboxAdvice.class);

    private final JsonMapper json;

    DropboxAdvice(JsonMapper json) {
        this.json = json;
    }

    @ExceptionHandler(DropboxApiException.class)
    void dropbox(DropboxApiException e, HttpServletResponse response) throws IOException {
        write(json, e, response);
    }

    @ExceptionHandler(SyncboxException.class)
    void syncbox(SyncboxException e, HttpServletResponse response) throws IOException {
        if (e.code().status() >= 500) {
            log.warn("{}: {}", e.code().code(), e.detail(), e.getCause());
        }
        write(json, DropboxErrors.of(e), response);
    }

    @ExceptionHandler({ServletRequestBindingException.class, HttpMediaTypeException.class})
    void binding(Exception e, HttpServletResponse response) throws IOException {
        write(json, DropboxApiException.badInput(e.getMessage()), response);
    }

    @ExceptionHandler(Exception.class)
    void unexpected(Exception e, HttpServletResponse response) throws IOException {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.EOFException) {
                log.debug("request body ended early: {}", e.toString());
                write(json, DropboxApiException.badInput("The request body ended before it was complete"), response);
                return;
            }
        }
        log.error("unexpected error", e);
        write(json, DropboxApiException.internal("Internal error"), response);
    }

    /**
     * Writes {@code e} as Dropbox does: a JSON {@code {"error_summary", "error"}} for route, auth and rate-limit
     * errors, plain text for the rest; {@code Retry-After} where there is a wait.
     */
    static void write(JsonMapper json, DropboxApiException e, HttpServletResponse response) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.reset();
        response.setStatus(e.status());
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        if (e.status() == 401) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        if (e.retryAfter() != null) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfter()));
        }
        if (e.error() != null) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error_summary", DropboxErrors.summary(e.error()));
            body.put("error", e.error());
            response.setContentType("application/json");
            response.getOutputStream().write(json.writeValueAsBytes(body));
        } else {
            response.setContentType("text/plain; charset=utf-8");
            response.getOutputStream().write(String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
        }
    }
}

package dev.syncbox.server.web;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** One error vocabulary: every 4xx/5xx leaves as an RFC 9457 problem with a stable {@code code}. */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    @ExceptionHandler(SyncboxException.class)
    ResponseEntity<ProblemDetail> handleSyncbox(SyncboxException e, HttpServletResponse response) {
        discardPrepared(response);
        if (e.code().status() >= 500) {
            log.warn("{}: {}", e.code().code(), e.detail(), e.getCause());
        }
        return Problems.response(e);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> handleUnexpected(Exception e, HttpServletResponse response) {
        discardPrepared(response);
        if (endedEarly(e)) {
            // The client went away mid-body (a dropped upload); nothing was committed.
            log.debug("request body ended early: {}", e.toString());
            return Problems.response(
                    new SyncboxException(ErrorCode.INVALID_REQUEST, "The request body ended before it was complete"));
        }
        log.error("unexpected error", e);
        return Problems.response(new SyncboxException(ErrorCode.INTERNAL, "Internal error"));
    }

    /**
     * Drops what a handler had set for the answer it meant to give (a download's length, ETag and version headers)
     * when it failed before sending a byte: the problem goes out with its own headers only. Once bytes are on the wire
     * nothing can be taken back; the answer is then cut short, which the client sees as a broken transfer.
     */
    private static void discardPrepared(HttpServletResponse response) {
        if (response != null && !response.isCommitted()) {
            response.reset();
        }
    }

    private static boolean endedEarly(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.EOFException) {
                return true;
            }
        }
        return false;
    }

    /**
     * A request body that failed its constraints: which members, in the wire's snake_case, and why ({@code "entries:
     * size must be between 1 and 1000"}), instead of the framework's generic "Invalid request content".
     */
    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<String> reasons = new ArrayList<>();
        for (FieldError field : e.getBindingResult().getFieldErrors()) {
            reasons.add(snakeCase(field.getField()) + ": " + field.getDefaultMessage());
        }
        e.getBindingResult().getGlobalErrors().forEach(error -> reasons.add(error.getDefaultMessage()));
        Collections.sort(reasons);
        String detail = reasons.isEmpty() ? "The request body is not valid" : String.join("; ", reasons);
        return new ResponseEntity<>(
                Problems.of(new SyncboxException(ErrorCode.INVALID_REQUEST, detail)), headers, HttpStatus.BAD_REQUEST);
    }

    /** {@code entries[0].fileId} → {@code entries[0].file_id}, as the JSON names it. */
    static String snakeCase(String field) {
        return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(
            Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem
                && (problem.getProperties() == null || !problem.getProperties().containsKey("code"))) {
            problem.setProperty(
                    "code", Problems.codeForStatus(statusCode.value()).code());
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }
}

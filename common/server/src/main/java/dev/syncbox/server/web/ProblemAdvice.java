package dev.syncbox.server.web;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** One error vocabulary: every 4xx/5xx leaves as an RFC 9457 problem with a stable {@code code}. */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    @ExceptionHandler(SyncboxException.class)
    ResponseEntity<ProblemDetail> handleSyncbox(SyncboxException e) {
        if (e.code().status() >= 500) {
            log.warn("{}: {}", e.code().code(), e.detail(), e.getCause());
        }
        return Problems.response(e);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> handleUnexpected(Exception e) {
        if (endedEarly(e)) {
            // The client went away mid-body (a dropped upload); nothing was committed.
            log.debug("request body ended early: {}", e.toString());
            return Problems.response(
                    new SyncboxException(ErrorCode.INVALID_REQUEST, "The request body ended before it was complete"));
        }
        log.error("unexpected error", e);
        return Problems.response(new SyncboxException(ErrorCode.INTERNAL, "Internal error"));
    }

    private static boolean endedEarly(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.EOFException) {
                return true;
            }
        }
        return false;
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

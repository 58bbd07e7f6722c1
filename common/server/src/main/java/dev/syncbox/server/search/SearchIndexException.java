package dev.syncbox.server.search;

/** Elasticsearch could not do what was asked: down, timed out, or refused it. */
public class SearchIndexException extends RuntimeException {

    public SearchIndexException(String message, Throwable cause) {
        super(message, cause);
    }

    public SearchIndexException(String message) {
        super(message);
    }
}

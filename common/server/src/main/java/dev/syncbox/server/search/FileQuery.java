package dev.syncbox.server.search;

import java.time.Instant;
import java.util.List;

/**
 * A search, access already decided: only entries inside one of {@code access} match.
 *
 * @param text what the user typed
 * @param phrase true when {@code text} is to be found in content as one phrase
 * @param within a folder the matches must be under, or {@code null}
 * @param type an extension or a category, lower-cased, or {@code null}
 * @param after where the previous page ended, or {@code null}
 */
public record FileQuery(
        String text,
        boolean phrase,
        List<Scope> access,
        Scope within,
        String type,
        Instant modifiedAfter,
        int limit,
        After after) {

    /**
     * Entries of one namespace: all of them, or one entry and everything under it when {@code fileId} or
     * {@code folderKey} is given.
     */
    public record Scope(long namespaceId, String fileId, String folderKey) {

        public static Scope namespace(long namespaceId) {
            return new Scope(namespaceId, null, null);
        }
    }

    /** A match's place in the order: score, then newest first, then id. */
    public record After(double score, long modifiedAt, String fileId) {}

    /** One match: what the index knows of it; the caller checks access and paths against the database. */
    public record Hit(String fileId, long namespaceId, String highlight, After position) {}

    /** A page of matches, and whether the index holds more after it. */
    public record Hits(List<Hit> hits, boolean more) {}
}

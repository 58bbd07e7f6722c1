package dev.syncbox.sync.search;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.core.search.IndexTerms;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.search.FileIndex;
import dev.syncbox.server.search.FileQuery;
import dev.syncbox.server.search.SearchIndexException;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.web.CurrentUser;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/**
 * Search (docs/search.md): the index finds candidates among what the caller could read by the index's account of
 * shares and paths; the database then decides, in two queries, what the caller can read now and at which path, so a
 * revoked share or a move the index has not caught up with never shows anything it should not.
 */
@Service
public class FileSearch {

    static final int MAX_QUERY = 200;
    static final int MAX_LIMIT = 100;
    static final int DEFAULT_LIMIT = 20;
    private static final Pattern TYPE = Pattern.compile("[a-z0-9]{1,16}");
    private static final String CURSOR_PREFIX = "s1.";

    private final Sharing sharing;
    private final FileIndex index;
    private final Timer ok;
    private final Timer unavailable;

    FileSearch(Sharing sharing, FileIndex index, MeterRegistry registry) {
        this.sharing = sharing;
        this.index = index;
        this.ok = Timer.builder("syncbox.search.latency")
                .tag("outcome", "ok")
                .description("GET /files/search, from the request to the answer")
                .publishPercentileHistogram()
                .register(registry);
        // One shape for every series of a name: Prometheus refuses a scrape mixing histograms and plain timers.
        this.unavailable = Timer.builder("syncbox.search.latency")
                .tag("outcome", "unavailable")
                .description("GET /files/search, from the request to the answer")
                .publishPercentileHistogram()
                .register(registry);
    }

    /** The query parameters as sent. */
    public record Request(String q, String path, String type, String modifiedAfter, String limit, String cursor) {}

    public record Match(String fileId, String path, String name, long size, Instant modifiedAt, String highlight) {}

    public record Page(List<Match> matches, String nextCursor, boolean hasMore) {}

    public Page search(CurrentUser user, Request request) {
        FileQuery query = query(user, request);
        long start = System.nanoTime();
        FileQuery.Hits hits;
        try {
            hits = index.search(query);
        } catch (SearchIndexException e) {
            unavailable.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            throw new SyncboxException(ErrorCode.SEARCH_UNAVAILABLE, "Search is unavailable; try again shortly", e);
        }
        Map<String, Sharing.Visible> visible = hits.hits().isEmpty()
                ? Map.of()
                : sharing.findAll(
                        user.userId(),
                        hits.hits().stream().map(FileQuery.Hit::fileId).toList());
        String within = request.path() == null ? null : SyncPath.normalize(request.path());
        List<Match> matches = new ArrayList<>();
        for (FileQuery.Hit hit : hits.hits()) {
            Sharing.Visible entry = visible.get(hit.fileId());
            if (entry == null || entry.file().isDeleted()) {
                continue;
            }
            String path = entry.path();
            if (within != null && !within.equals("/") && !PathKeys.of(path).startsWith(PathKeys.of(within) + "/")) {
                continue;
            }
            matches.add(new Match(
                    hit.fileId(),
                    path,
                    IndexTerms.name(path),
                    entry.file().isDir() ? 0 : entry.file().sizeBytes(),
                    entry.file().modifiedAt(),
                    hit.highlight()));
        }
        ok.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        String next =
                hits.more() ? cursor(hits.hits().get(hits.hits().size() - 1).position()) : null;
        return new Page(matches, next, hits.more());
    }

    private FileQuery query(CurrentUser user, Request request) {
        String text = request.q() == null ? "" : request.q().strip();
        if (text.isEmpty()) {
            throw invalid("q is required: the words to find");
        }
        if (text.length() > MAX_QUERY) {
            throw invalid("q is longer than " + MAX_QUERY + " characters");
        }
        boolean phrase = text.length() > 2 && text.startsWith("\"") && text.endsWith("\"");
        if (phrase) {
            text = text.substring(1, text.length() - 1).strip();
        }
        if (text.replace("\"", "").isBlank()) {
            throw invalid("q holds no words to find");
        }
        int limit = limit(request.limit());
        String type = null;
        if (request.type() != null) {
            type = request.type().strip().toLowerCase(java.util.Locale.ROOT);
            if (!TYPE.matcher(type).matches()) {
                throw invalid(
                        "type is an extension or a category such as pdf, document or folder: '" + request.type() + "'");
            }
        }
        Instant modifiedAfter = request.modifiedAfter() == null ? null : instant(request.modifiedAfter());
        FileQuery.After after = request.cursor() == null ? null : after(request.cursor());

        List<FileQuery.Scope> access = new ArrayList<>();
        access.add(FileQuery.Scope.namespace(sharing.rootNamespace(user.userId())));
        for (Sharing.Mounted mount : sharing.mounts(user.userId())) {
            access.add(new FileQuery.Scope(
                    mount.grant().ownerNamespaceId(),
                    mount.root().getId(),
                    mount.root().isDir() ? PathKeys.of(mount.root().path()) : null));
        }
        FileQuery.Scope within = null;
        if (request.path() != null) {
            String path = SyncPath.normalize(request.path());
            if (!path.equals("/")) {
                Sharing.Location location = sharing.locate(user.userId(), path);
                within = new FileQuery.Scope(location.namespaceId(), null, PathKeys.of(location.path()));
            }
        }
        return new FileQuery(text, phrase, access, within, type, modifiedAfter, limit, after);
    }

    private static int limit(String raw) {
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(raw.strip());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw invalid("limit must be a whole number from 1 to " + MAX_LIMIT + ": '" + raw + "'");
    }

    private static Instant instant(String raw) {
        try {
            return OffsetDateTime.parse(raw.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid("modified_after must be an ISO-8601 time with its offset, such as 2026-12-01T00:00:00Z: '"
                    + raw + "'");
        }
    }

    /** The page's last match as an opaque cursor: where the next page starts in the same order. */
    static String cursor(FileQuery.After after) {
        String plain = after.score() + ":" + after.modifiedAt() + ":" + after.fileId();
        return CURSOR_PREFIX
                + Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    static FileQuery.After after(String cursor) {
        try {
            if (cursor.startsWith(CURSOR_PREFIX)) {
                String plain = new String(
                        Base64.getUrlDecoder().decode(cursor.substring(CURSOR_PREFIX.length())),
                        StandardCharsets.UTF_8);
                String[] parts = plain.split(":", 3);
                if (parts.length == 3 && parts[2].matches("[0-9A-Z]{26}")) {
                    double score = Double.parseDouble(parts[0]);
                    if (Double.isFinite(score)) {
                        return new FileQuery.After(score, Long.parseLong(parts[1]), parts[2]);
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            // answered below (NumberFormatException is one)
        }
        throw new SyncboxException(ErrorCode.INVALID_CURSOR, "Not a search cursor: send the next_cursor of a page");
    }

    private static SyncboxException invalid(String detail) {
        return new SyncboxException(ErrorCode.INVALID_REQUEST, detail);
    }
}

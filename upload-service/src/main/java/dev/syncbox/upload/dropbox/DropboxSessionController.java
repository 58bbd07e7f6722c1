package dev.syncbox.upload.dropbox;

import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.server.dropbox.DropboxApi;
import dev.syncbox.server.dropbox.DropboxApiException;
import dev.syncbox.server.dropbox.DropboxArgs;
import dev.syncbox.server.dropbox.DropboxErrors;
import dev.syncbox.server.metrics.Latency;
import dev.syncbox.server.web.CurrentUser;
import dev.syncbox.upload.session.UploadSessions;
import jakarta.servlet.http.HttpServletRequest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /2/files/upload_session/*} over syncbox's upload sessions: {@code start} (with a first part), {@code
 * append_v2} and {@code append} at the session's offset exactly (else {@code incorrect_offset} with {@code
 * correct_offset}), {@code finish} (with a last part) and the batch finishes, all committed as a {@code CommitInfo}
 * says. Sessions are sequential; {@code close} is accepted but not kept (a session takes appends until it finishes).
 */
@DropboxApi
class DropboxSessionController {

    /** Dropbox's limit on the entries of a batch finish, and on sessions started at once. */
    private static final int MAX_BATCH = 1000;

    private record Cursor(String sessionId, long offset) {

        static Cursor of(DropboxArgs cursor) {
            String sessionId = cursor.string("session_id");
            if (!cursor.has("offset")) {
                throw DropboxApiException.badInput("Error in the cursor: missing required field 'offset'");
            }
            return new Cursor(sessionId, cursor.number("offset", 0, 0, Long.MAX_VALUE));
        }
    }

    private final JsonMapper json;
    private final UploadSessions sessions;
    private final DropboxCommits commits;

    DropboxSessionController(JsonMapper json, UploadSessions sessions, DropboxCommits commits) {
        this.json = json;
        this.sessions = sessions;
        this.commits = commits;
    }

    @Latency("syncbox.upload.latency")
    @PostMapping("/2/files/upload_session/start")
    Map<String, Object> start(CurrentUser user, HttpServletRequest request) throws IOException {
        DropboxArgs arg = DropboxArgs.header(json, request);
        arg.bool("close", false);
        sequential(arg);
        String hash = Commit.contentHash(arg);
        String sessionId = sessions.start(user).id();
        try {
            append(user, new Cursor(sessionId, 0), request, hash);
        } catch (SyncboxException e) {
            throw general(e, DropboxErrors.tag("other"));
        }
        return Map.of("session_id", sessionId);
    }

    @PostMapping(path = "/2/files/upload_session/start_batch")
    Map<String, Object> startBatch(CurrentUser user, @RequestBody(required = false) byte[] body) {
        DropboxArgs arg = DropboxArgs.body(json, body);
        sequential(arg);
        if (!arg.has("num_sessions")) {
            throw DropboxApiException.badInput("Error in the body: missing required field 'num_sessions'");
        }
        long count = arg.number("num_sessions", 1, 1, MAX_BATCH);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(sessions.start(user).id());
        }
        return Map.of("session_ids", ids);
    }

    @Latency("syncbox.upload.latency")
    @PostMapping("/2/files/upload_session/append_v2")
    ResponseEntity<String> appendV2(CurrentUser user, HttpServletRequest request) throws IOException {
        DropboxArgs arg = DropboxArgs.header(json, request);
        Cursor cursor = Cursor.of(required(arg, "cursor"));
        arg.bool("close", false);
        String hash = Commit.contentHash(arg);
        try {
            append(user, cursor, request, hash);
        } catch (SyncboxException e) {
            throw DropboxApiException.route(lookupError(e));
        }
        return nothing();
    }

    @Latency("syncbox.upload.latency")
    @PostMapping("/2/files/upload_session/append")
    ResponseEntity<String> append(CurrentUser user, HttpServletRequest request) throws IOException {
        Cursor cursor = Cursor.of(DropboxArgs.header(json, request));
        try {
            append(user, cursor, request, null);
        } catch (SyncboxException e) {
            throw DropboxApiException.route(lookupError(e));
        }
        return nothing();
    }

    @Latency("syncbox.upload.latency")
    @PostMapping("/2/files/upload_session/finish")
    Map<String, Object> finish(CurrentUser user, HttpServletRequest request) throws IOException {
        DropboxArgs arg = DropboxArgs.header(json, request);
        Cursor cursor = Cursor.of(required(arg, "cursor"));
        Commit commit = Commit.of(required(arg, "commit"));
        String hash = Commit.contentHash(arg);
        try {
            append(user, cursor, request, hash);
        } catch (SyncboxException e) {
            throw DropboxApiException.route(DropboxErrors.nested("lookup_failed", lookupError(e)));
        }
        try {
            return commit(user, cursor.sessionId(), commit);
        } catch (FinishFailed e) {
            throw DropboxApiException.route(e.error);
        }
    }

    @PostMapping("/2/files/upload_session/finish_batch_v2")
    Map<String, Object> finishBatchV2(CurrentUser user, @RequestBody(required = false) byte[] body) {
        return Map.of("entries", finishAll(user, DropboxArgs.body(json, body)));
    }

    /** The v1 batch: finished before it answers, so its launch is always {@code complete}. */
    @PostMapping("/2/files/upload_session/finish_batch")
    Map<String, Object> finishBatch(CurrentUser user, @RequestBody(required = false) byte[] body) {
        Map<String, Object> launch = DropboxErrors.tag("complete");
        launch.put("entries", finishAll(user, DropboxArgs.body(json, body)));
        return launch;
    }

    /** No batch runs in the background, so there is never a job to check. */
    @PostMapping("/2/files/upload_session/finish_batch/check")
    Map<String, Object> finishBatchCheck(CurrentUser user, @RequestBody(required = false) byte[] body) {
        DropboxArgs.body(json, body).string("async_job_id");
        throw DropboxApiException.route(DropboxErrors.tag("invalid_async_job_id"));
    }

    private List<Map<String, Object>> finishAll(CurrentUser user, DropboxArgs arg) {
        List<DropboxArgs> entries = arg.objects("entries");
        if (entries.size() > MAX_BATCH) {
            throw DropboxApiException.badInput("At most " + MAX_BATCH + " entries");
        }
        List<Cursor> cursors = new ArrayList<>();
        List<Commit> commitInfos = new ArrayList<>();
        for (DropboxArgs entry : entries) {
            cursors.add(Cursor.of(required(entry, "cursor")));
            commitInfos.add(Commit.of(required(entry, "commit")));
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = 0; i < cursors.size(); i++) {
            Cursor cursor = cursors.get(i);
            try {
                long offset = sessions.find(user, cursor.sessionId()).offset();
                if (offset != cursor.offset()) {
                    throw new FinishFailed(DropboxErrors.nested("lookup_failed", incorrectOffset(offset)));
                }
                results.add(DropboxErrors.flat("success", commit(user, cursor.sessionId(), commitInfos.get(i))));
            } catch (SyncboxException e) {
                results.add(DropboxErrors.nested("failure", DropboxErrors.nested("lookup_failed", lookupError(e))));
            } catch (FinishFailed e) {
                results.add(DropboxErrors.nested("failure", e.error));
            }
        }
        return results;
    }

    /** Commits what the session holds; it stays for another try when the commit fails. */
    private Map<String, Object> commit(CurrentUser user, String sessionId, Commit commit) {
        try {
            String path = commits.path(user, commit);
            UploadSessions.Held held;
            try {
                held = sessions.content(user, sessionId);
            } catch (SyncboxException e) {
                throw new FinishFailed(DropboxErrors.nested("lookup_failed", lookupError(e)));
            }
            Map<String, Object> metadata = commits.commit(user, commit, path, held.content());
            sessions.remove(user, held);
            return metadata;
        } catch (DropboxCommits.WriteFailed e) {
            throw new FinishFailed(DropboxErrors.nested("path", e.reason()));
        }
    }

    /** Appends the request's body at the cursor, refused before the offset moves if it does not match {@code hash}. */
    private void append(CurrentUser user, Cursor cursor, HttpServletRequest request, String hash) throws IOException {
        try (Hashing body = new Hashing(request.getInputStream())) {
            sessions.append(user, cursor.sessionId(), cursor.offset(), body, () -> {
                if (hash != null && !hash.equals(body.hasher.hexDigest())) {
                    throw DropboxApiException.route(DropboxErrors.tag("content_hash_mismatch"));
                }
            });
        }
    }

    /** {@code UploadSessionLookupError} (also the start of {@code UploadSessionAppendError}). */
    private static Map<String, Object> lookupError(SyncboxException e) {
        return switch (e.code()) {
            case NOT_FOUND -> DropboxErrors.tag("not_found");
            case INCORRECT_OFFSET -> incorrectOffset(((Number) e.properties().get("expected_offset")).longValue());
            case QUOTA_EXCEEDED -> DropboxErrors.tag("too_large");
            default -> throw general(e, DropboxErrors.tag("other"));
        };
    }

    private static Map<String, Object> incorrectOffset(long correct) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("correct_offset", correct);
        return DropboxErrors.flat("incorrect_offset", fields);
    }

    /** Bad input, auth and outages as such; anything else as the route's {@code other}. */
    private static DropboxApiException general(SyncboxException e, Map<String, Object> other) {
        DropboxApiException general = DropboxErrors.write("path", e);
        return general.status() != 409 ? general : DropboxApiException.route(other);
    }

    private static void sequential(DropboxArgs arg) {
        String type = arg.tag("session_type", "sequential");
        if (!type.equals("sequential")) {
            throw DropboxApiException.badInput("Only sequential upload sessions are supported, not '" + type + "'");
        }
    }

    private static DropboxArgs required(DropboxArgs arg, String name) {
        if (!arg.has(name)) {
            throw DropboxApiException.badInput("Missing required field '" + name + "'");
        }
        return arg.object(name);
    }

    /** A route without result: JSON {@code null}. */
    private static ResponseEntity<String> nothing() {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body("null");
    }

    /** An {@code UploadSessionFinishError}, for the single finish to answer or the batch to list. */
    private static final class FinishFailed extends RuntimeException {

        private final transient Map<String, Object> error;

        FinishFailed(Map<String, Object> error) {
            super(String.valueOf(error.get(".tag")), null, false, false);
            this.error = error;
        }
    }

    /** The body of one call, content-hashed as it is read. */
    private static final class Hashing extends FilterInputStream {

        private final ContentHasher hasher = new ContentHasher();

        Hashing(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                hasher.update(b, off, n);
            }
            return n;
        }
    }
}

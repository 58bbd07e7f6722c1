package dev.syncbox.upload.dav;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.config.SyncboxProperties;
import dev.syncbox.server.content.ContentReader;
import dev.syncbox.server.content.StoredContent;
import dev.syncbox.server.web.CurrentUser;
import dev.syncbox.upload.session.UploadSessions;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Nextcloud's chunked uploads (v2) over syncbox's upload sessions: a transfer is a row naming its destination, and
 * each chunk is an upload session of its own, so its blocks are in S3 before any row names them, the reaper leaves
 * them alone while the session lives, and an abandoned transfer expires with its sessions (the caller's next
 * transfer removes its rows). Chunks may come in any
 * order and again (a chunk sent again replaces the one of its number); they are assembled in number order, streamed
 * back out of the block store, never held in memory.
 */
@Service
class ChunkedUploads {

    /** A transfer id as Nextcloud's clients make them (web-file-upload-…, numbers, random letters). */
    private static final Pattern TRANSFER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");
    /** A chunk's name: its number, zero-padded or not. */
    private static final Pattern CHUNK = Pattern.compile("[0-9]{1,16}");

    record Transfer(String id, String destination, Instant createdAt) {}

    record Chunk(String name, long number, String sessionId, long size, Instant storedAt) {}

    private final JdbcTemplate jdbc;
    private final UploadSessions sessions;
    private final ContentReader reader;
    private final SyncboxProperties properties;
    private final Clock clock;

    ChunkedUploads(
            JdbcTemplate jdbc,
            UploadSessions sessions,
            ContentReader reader,
            SyncboxProperties properties,
            Clock clock) {
        this.jdbc = jdbc;
        this.sessions = sessions;
        this.reader = reader;
        this.properties = properties;
        this.clock = clock;
    }

    static void requireTransferId(String id) {
        if (!TRANSFER.matcher(id).matches()) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "Not a transfer id: '" + id + "'");
        }
    }

    /** A chunk name's number; {@code invalid_request} for anything but digits. */
    static long chunkNumber(String name) {
        if (!CHUNK.matcher(name).matches()) {
            throw new SyncboxException(
                    ErrorCode.INVALID_REQUEST, "A chunk is named by its number (like 00001), not '" + name + "'");
        }
        return Long.parseLong(name);
    }

    /** Starts a transfer; {@code method_not_allowed} (MKCOL on something there) if it exists. */
    void create(CurrentUser user, String id, String destination) {
        requireTransferId(id);
        Instant now = clock.instant();
        // The caller's expired transfers go first; their chunks' sessions expire on their own.
        jdbc.update(
                "DELETE FROM dav_uploads WHERE user_id = ? AND expires_at <= ?", user.userId(), Timestamp.from(now));
        int created = jdbc.update(
                "INSERT INTO dav_uploads (user_id, transfer_id, destination, created_at, expires_at)"
                        + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                user.userId(),
                id,
                destination,
                Timestamp.from(now),
                Timestamp.from(now.plus(properties.upload().sessionTtl())));
        if (created == 0) {
            throw new SyncboxException(ErrorCode.METHOD_NOT_ALLOWED, "The transfer " + id + " exists");
        }
    }

    /** A live transfer of the caller's; {@code not_found} otherwise (another user's is never found). */
    Transfer find(CurrentUser user, String id) {
        requireTransferId(id);
        List<Transfer> found = jdbc.query(
                "SELECT transfer_id, destination, created_at FROM dav_uploads"
                        + " WHERE user_id = ? AND transfer_id = ? AND expires_at > ?",
                (rs, n) -> new Transfer(
                        rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()),
                user.userId(),
                id,
                Timestamp.from(clock.instant()));
        if (found.isEmpty()) {
            throw new SyncboxException(ErrorCode.NOT_FOUND, "No upload " + id);
        }
        return found.get(0);
    }

    /** The transfer's chunks, in number order. */
    List<Chunk> chunks(CurrentUser user, String id) {
        // A chunk whose session has expired (and been cleaned up) is as good as never sent.
        return jdbc.query(
                "SELECT c.chunk_name, c.chunk_no, c.session_id, c.size_bytes, c.created_at FROM dav_upload_chunks c"
                        + " JOIN upload_sessions s ON s.user_id = c.user_id AND s.session_id = c.session_id"
                        + " WHERE c.user_id = ? AND c.transfer_id = ? AND s.expires_at > ? ORDER BY c.chunk_no",
                (rs, n) -> new Chunk(
                        rs.getString(1),
                        rs.getLong(2),
                        rs.getString(3),
                        rs.getLong(4),
                        rs.getTimestamp(5).toInstant()),
                user.userId(),
                id,
                Timestamp.from(clock.instant()));
    }

    /**
     * Stores a chunk of a transfer: its bytes as an upload session's blocks first, then the row naming them. A chunk
     * of the same number sent before is replaced. Returns whether the chunk is new.
     */
    boolean put(CurrentUser user, String id, String name, InputStream body) throws IOException {
        long number = chunkNumber(name);
        find(user, id);
        String sessionId = sessions.start(user).id();
        long size;
        try {
            size = sessions.append(user, sessionId, 0, body, () -> {}).offset();
        } catch (RuntimeException | IOException e) {
            dropSession(user, sessionId);
            throw e;
        }
        List<String> replaced = jdbc.queryForList(
                "SELECT session_id FROM dav_upload_chunks WHERE user_id = ? AND transfer_id = ? AND chunk_no = ?",
                String.class,
                user.userId(),
                id,
                number);
        try {
            jdbc.update(
                    "INSERT INTO dav_upload_chunks (user_id, transfer_id, chunk_name, chunk_no, session_id,"
                            + " size_bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT (user_id, transfer_id, chunk_no) DO UPDATE SET chunk_name ="
                            + " excluded.chunk_name, session_id = excluded.session_id, size_bytes = excluded.size_bytes,"
                            + " created_at = excluded.created_at",
                    user.userId(),
                    id,
                    name,
                    number,
                    sessionId,
                    size,
                    Timestamp.from(clock.instant()));
        } catch (DataIntegrityViolationException e) {
            // The transfer was deleted while the chunk was stored.
            dropSession(user, sessionId);
            throw new SyncboxException(ErrorCode.NOT_FOUND, "No upload " + id);
        }
        replaced.forEach(old -> dropSession(user, old));
        return replaced.isEmpty();
    }

    /** Removes one chunk; {@code not_found} when the transfer has none of that name's number. */
    void deleteChunk(CurrentUser user, String id, String name) {
        long number = chunkNumber(name);
        find(user, id);
        List<String> removed = jdbc.queryForList(
                "DELETE FROM dav_upload_chunks WHERE user_id = ? AND transfer_id = ? AND chunk_no = ?"
                        + " RETURNING session_id",
                String.class,
                user.userId(),
                id,
                number);
        if (removed.isEmpty()) {
            throw new SyncboxException(ErrorCode.NOT_FOUND, "No chunk " + name);
        }
        removed.forEach(old -> dropSession(user, old));
    }

    /** Ends a transfer, finished or abandoned: its rows and its chunks' sessions (their blocks are reaped). */
    void delete(CurrentUser user, String id) {
        List<String> chunkSessions = jdbc.queryForList(
                "SELECT session_id FROM dav_upload_chunks WHERE user_id = ? AND transfer_id = ?",
                String.class,
                user.userId(),
                id);
        jdbc.update("DELETE FROM dav_uploads WHERE user_id = ? AND transfer_id = ?", user.userId(), id);
        chunkSessions.forEach(old -> dropSession(user, old));
    }

    /**
     * The chunks' bytes one after another, each read from the block store only when the stream gets to it. A
     * chunk's last bytes are stored as a block here (the session kept them aside until now).
     */
    InputStream assembled(CurrentUser user, List<Chunk> chunks) {
        Iterator<Chunk> next = chunks.iterator();
        return new SequenceInputStream(new Enumeration<>() {
            @Override
            public boolean hasMoreElements() {
                return next.hasNext();
            }

            @Override
            public InputStream nextElement() {
                Chunk chunk = next.next();
                StoredContent content =
                        sessions.content(user, chunk.sessionId()).content();
                return reader.open(ContentReader.layout(content.blockIds(), content.blockSizes()), 0, content.size());
            }
        });
    }

    private void dropSession(CurrentUser user, String sessionId) {
        jdbc.update("DELETE FROM upload_sessions WHERE user_id = ? AND session_id = ?", user.userId(), sessionId);
    }
}

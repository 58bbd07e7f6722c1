package dev.syncbox.upload.session;

import dev.syncbox.conflict.engine.commit.CommitRequest;
import dev.syncbox.conflict.engine.commit.Committed;
import dev.syncbox.conflict.engine.commit.VersionCommitter;
import dev.syncbox.core.chunk.Chunker;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.core.id.Ids;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.config.SyncboxProperties;
import dev.syncbox.server.content.BlockWriter;
import dev.syncbox.server.content.ContentIngest;
import dev.syncbox.server.content.StoredContent;
import dev.syncbox.server.web.CurrentUser;
import dev.syncbox.upload.UploadMetrics;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Upload sessions keep, between appends, the blocks cut so far, the bytes after the last cut, and the
 * content-hash state. An append stores every complete chunk in S3 first, then moves the session's
 * offset with a compare-and-set, so a dropped connection leaves the session where it was and the
 * client resumes from {@code offset} without losing or duplicating a byte. A session started with a
 * {@link Destination} (tus) takes at most its declared length, keeps what an append had received when its
 * body broke off, and is committed by the append that brings its last byte.
 */
@Service
public class UploadSessions {

    public record Session(
            String id,
            long offset,
            Instant expiresAt,
            List<String> blockIds,
            List<Integer> blockSizes,
            byte[] chunkTail,
            byte[] hashWindows,
            byte[] windowTail,
            Destination destination,
            String committedFileId,
            String committedVersionId) {

        /** Whether the append that brought the last byte has committed the file. */
        public boolean committed() {
            return committedFileId != null;
        }
    }

    /**
     * Where a session's content goes, known from its start: {@code length} bytes for {@code path}, replacing a file
     * there ({@code overwrite}) or beside it under a free name; {@code metadata} is the client's, kept as sent.
     */
    public record Destination(long length, String path, boolean overwrite, Instant clientModifiedAt, String metadata) {}

    /** Commits a destination session's content once its last byte is stored, before its offset moves. */
    @FunctionalInterface
    public interface Completion {
        Committed commit(Destination destination, StoredContent content);
    }

    private final JdbcTemplate jdbc;
    private final BlockWriter writer;
    private final Chunker chunker;
    private final VersionCommitter committer;
    private final UploadMetrics metrics;
    private final SyncboxProperties properties;
    private final Clock clock;

    UploadSessions(
            JdbcTemplate jdbc,
            BlockWriter writer,
            ContentIngest ingest,
            VersionCommitter committer,
            UploadMetrics metrics,
            SyncboxProperties properties,
            Clock clock) {
        this.jdbc = jdbc;
        this.writer = writer;
        this.chunker = ingest.chunker();
        this.committer = committer;
        this.metrics = metrics;
        this.properties = properties;
        this.clock = clock;
    }

    public Session start(CurrentUser user) {
        return start(user, null);
    }

    /** A session; with a {@code destination}, one that takes that many bytes and commits itself on the last. */
    public Session start(CurrentUser user, Destination destination) {
        String id = Ids.newId();
        Instant now = clock.instant();
        Instant expires = now.plus(properties.upload().sessionTtl());
        Destination d = destination;
        jdbc.update(
                "INSERT INTO upload_sessions (session_id, user_id, device_id, created_at, updated_at, expires_at,"
                        + " upload_length, target_path, target_mode, client_modified_at, upload_metadata)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id,
                user.userId(),
                user.deviceId(),
                Timestamp.from(now),
                Timestamp.from(now),
                Timestamp.from(expires),
                d == null ? null : d.length(),
                d == null ? null : d.path(),
                d == null ? null : d.overwrite() ? "overwrite" : "add",
                d == null || d.clientModifiedAt() == null ? null : Timestamp.from(d.clientModifiedAt()),
                d == null ? null : d.metadata());
        return new Session(id, 0, expires, List.of(), List.of(), new byte[0], new byte[0], new byte[0], d, null, null);
    }

    /** The largest upload the caller could make: the largest quota a session of theirs may be committed against. */
    public long maxSize(CurrentUser user) {
        return sizeCap(user);
    }

    /** A session of the caller's without a destination; {@code not_found} otherwise. */
    public Session find(CurrentUser user, String id) {
        Session session = load(user, id, "");
        if (session.destination() != null) {
            throw notFound(id);
        }
        return session;
    }

    /** A session of the caller's started with a {@link Destination}; {@code not_found} otherwise. */
    public Session findWithDestination(CurrentUser user, String id) {
        Session session = load(user, id, "");
        if (session.destination() == null) {
            throw notFound(id);
        }
        return session;
    }

    /**
     * Removes a session of the caller's with a destination (terminated, or let go after its commit): its blocks
     * go as an expired session's do, reaped once unreferenced for the grace period. {@code not_found} when there is none.
     */
    public void drop(CurrentUser user, String id) {
        findWithDestination(user, id);
        jdbc.update(
                "DELETE FROM upload_sessions WHERE user_id = ? AND session_id = ? AND upload_length IS NOT NULL",
                user.userId(),
                id);
    }

    Session append(CurrentUser user, String id, long offset, InputStream body) throws IOException {
        return append(user, id, offset, body, () -> {});
    }

    /**
     * Appends {@code body} at {@code offset}; {@code beforeMove} runs once the body is read and stored, before the
     * offset moves, so that it can still refuse the append (the Dropbox adapter checks a content hash there).
     */
    public Session append(CurrentUser user, String id, long offset, InputStream body, Runnable beforeMove)
            throws IOException {
        return append(user, find(user, id), offset, body, beforeMove, false, null);
    }

    /**
     * Appends {@code body} at {@code offset} to a session started with a {@link Destination}: at most the bytes it
     * still lacks ({@code payload_too_large} past them, nothing kept); what arrived before the body broke off is
     * kept — its blocks stored, its last bytes as the session's tail — and the offset moved to its end before the
     * read's exception goes on. The append that brings the last byte stores the tail block and runs {@code
     * completion} before the offset moves: if the commit fails, the session stays where it was. A committed session
     * takes no more bytes.
     */
    public Session appendToDestination(
            CurrentUser user, String id, long offset, InputStream body, Completion completion) throws IOException {
        return append(user, findWithDestination(user, id), offset, body, () -> {}, true, completion);
    }

    private Session append(
            CurrentUser user,
            Session session,
            long offset,
            InputStream body,
            Runnable beforeMove,
            boolean keepReceived,
            Completion completion)
            throws IOException {
        String id = session.id();
        if (offset != session.offset()) {
            throw incorrectOffset(session.offset());
        }
        Destination destination = session.destination();
        long limit = destination != null ? destination.length() - session.offset() : sizeCap(user) - session.offset();
        HashWindows windows = new HashWindows(session.hashWindows(), session.windowTail());
        UntilBroken received = new UntilBroken(body, keepReceived);
        CountingInput counted = new CountingInput(
                received,
                windows,
                limit,
                destination != null
                        ? () -> new SyncboxException(
                                ErrorCode.PAYLOAD_TOO_LARGE,
                                "The upload is " + destination.length() + " bytes long; these bytes go past its end")
                        : () -> new SyncboxException(ErrorCode.QUOTA_EXCEEDED, "The session is larger than the quota"));
        List<String> ids = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        long[] newBytes = {0};
        byte[][] held = {null};
        try (InputStream stream = new SequenceInputStream(new ByteArrayInputStream(session.chunkTail()), counted)) {
            chunker.chunk(stream, (buf, off, len) -> {
                if (held[0] != null) {
                    newBytes[0] += store(held[0], ids, sizes);
                }
                held[0] = Arrays.copyOfRange(buf, off, off + len);
            });
        }
        boolean heldIsFinal =
                held[0] != null && held[0].length == chunker.spec().maxSize();
        if (heldIsFinal) {
            newBytes[0] += store(held[0], ids, sizes);
        }
        byte[] tail = held[0] == null || heldIsFinal ? new byte[0] : held[0];
        metrics.received(counted.count);
        beforeMove.run();
        long newOffset = session.offset() + counted.count;
        if (session.committed()) {
            // Its last byte came before: nothing more to store (limit 0), nothing to commit again.
            return session;
        }
        if (destination != null && newOffset == destination.length()) {
            return complete(user, session, ids, sizes, tail, windows, completion);
        }
        if (counted.count == 0 && received.broken != null) {
            throw received.broken;
        }
        int updated = jdbc.update(con -> {
            var ps = con.prepareStatement("UPDATE upload_sessions SET offset_bytes = ?,"
                    + " block_ids = block_ids || ?::text[], block_sizes = block_sizes || ?::int[],"
                    + " chunk_tail = ?, hash_windows = ?, window_tail = ?, updated_at = ?"
                    + " WHERE user_id = ? AND session_id = ? AND offset_bytes = ?");
            ps.setLong(1, newOffset);
            ps.setArray(2, con.createArrayOf("text", ids.toArray()));
            ps.setArray(3, con.createArrayOf("integer", sizes.toArray()));
            ps.setBytes(4, tail);
            ps.setBytes(5, windows.completedDigests());
            ps.setBytes(6, windows.windowTail());
            ps.setTimestamp(7, Timestamp.from(clock.instant()));
            ps.setLong(8, user.userId());
            ps.setString(9, id);
            ps.setLong(10, session.offset());
            return ps;
        });
        if (updated == 0) {
            throw incorrectOffset(load(user, id, "").offset());
        }
        if (received.broken != null) {
            throw received.broken;
        }
        return load(user, id, "");
    }

    /**
     * The last byte of a destination session is in: its tail stored as a block, the whole content committed, then the
     * offset moved to the end with the file and version recorded (and the block list let go: the version names the
     * blocks now).
     */
    private Session complete(
            CurrentUser user,
            Session session,
            List<String> newIds,
            List<Integer> newSizes,
            byte[] tail,
            HashWindows windows,
            Completion completion) {
        List<String> ids = new ArrayList<>(session.blockIds());
        List<Integer> sizes = new ArrayList<>(session.blockSizes());
        ids.addAll(newIds);
        sizes.addAll(newSizes);
        if (tail.length > 0) {
            store(tail, ids, sizes);
        }
        byte[] digests = HashWindows.finish(windows.completedDigests(), windows.windowTail());
        long length = session.destination().length();
        Committed committed = completion.commit(
                session.destination(),
                new StoredContent(ids, sizes, length, ContentHasher.ofConcatenatedDigests(digests), digests, 0));
        int updated = jdbc.update(
                "UPDATE upload_sessions SET offset_bytes = ?, block_ids = '{}', block_sizes = '{}', chunk_tail = '\\x',"
                        + " hash_windows = '\\x', window_tail = '\\x', committed_file_id = ?, committed_version_id = ?,"
                        + " updated_at = ? WHERE user_id = ? AND session_id = ? AND offset_bytes = ?",
                length,
                committed.fileId(),
                committed.versionId(),
                Timestamp.from(clock.instant()),
                user.userId(),
                session.id(),
                session.offset());
        if (updated == 0) {
            throw incorrectOffset(load(user, session.id(), "").offset());
        }
        return load(user, session.id(), "");
    }

    /**
     * The most a session may hold: the largest quota it could be committed against — the caller's,
     * or that of an owner sharing a folder with them to write. The commit charges the real one.
     */
    private long sizeCap(CurrentUser user) {
        List<Long> owners = jdbc.queryForList(
                "SELECT DISTINCT owner_id FROM shared_items WHERE shared_with_user_id = ? AND permission = 'READ_WRITE'",
                Long.class,
                user.userId());
        Long cap;
        if (owners.isEmpty()) {
            cap = jdbc.queryForObject("SELECT max_space_bytes FROM users WHERE user_id = ?", Long.class, user.userId());
        } else {
            List<Long> quotas = new ArrayList<>(owners);
            quotas.add(user.userId());
            cap = jdbc.queryForObject(
                    "SELECT max(max_space_bytes) FROM users WHERE user_id = ANY(?)", Long.class, (Object)
                            quotas.toArray(Long[]::new));
        }
        return cap == null ? 0 : cap;
    }

    /**
     * Commits what the session holds now. No lock is held while the tail block is stored and the
     * version committed; the session is removed only if no append came in meanwhile (then it stays,
     * holding the newer bytes, for another finish).
     */
    Committed finish(CurrentUser user, String id, String rawPath, String parentVersionId) {
        String path = SyncPath.normalize(rawPath);
        Held held = content(user, id);
        Committed committed = committer.commit(
                CommitRequest.upload(user.userId(), user.deviceId(), path, parentVersionId, held.content()));
        remove(user, held);
        return committed;
    }

    /** What a session holds, ready to commit, and the offset it held it at. */
    public record Held(String sessionId, long offset, StoredContent content) {}

    /** The content the session holds now, its tail block stored: the caller commits it, then {@link #remove}s. */
    public Held content(CurrentUser user, String id) {
        // A session with a destination commits itself; its blocks are not for another commit.
        Session session = find(user, id);
        List<String> ids = new ArrayList<>(session.blockIds());
        List<Integer> sizes = new ArrayList<>(session.blockSizes());
        if (session.chunkTail().length > 0) {
            store(session.chunkTail(), ids, sizes);
        }
        byte[] windows = HashWindows.finish(session.hashWindows(), session.windowTail());
        return new Held(
                id,
                session.offset(),
                new StoredContent(
                        ids, sizes, session.offset(), ContentHasher.ofConcatenatedDigests(windows), windows, 0));
    }

    /** Removes a committed session, unless an append came in meanwhile (then it stays, for another finish). */
    public void remove(CurrentUser user, Held held) {
        jdbc.update(
                "DELETE FROM upload_sessions WHERE user_id = ? AND session_id = ? AND offset_bytes = ?",
                user.userId(),
                held.sessionId(),
                held.offset());
    }

    private long store(byte[] chunk, List<String> ids, List<Integer> sizes) {
        BlockWriter.Written written = writer.write(chunk, 0, chunk.length);
        ids.add(written.blockId());
        sizes.add(chunk.length);
        return written.newlyStored() ? chunk.length : 0;
    }

    private Session load(CurrentUser user, String id, String lock) {
        List<Session> found = jdbc.query(
                "SELECT session_id, offset_bytes, expires_at, block_ids, block_sizes, chunk_tail, hash_windows,"
                        + " window_tail, upload_length, target_path, target_mode, client_modified_at, upload_metadata,"
                        + " committed_file_id, committed_version_id"
                        + " FROM upload_sessions WHERE session_id = ? AND user_id = ? AND expires_at > ?"
                        + lock,
                (rs, n) -> new Session(
                        rs.getString(1),
                        rs.getLong(2),
                        rs.getTimestamp(3).toInstant(),
                        List.of((String[]) rs.getArray(4).getArray()),
                        List.of((Integer[]) rs.getArray(5).getArray()),
                        rs.getBytes(6),
                        rs.getBytes(7),
                        rs.getBytes(8),
                        rs.getObject(9) == null
                                ? null
                                : new Destination(
                                        rs.getLong(9),
                                        rs.getString(10),
                                        "overwrite".equals(rs.getString(11)),
                                        rs.getTimestamp(12) == null
                                                ? null
                                                : rs.getTimestamp(12).toInstant(),
                                        rs.getString(13)),
                        rs.getString(14),
                        rs.getString(15)),
                id,
                user.userId(),
                Timestamp.from(clock.instant()));
        if (found.isEmpty()) {
            throw notFound(id);
        }
        return found.get(0);
    }

    private static SyncboxException notFound(String id) {
        return new SyncboxException(ErrorCode.NOT_FOUND, "No upload session " + id + " (unknown or expired)");
    }

    private static SyncboxException incorrectOffset(long expected) {
        return new SyncboxException(
                ErrorCode.INCORRECT_OFFSET,
                "The session is at offset " + expected + "; resume from there",
                Map.of("expected_offset", expected));
    }

    /**
     * A body that, when {@code keep}, ends where its read failed (the client went away mid-body) and remembers why,
     * so that what arrived before is stored; otherwise the failure goes on at once.
     */
    private static final class UntilBroken extends FilterInputStream {

        private final boolean keep;
        private IOException broken;

        UntilBroken(InputStream in, boolean keep) {
            super(in);
            this.keep = keep;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (broken != null) {
                return -1;
            }
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                if (!keep) {
                    throw e;
                }
                broken = e;
                return -1;
            }
        }
    }

    /** Counts the appended bytes, feeds them to the content hash, and stops at the limit. */
    private static final class CountingInput extends FilterInputStream {

        private final HashWindows windows;
        private final long limit;
        private final java.util.function.Supplier<SyncboxException> over;
        private long count;

        CountingInput(
                InputStream in, HashWindows windows, long limit, java.util.function.Supplier<SyncboxException> over) {
            super(in);
            this.windows = windows;
            this.limit = limit;
            this.over = over;
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
                count += n;
                if (count > limit) {
                    throw over.get();
                }
                windows.update(b, off, n);
            }
            return n;
        }
    }
}

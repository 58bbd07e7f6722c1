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
 * client resumes from {@code offset} without losing or duplicating a byte.
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
            byte[] windowTail) {}

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
        String id = Ids.newId();
        Instant now = clock.instant();
        Instant expires = now.plus(properties.upload().sessionTtl());
        jdbc.update(
                "INSERT INTO upload_sessions (session_id, user_id, device_id, created_at, updated_at, expires_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?)",
                id,
                user.userId(),
                user.deviceId(),
                Timestamp.from(now),
                Timestamp.from(now),
                Timestamp.from(expires));
        return new Session(id, 0, expires, List.of(), List.of(), new byte[0], new byte[0], new byte[0]);
    }

    public Session find(CurrentUser user, String id) {
        return load(user, id, "");
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
        Session session = find(user, id);
        if (offset != session.offset()) {
            throw incorrectOffset(session.offset());
        }
        long limit = sizeCap(user) - session.offset();
        HashWindows windows = new HashWindows(session.hashWindows(), session.windowTail());
        CountingInput counted = new CountingInput(body, windows, limit);
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
            throw incorrectOffset(find(user, id).offset());
        }
        return find(user, id);
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
        Session session = load(user, id, "");
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
                        + " window_tail FROM upload_sessions WHERE session_id = ? AND user_id = ? AND expires_at > ?"
                        + lock,
                (rs, n) -> new Session(
                        rs.getString(1),
                        rs.getLong(2),
                        rs.getTimestamp(3).toInstant(),
                        List.of((String[]) rs.getArray(4).getArray()),
                        List.of((Integer[]) rs.getArray(5).getArray()),
                        rs.getBytes(6),
                        rs.getBytes(7),
                        rs.getBytes(8)),
                id,
                user.userId(),
                Timestamp.from(clock.instant()));
        if (found.isEmpty()) {
            throw new SyncboxException(ErrorCode.NOT_FOUND, "No upload session " + id + " (unknown or expired)");
        }
        return found.get(0);
    }

    private static SyncboxException incorrectOffset(long expected) {
        return new SyncboxException(
                ErrorCode.INCORRECT_OFFSET,
                "The session is at offset " + expected + "; resume from there",
                Map.of("expected_offset", expected));
    }

    /** Counts the appended bytes, feeds them to the content hash, and stops at the quota. */
    private static final class CountingInput extends FilterInputStream {

        private final HashWindows windows;
        private final long limit;
        private long count;

        CountingInput(InputStream in, HashWindows windows, long limit) {
            super(in);
            this.windows = windows;
            this.limit = limit;
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
                    throw new SyncboxException(ErrorCode.QUOTA_EXCEEDED, "The session is larger than the quota");
                }
                windows.update(b, off, n);
            }
            return n;
        }
    }
}

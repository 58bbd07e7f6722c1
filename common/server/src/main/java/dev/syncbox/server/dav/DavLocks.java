package dev.syncbox.server.dav;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.metadata.PathKeys;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * WebDAV write locks (exclusive; depth 0 or infinity), kept in PostgreSQL by path in the owner's namespace so that
 * every service and every protocol sees the same ones (docs/webdav.md). A lock covers its path, and with depth
 * infinity everything beneath; a lock on a folder also guards its membership (what is added to or removed from it).
 * An expired lock is as good as gone: every query leaves it out, and taking a new lock deletes it.
 */
@Component
public class DavLocks {

    /** Longest lock a client may ask for, and the timeout of one that asks for none or for "Infinite". */
    public static final Duration MAX_TIMEOUT = Duration.ofHours(24);

    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);

    /** A live lock. */
    public record Lock(
            String token,
            long namespaceId,
            String path,
            boolean depthInfinity,
            long userId,
            String ownerXml,
            long timeoutSeconds,
            Instant expiresAt) {

        /** Whether this lock covers {@code path}: it is its own path, or beneath it with depth infinity. */
        public boolean covers(String other) {
            String key = PathKeys.of(path);
            String otherKey = PathKeys.of(other);
            return key.equals(otherKey) || (depthInfinity && SyncPath.isUnder(otherKey, key));
        }
    }

    private static final String COLUMNS =
            "token, namespace_id, file_path, depth_infinity, user_id, owner_xml, timeout_s, expires_at";

    private static final RowMapper<Lock> LOCK = (rs, n) -> new Lock(
            rs.getString(1),
            rs.getLong(2),
            rs.getString(3),
            rs.getBoolean(4),
            rs.getLong(5),
            rs.getString(6),
            rs.getLong(7),
            rs.getTimestamp(8).toInstant());

    private final JdbcTemplate jdbc;
    private final Clock clock;

    DavLocks(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The timeout a {@code Timeout} header asks for ({@code Second-n}, {@code Infinite}), within the bounds. */
    public static Duration timeout(String header) {
        if (header == null) {
            return DEFAULT_TIMEOUT;
        }
        for (String option : header.split(",")) {
            String o = option.strip();
            if (o.regionMatches(true, 0, "Second-", 0, 7)) {
                try {
                    long seconds = Long.parseLong(o.substring(7));
                    if (seconds > 0) {
                        return Duration.ofSeconds(Math.min(seconds, MAX_TIMEOUT.toSeconds()));
                    }
                } catch (NumberFormatException e) {
                    // the next option, if any
                }
            } else if (o.equalsIgnoreCase("Infinite")) {
                return DEFAULT_TIMEOUT;
            }
        }
        return DEFAULT_TIMEOUT;
    }

    /**
     * Takes an exclusive write lock on {@code path} of a namespace: {@code locked} when a live lock of anyone's
     * already covers it, or (for depth infinity) covers something beneath it.
     */
    @Transactional
    public Lock lock(
            long userId, long namespaceId, String path, boolean depthInfinity, String ownerXml, Duration timeout) {
        // One lock taker at a time per namespace: the check and the insert must not interleave with another's.
        jdbc.queryForObject("SELECT pg_advisory_xact_lock(?, ?)", Object.class, 0x44415600, (int) namespaceId);
        jdbc.update("DELETE FROM dav_locks WHERE namespace_id = ? AND expires_at <= ?", namespaceId, now());
        if (!conflicting(namespaceId, path, true, depthInfinity).isEmpty()) {
            throw new SyncboxException(ErrorCode.LOCKED, "Already locked: " + path);
        }
        Instant expires = clock.instant().plus(timeout);
        Lock lock = new Lock(
                "opaquelocktoken:" + UUID.randomUUID(),
                namespaceId,
                path,
                depthInfinity,
                userId,
                ownerXml,
                timeout.toSeconds(),
                expires);
        jdbc.update(
                "INSERT INTO dav_locks (token, namespace_id, path_key, file_path, depth_infinity, user_id, owner_xml,"
                        + " timeout_s, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                lock.token(),
                namespaceId,
                PathKeys.of(path),
                path,
                depthInfinity,
                userId,
                ownerXml,
                lock.timeoutSeconds(),
                now(),
                Timestamp.from(expires));
        return lock;
    }

    /** Renews a lock of the caller's that covers {@code path}: empty when there is none such. */
    @Transactional
    public Optional<Lock> refresh(long userId, String token, long namespaceId, String path, Duration timeout) {
        Optional<Lock> found =
                find(token).filter(l -> l.userId() == userId && l.namespaceId() == namespaceId && l.covers(path));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Instant expires = clock.instant().plus(timeout);
        jdbc.update(
                "UPDATE dav_locks SET timeout_s = ?, expires_at = ? WHERE token = ?",
                timeout.toSeconds(),
                Timestamp.from(expires),
                token);
        Lock l = found.get();
        return Optional.of(new Lock(
                l.token(),
                l.namespaceId(),
                l.path(),
                l.depthInfinity(),
                l.userId(),
                l.ownerXml(),
                timeout.toSeconds(),
                expires));
    }

    /** Releases a lock of the caller's that covers {@code path}: false when there is none such. */
    @Transactional
    public boolean unlock(long userId, String token, long namespaceId, String path) {
        Optional<Lock> found =
                find(token).filter(l -> l.userId() == userId && l.namespaceId() == namespaceId && l.covers(path));
        found.ifPresent(l -> jdbc.update("DELETE FROM dav_locks WHERE token = ?", token));
        return found.isPresent();
    }

    /** A live lock by its token. */
    public Optional<Lock> find(String token) {
        return jdbc
                .query("SELECT " + COLUMNS + " FROM dav_locks WHERE token = ? AND expires_at > ?", LOCK, token, now())
                .stream()
                .findFirst();
    }

    /** Every live lock of a namespace: a listing's lockdiscovery, filtered by {@link Lock#covers}, in one query. */
    public List<Lock> all(long namespaceId) {
        return jdbc.query(
                "SELECT " + COLUMNS
                        + " FROM dav_locks WHERE namespace_id = ? AND expires_at > ? ORDER BY path_key, token",
                LOCK,
                namespaceId,
                now());
    }

    /** The live locks covering {@code path} (its own, and its ancestors' of depth infinity): its lockdiscovery. */
    public List<Lock> covering(long namespaceId, String path) {
        return conflicting(namespaceId, path, false, false);
    }

    /**
     * The live locks a change at {@code path} must hold the tokens of: those covering it; with {@code membership}
     * (the entry is created, removed or renamed) a depth-0 lock on its folder too; with {@code descendants} (a folder
     * removed or moved whole) every lock beneath it.
     */
    public List<Lock> conflicting(long namespaceId, String path, boolean membership, boolean descendants) {
        String key = PathKeys.of(path);
        List<String> ancestors = new ArrayList<>();
        for (String p = SyncPath.parent(key); p != null; p = SyncPath.isRoot(p) ? null : SyncPath.parent(p)) {
            ancestors.add(p);
        }
        String parent = SyncPath.isRoot(key) ? null : SyncPath.parent(key);
        String below = SyncPath.isRoot(key) ? "/" : key + "/";
        String end = SyncPath.isRoot(key) ? "0" : key + "0";
        return jdbc.query(
                con -> {
                    var ps = con.prepareStatement("SELECT " + COLUMNS + " FROM dav_locks WHERE namespace_id = ?"
                            + " AND expires_at > ? AND (path_key = ? OR (depth_infinity AND path_key = ANY (?))"
                            + " OR (? AND path_key = ?) OR (? AND path_key >= ? AND path_key < ?))"
                            + " ORDER BY path_key, token");
                    ps.setLong(1, namespaceId);
                    ps.setTimestamp(2, now());
                    ps.setString(3, key);
                    ps.setArray(4, con.createArrayOf("varchar", ancestors.toArray()));
                    ps.setBoolean(5, membership && parent != null);
                    ps.setString(6, parent);
                    ps.setBoolean(7, descendants);
                    ps.setString(8, below);
                    ps.setString(9, end);
                    return ps;
                },
                LOCK);
    }

    /**
     * Refuses a change unless the caller holds every lock it needs: each must be the caller's own and its token
     * among {@code submitted} (WebDAV's {@code If} header). A {@code locked} error otherwise.
     */
    public void require(
            long userId,
            long namespaceId,
            String path,
            boolean membership,
            boolean descendants,
            Collection<String> submitted) {
        for (Lock lock : conflicting(namespaceId, path, membership, descendants)) {
            if (lock.userId() != userId || !submitted.contains(lock.token())) {
                throw new SyncboxException(ErrorCode.LOCKED, "Locked: " + lock.path());
            }
        }
    }

    /**
     * Refuses a change from a protocol without lock tokens (syncbox's API, Dropbox's) while someone else's lock
     * covers it: the lock's own holder may still write through them.
     */
    public void requireNotLockedByOthers(
            long userId, long namespaceId, String path, boolean membership, boolean descendants) {
        for (Lock lock : conflicting(namespaceId, path, membership, descendants)) {
            if (lock.userId() != userId) {
                throw new SyncboxException(ErrorCode.LOCKED, "Locked by another user: " + lock.path());
            }
        }
    }

    /** Drops the locks on and beneath {@code path} (it was deleted or moved away). */
    public void release(long namespaceId, String path) {
        String key = PathKeys.of(path);
        jdbc.update(
                "DELETE FROM dav_locks WHERE namespace_id = ? AND (path_key = ? OR (path_key >= ? AND path_key < ?))",
                namespaceId,
                key,
                SyncPath.isRoot(key) ? "/" : key + "/",
                SyncPath.isRoot(key) ? "0" : key + "0");
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }
}

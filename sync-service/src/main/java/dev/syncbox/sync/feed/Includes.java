package dev.syncbox.sync.feed;

import dev.syncbox.sync.device.Devices;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A device's queue of folders owed as listings ({@code selective_sync_includes}): folders it included
 * again, and folders moved into its view. They are delivered in id order and a cursor keeps the last
 * one done, so ids must become visible in order: every insert takes the device's include lock
 * ({@link Devices#lockIncludes}) and so waits for an earlier one to commit.
 */
@Component
class Includes {

    private final JdbcTemplate jdbc;
    private final Devices devices;

    Includes(JdbcTemplate jdbc, Devices devices) {
        this.jdbc = jdbc;
        this.devices = devices;
    }

    /**
     * What a feed page needs to know of a device, in one query: the paths it excludes, the highest
     * include forgotten, the range of includes queued, and the head of its root namespace's journal.
     * Most devices have neither exclusions nor includes, and then nothing else is asked.
     */
    record State(List<String> excluded, long forgotten, Long firstQueued, Long lastQueued, long head) {

        /** Where a new cursor starts: everything queued so far is in its first listing. */
        long last() {
            return Math.max(forgotten, lastQueued == null ? 0 : lastQueued);
        }

        boolean queuedAfter(long done) {
            return lastQueued != null && lastQueued > done;
        }

        boolean queuedUpTo(long done) {
            return firstQueued != null && firstQueued <= done;
        }
    }

    /**
     * The device's selective-sync state and the head of its root namespace, in two statements (the device's rows and
     * the namespace's live on different shards when the metadata is distributed); callers read them in one snapshot.
     */
    State state(String deviceId, long namespaceId) {
        State device = jdbc.queryForObject(
                "SELECT s.excluded, coalesce(s.includes_forgotten, 0),"
                        + " (SELECT min(include_id) FROM selective_sync_includes WHERE device_id = ?),"
                        + " (SELECT max(include_id) FROM selective_sync_includes WHERE device_id = ?)"
                        + " FROM (SELECT 1) AS one LEFT JOIN selective_sync s ON s.device_id = ?",
                (rs, n) -> {
                    java.sql.Array excluded = rs.getArray(1);
                    return new State(
                            excluded == null ? List.of() : List.of((String[]) excluded.getArray()),
                            rs.getLong(2),
                            (Long) rs.getObject(3),
                            (Long) rs.getObject(4),
                            0);
                },
                deviceId,
                deviceId,
                deviceId);
        long head =
                jdbc.queryForObject("SELECT last_seq FROM namespaces WHERE namespace_id = ?", Long.class, namespaceId);
        return new State(device.excluded(), device.forgotten(), device.firstQueued(), device.lastQueued(), head);
    }

    /** The includes after {@code done}, in order (none asked for when the state has none). */
    List<Hiding.Pending> pending(String deviceId, long done, State state) {
        return state.queuedAfter(done) ? pending(deviceId, done) : List.of();
    }

    /** The includes after {@code done}, in order. */
    List<Hiding.Pending> pending(String deviceId, long done) {
        return jdbc.query(
                "SELECT include_id, namespace_id, after_seq, path_key FROM selective_sync_includes"
                        + " WHERE device_id = ? AND include_id > ? ORDER BY include_id",
                (rs, n) -> {
                    Long afterSeq = (Long) rs.getObject(3);
                    return new Hiding.Pending(
                            rs.getLong(1), afterSeq == null ? null : rs.getLong(2), afterSeq, rs.getString(4));
                },
                deviceId,
                done);
    }

    /** Queues a folder that moved into view at entry {@code seq} of journal {@code namespaceId}. */
    Hiding.Pending movedIn(String deviceId, long namespaceId, long seq, String key) {
        devices.lockIncludes(deviceId);
        long id = jdbc.queryForObject(
                "INSERT INTO selective_sync_includes (device_id, namespace_id, path_key, after_seq)"
                        + " VALUES (?, ?, ?, ?) RETURNING include_id",
                Long.class,
                deviceId,
                namespaceId,
                key,
                seq);
        return new Hiding.Pending(id, namespaceId, seq, key);
    }

    /** Drops includes a cursor the device sent has delivered, remembering the highest one dropped. */
    void forget(String deviceId, long done) {
        Long dropped = jdbc.queryForObject(
                "WITH gone AS (DELETE FROM selective_sync_includes WHERE device_id = ? AND include_id <= ?"
                        + " RETURNING include_id) SELECT max(include_id) FROM gone",
                Long.class,
                deviceId,
                done);
        if (dropped != null) {
            jdbc.update(
                    "UPDATE selective_sync SET includes_forgotten = greatest(includes_forgotten, ?) WHERE device_id = ?",
                    dropped,
                    deviceId);
        }
    }
}

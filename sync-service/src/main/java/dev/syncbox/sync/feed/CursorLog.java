package dev.syncbox.sync.feed;

import dev.syncbox.server.cache.HotCache;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The last cursor each device was given, for watching device staleness ({@code sync_cursors}, and
 * {@code sync:cursor:{user}:{device}} in Redis for 24 h). The feed never reads it back, so it is
 * written behind the pages: a page notes its cursor in memory, and every second the latest cursor of
 * each device that moved is written, all of them in one statement batch and one Redis round trip
 * each. A feed page then costs no write transaction of its own; at worst the record is a second old.
 * When the database cannot take a flush the cursors are kept for the next one (a newer cursor of the
 * same device replaces them), never lost to a page.
 */
@Component
class CursorLog implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CursorLog.class);
    private static final Duration REDIS_TTL = Duration.ofHours(24);

    private final JdbcTemplate jdbc;
    private final HotCache cache;
    private final Clock clock;
    private final Map<Device, Noted> pending = new ConcurrentHashMap<>();

    CursorLog(JdbcTemplate jdbc, HotCache cache, Clock clock) {
        this.jdbc = jdbc;
        this.cache = cache;
        this.clock = clock;
    }

    /** Notes the cursor a device was just given; written by the next flush. */
    void note(long userId, String deviceId, String cursor) {
        pending.put(new Device(userId, deviceId), new Noted(cursor, clock.instant()));
    }

    /**
     * Writes every cursor noted since the last flush; answers how many devices it wrote. One flush at
     * a time: when it returns, whatever was noted before the call is written.
     */
    @Scheduled(fixedDelayString = "${syncbox.sync.cursor-log-interval:PT1S}")
    synchronized int flush() {
        if (pending.isEmpty()) {
            return 0;
        }
        List<Device> devices = new ArrayList<>();
        List<Noted> cursors = new ArrayList<>();
        // In one order everywhere: two instances writing rows of the same devices never deadlock.
        List<Device> moved = new ArrayList<>(pending.keySet());
        moved.sort(Comparator.comparingLong(Device::userId).thenComparing(Device::deviceId));
        for (Device device : moved) {
            Noted noted = pending.remove(device);
            if (noted != null) {
                devices.add(device);
                cursors.add(noted);
            }
        }
        try {
            List<Object[]> rows = new ArrayList<>(devices.size());
            for (int i = 0; i < devices.size(); i++) {
                Device device = devices.get(i);
                rows.add(new Object[] {
                    device.userId(),
                    device.deviceId(),
                    cursors.get(i).cursor(),
                    Timestamp.from(cursors.get(i).at())
                });
            }
            jdbc.batchUpdate(
                    "INSERT INTO sync_cursors (user_id, device_id, last_cursor, updated_at) VALUES (?, ?, ?, ?)"
                            + " ON CONFLICT (user_id, device_id) DO UPDATE SET last_cursor = EXCLUDED.last_cursor,"
                            + " updated_at = EXCLUDED.updated_at",
                    rows);
        } catch (RuntimeException e) {
            // Kept for the next flush unless the device has been given a newer cursor since.
            for (int i = 0; i < devices.size(); i++) {
                pending.putIfAbsent(devices.get(i), cursors.get(i));
            }
            log.warn("could not record {} devices' sync cursors, retrying: {}", devices.size(), e.toString());
            return 0;
        }
        for (int i = 0; i < devices.size(); i++) {
            Device device = devices.get(i);
            cache.put(
                    "sync:cursor:" + device.userId() + ":" + device.deviceId(),
                    cursors.get(i).cursor(),
                    REDIS_TTL);
        }
        return devices.size();
    }

    @Override
    public void destroy() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("could not record the last sync cursors at shutdown: {}", e.toString());
        }
    }

    private record Device(long userId, String deviceId) {}

    private record Noted(String cursor, Instant at) {}
}

package dev.syncbox.sync.feed;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Array;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The seed's sync-reliability figures for the devices this instance serves (docs/metrics.md):
 *
 * <ul>
 *   <li>{@code syncbox.sync.delay}: from a change's commit to the device acknowledging it, that is,
 *       coming back with the cursor of the page that carried it. Only changes committed while the
 *       device was connected count: a device that was away catches up, and that is not delay.
 *   <li>{@code syncbox.sync.cursor.staleness}: for each connected device, the age of the oldest change
 *       it has not acknowledged (zero when it is up to date); the gauge is the largest.
 *   <li>{@code syncbox.sync.device.divergence}: for each user with two or more connected devices, how
 *       far apart their staleness is; the gauge is the largest.
 * </ul>
 *
 * A device is connected while its requests come no further apart than the longest long-poll plus a
 * minute, or while it has a sync socket open. What it was handed and when it was last seen are kept in
 * memory, per instance: a device whose next request lands on another instance is simply not measured
 * once, and each instance reports the devices it serves (the dashboards take the largest).
 */
@Component
class SyncHealth {

    private static final Logger log = LoggerFactory.getLogger(SyncHealth.class);

    /** The longest long-poll (480 s) and a minute for the client to come back. */
    static final Duration CONNECTED = Duration.ofSeconds(540);

    private final JdbcTemplate jdbc;
    private final CursorCodec codec;
    private final Clock clock;
    private final Timer delay;
    private final Map<String, Device> devices = new ConcurrentHashMap<>();
    private final AtomicLong staleness = new AtomicLong();
    private final AtomicLong divergence = new AtomicLong();
    private final AtomicLong connected = new AtomicLong();

    SyncHealth(JdbcTemplate jdbc, CursorCodec codec, Clock clock, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.codec = codec;
        this.clock = clock;
        this.delay = Timer.builder("syncbox.sync.delay")
                .description("From a change's commit to a connected device acknowledging it")
                .register(registry);
        Gauge.builder("syncbox.sync.cursor.staleness", staleness, AtomicLong::get)
                .description("Largest age of the oldest change a connected device has not acknowledged")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("syncbox.sync.device.divergence", divergence, AtomicLong::get)
                .description("Largest gap between the staleness of two connected devices of one user")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("syncbox.sync.devices.connected", connected, AtomicLong::get)
                .description("Devices connected to this instance: polling, long-polling or on a socket")
                .register(registry);
    }

    /**
     * A device asks from {@code cursorText} (a page, a long-poll, its socket's cursor): it acknowledges
     * what the page that gave it that cursor carried.
     */
    void contact(long userId, String deviceId, String cursorText) {
        Instant now = clock.instant();
        Device device = devices.computeIfAbsent(deviceId, id -> new Device(userId));
        synchronized (device) {
            if (cursorText != null && cursorText.equals(device.handedCursor)) {
                for (long committed : device.handedCommits) {
                    delay.record(Duration.ofMillis(Math.max(0, now.toEpochMilli() - committed)));
                }
            }
            // Acknowledged, or asked again from an older cursor: then the page carries them again.
            device.handedCommits = new long[0];
            if (cursorText != null && !cursorText.isBlank()) {
                device.cursor = cursorText;
            }
            device.previous = device.contact;
            device.contact = now;
            device.reading.clear();
        }
    }

    /** A journal entry committed at {@code committedAt} is on the page being read for the device. */
    void reading(String deviceId, Instant committedAt) {
        Device device = devices.get(deviceId);
        if (device == null) {
            return;
        }
        synchronized (device) {
            if (device.connectedBefore(committedAt)) {
                device.reading.add(committedAt.toEpochMilli());
            }
        }
    }

    /** The page read for the device went out with {@code cursor}. */
    void handed(String deviceId, String cursor) {
        Device device = devices.get(deviceId);
        if (device == null) {
            return;
        }
        synchronized (device) {
            device.handedCursor = cursor;
            device.handedCommits =
                    device.reading.stream().mapToLong(Long::longValue).toArray();
            device.reading.clear();
            device.cursor = cursor;
        }
    }

    void socketOpened(long userId, String deviceId) {
        Device device = devices.computeIfAbsent(deviceId, id -> new Device(userId));
        synchronized (device) {
            device.sockets++;
            device.contact = clock.instant();
        }
    }

    void socketClosed(String deviceId) {
        Device device = devices.get(deviceId);
        if (device != null) {
            synchronized (device) {
                device.sockets = Math.max(0, device.sockets - 1);
                device.contact = clock.instant();
            }
        }
    }

    /**
     * Recomputes the gauges: for every connected device, the oldest change after its cursor (one
     * statement for all of them) or the oldest it was handed and has not acknowledged.
     */
    @Scheduled(
            initialDelayString = "${syncbox.sync.health-interval:PT15S}",
            fixedDelayString = "${syncbox.sync.health-interval:PT15S}")
    void scheduled() {
        measure();
    }

    /** Each connected device's staleness in seconds, as the gauges were just set from them. */
    Map<String, Long> measure() {
        Instant now = clock.instant();
        List<String> deviceIds = new ArrayList<>();
        List<Long> userIds = new ArrayList<>();
        List<Long> oldest = new ArrayList<>();
        List<Long> namespaces = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        devices.entrySet().removeIf(e -> {
            Device device = e.getValue();
            synchronized (device) {
                if (!device.connectedAt(now)) {
                    return device.contact == null || device.contact.isBefore(now.minus(CONNECTED.multipliedBy(2)));
                }
                int index = deviceIds.size();
                deviceIds.add(e.getKey());
                userIds.add(device.userId);
                long handed = Long.MAX_VALUE;
                for (long committed : device.handedCommits) {
                    handed = Math.min(handed, committed);
                }
                oldest.add(handed);
                if (device.cursor != null) {
                    try {
                        Cursor cursor = codec.decode(device.cursor, device.userId);
                        namespaces.add(cursor.namespaceId());
                        seqs.add(cursor.seq());
                        owners.add(index);
                        for (Cursor.Mount mount : cursor.mounts()) {
                            namespaces.add(mount.namespaceId());
                            seqs.add(mount.seq());
                            owners.add(index);
                        }
                    } catch (RuntimeException ignored) {
                        // A cursor the feed will reset: the next page tells.
                    }
                }
                return false;
            }
        });
        connected.set(deviceIds.size());
        if (!namespaces.isEmpty()) {
            try {
                Map<Long, Map<Long, Long>> next = nextCommits(namespaces, seqs);
                for (int i = 0; i < namespaces.size(); i++) {
                    Long committed =
                            next.getOrDefault(namespaces.get(i), Map.of()).get(seqs.get(i));
                    if (committed != null) {
                        int owner = owners.get(i);
                        oldest.set(owner, Math.min(oldest.get(owner), committed));
                    }
                }
            } catch (RuntimeException e) {
                log.warn("could not measure cursor staleness: {}", e.toString());
                return Map.of();
            }
        }
        long worst = 0;
        Map<Long, long[]> byUser = new HashMap<>();
        Map<String, Long> measured = new HashMap<>();
        for (int i = 0; i < deviceIds.size(); i++) {
            long stale = oldest.get(i) == Long.MAX_VALUE ? 0 : Math.max(0, (now.toEpochMilli() - oldest.get(i)) / 1000);
            measured.put(deviceIds.get(i), stale);
            worst = Math.max(worst, stale);
            long[] range = byUser.computeIfAbsent(userIds.get(i), u -> new long[] {Long.MAX_VALUE, 0, 0});
            range[0] = Math.min(range[0], stale);
            range[1] = Math.max(range[1], stale);
            range[2]++;
        }
        staleness.set(worst);
        divergence.set(byUser.values().stream()
                .filter(r -> r[2] > 1)
                .mapToLong(r -> r[1] - r[0])
                .max()
                .orElse(0));
        return measured;
    }

    /** The commit time of the entry after each (namespace, seq), where there is one. */
    private Map<Long, Map<Long, Long>> nextCommits(List<Long> namespaces, List<Long> seqs) {
        Map<Long, Map<Long, Long>> next = new HashMap<>();
        jdbc.query(
                con -> {
                    var ps = con.prepareStatement("SELECT j.namespace_id, j.seq - 1, j.created_at FROM journal j"
                            + " JOIN unnest(?::bigint[], ?::bigint[]) AS c(ns, seq)"
                            + " ON j.namespace_id = c.ns AND j.seq = c.seq + 1");
                    Array ns = con.createArrayOf("bigint", namespaces.toArray());
                    Array sq = con.createArrayOf("bigint", seqs.toArray());
                    ps.setArray(1, ns);
                    ps.setArray(2, sq);
                    return ps;
                },
                rs -> {
                    next.computeIfAbsent(rs.getLong(1), k -> new HashMap<>())
                            .put(rs.getLong(2), rs.getTimestamp(3).getTime());
                });
        return next;
    }

    /** What this instance knows of one device. */
    private static final class Device {
        final long userId;
        Instant contact;
        Instant previous;
        int sockets;
        String cursor;
        String handedCursor;
        long[] handedCommits = new long[0];
        final List<Long> reading = new ArrayList<>();

        Device(long userId) {
            this.userId = userId;
        }

        /** Connected now: on a socket, or its requests are coming. */
        boolean connectedAt(Instant now) {
            return sockets > 0 || (contact != null && !contact.isBefore(now.minus(CONNECTED)));
        }

        /**
         * Whether a change committed at {@code committedAt} found the device connected, judged while a
         * request of its is being served: on a socket, or its previous request was close enough before
         * this one and not long after the commit (older changes are a catch-up).
         */
        boolean connectedBefore(Instant committedAt) {
            if (sockets > 0) {
                return true;
            }
            return previous != null
                    && contact != null
                    && !previous.isBefore(contact.minus(CONNECTED))
                    && !committedAt.isBefore(previous.minus(CONNECTED));
        }
    }
}

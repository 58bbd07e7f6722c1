package dev.syncbox.sync.device;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.auth.DeviceRevoked;
import dev.syncbox.server.metadata.DeviceEntity;
import dev.syncbox.server.metadata.DeviceRepository;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.metadata.UserRepository;
import dev.syncbox.server.web.CurrentUser;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Devices of a user, and what each one leaves out of its sync. Removing a folder from the excluded
 * list queues it for the device's feed, which then sends the folder's current contents first.
 */
@Service
public class Devices {

    private final DeviceRepository devices;
    private final UserRepository users;
    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    Devices(
            DeviceRepository devices,
            UserRepository users,
            JdbcTemplate jdbc,
            ApplicationEventPublisher events,
            Clock clock) {
        this.devices = devices;
        this.users = users;
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    List<DeviceController.DeviceView> list(CurrentUser user) {
        return devices.findByUserIdOrderByCreatedAt(user.userId()).stream()
                .map(d -> new DeviceController.DeviceView(
                        d.getId(),
                        d.name(),
                        d.createdAt(),
                        d.lastSeenAt(),
                        d.revokedAt(),
                        d.getId().equals(user.deviceId())))
                .toList();
    }

    @Transactional
    void revoke(CurrentUser user, String deviceId) {
        own(user, deviceId);
        jdbc.update(
                "UPDATE devices SET revoked_at = ? WHERE user_id = ? AND device_id = ? AND revoked_at IS NULL",
                Timestamp.from(clock.instant()),
                user.userId(),
                deviceId);
        events.publishEvent(new DeviceRevoked(deviceId));
    }

    /** The paths a device excludes, as set. */
    public List<String> excluded(CurrentUser user, String deviceId) {
        own(user, deviceId);
        return excluded(deviceId);
    }

    /** The paths a device excludes; empty when it syncs everything. */
    public List<String> excluded(String deviceId) {
        List<String[]> rows = jdbc.query(
                "SELECT excluded FROM selective_sync WHERE device_id = ?",
                (rs, n) -> (String[]) rs.getArray(1).getArray(),
                deviceId);
        return rows.isEmpty() ? List.of() : List.of(rows.get(0));
    }

    @Transactional
    List<String> exclude(CurrentUser user, String deviceId, List<String> paths) {
        own(user, deviceId);
        Set<String> normalized = new LinkedHashSet<>();
        for (String path : paths) {
            String p = SyncPath.normalize(path);
            if (SyncPath.isRoot(p)) {
                throw new SyncboxException(ErrorCode.INVALID_PATH, "The root cannot be excluded");
            }
            normalized.add(p);
        }
        lockIncludes(deviceId);
        Set<String> newKeys =
                new LinkedHashSet<>(normalized.stream().map(PathKeys::of).toList());
        List<String> before = excluded(deviceId);
        jdbc.update(con -> {
            var ps = con.prepareStatement("INSERT INTO selective_sync (device_id, excluded, updated_at)"
                    + " VALUES (?, ?, now()) ON CONFLICT (device_id)"
                    + " DO UPDATE SET excluded = EXCLUDED.excluded, updated_at = now()");
            ps.setString(1, deviceId);
            ps.setArray(2, con.createArrayOf("text", normalized.toArray()));
            return ps;
        });
        long namespaceId = users.findById(user.userId()).orElseThrow().rootNamespaceId();
        List<String> included = new ArrayList<>();
        for (String old : before) {
            if (!newKeys.contains(PathKeys.of(old))) {
                included.add(PathKeys.of(old));
            }
        }
        for (String key : included) {
            jdbc.update(
                    "INSERT INTO selective_sync_includes (device_id, namespace_id, path_key) VALUES (?, ?, ?)",
                    deviceId,
                    namespaceId,
                    key);
        }
        return List.copyOf(normalized);
    }

    /**
     * Orders the device's include inserts for the rest of the transaction: the feed delivers includes
     * by id and remembers the last one done, so an id must not commit before a smaller one.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void lockIncludes(String deviceId) {
        jdbc.queryForObject(
                "SELECT pg_advisory_xact_lock(hashtext(?))::text", String.class, "syncbox.includes." + deviceId);
    }

    private DeviceEntity own(CurrentUser user, String deviceId) {
        return devices.findByIdAndUserId(deviceId, user.userId())
                .orElseThrow(() -> new SyncboxException(ErrorCode.NOT_FOUND, "No device " + deviceId));
    }
}

package dev.syncbox.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.syncbox.server.config.SyncboxProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Whether a token's device may still make requests. A device found active is remembered for {@code
 * syncbox.auth.device-check-ttl} (one second by default), so a busy device costs one primary-key lookup
 * a second instead of one a request; a revocation is refused at once by the instance that made it and
 * by every other instance once that bound has passed (docs/auth.md). Revoked or unknown devices are
 * never remembered. It also keeps the device's {@code last_seen_at} (to five minutes).
 */
@Component
public class ActiveDevices {

    private static final int MAX_REMEMBERED = 100_000;

    private record Key(String deviceId, long userId) {}

    private final JdbcTemplate jdbc;
    private final Cache<Key, Boolean> active;

    /** Public so that a test can stand up a second instance's view beside the application's. */
    public ActiveDevices(JdbcTemplate jdbc, SyncboxProperties properties, Clock clock) {
        this.jdbc = jdbc;
        Duration ttl = properties.auth().deviceCheckTtl();
        this.active = Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(MAX_REMEMBERED)
                // The services' clock, so tests can move time past the bound.
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .build();
    }

    /** True while the device exists, belongs to the user and is not revoked. */
    public boolean isActive(String deviceId, long userId) {
        Key key = new Key(deviceId, userId);
        if (active.getIfPresent(key) != null) {
            return true;
        }
        List<Boolean> stale = jdbc.query(
                "SELECT last_seen_at < now() - interval '5 minutes' FROM devices"
                        + " WHERE device_id = ? AND user_id = ? AND revoked_at IS NULL",
                (rs, n) -> rs.getBoolean(1),
                deviceId,
                userId);
        if (stale.size() != 1) {
            return false;
        }
        if (stale.get(0)) {
            // "Last seen" for the device list, written at most every five minutes per device.
            jdbc.update("UPDATE devices SET last_seen_at = now() WHERE device_id = ?", deviceId);
        }
        active.put(key, Boolean.TRUE);
        return true;
    }

    /** This instance refuses a revoked device from the next request on, once the revocation committed. */
    @TransactionalEventListener(fallbackExecution = true)
    void on(DeviceRevoked revoked) {
        active.asMap().keySet().removeIf(key -> key.deviceId().equals(revoked.deviceId()));
    }
}

package dev.syncbox.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.id.Ids;
import dev.syncbox.server.config.SyncboxProperties;
import dev.syncbox.server.web.CurrentUser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * App passwords: the secret a WebDAV or Nextcloud client sends with Basic auth, since such clients cannot do
 * syncbox's login (docs/webdav.md). Each one signs in as a device of its own, so its changes carry that device in
 * the journal and revoking it (here or as a device) ends it. The secret is 25 random letters and digits in five
 * groups (about 149 bits), shown once; only its SHA-256 is stored, so checking one costs a primary-key lookup, not
 * a password hash. A pair found valid is remembered for {@code syncbox.auth.device-check-ttl}, as a bearer token's
 * device is.
 */
@Component
public class AppPasswords {

    /** An app password as listed: never its secret. */
    public record AppPassword(String id, String name, Instant createdAt, Instant lastUsedAt) {}

    /** A new app password with its secret, shown this once. */
    public record Created(String id, String name, String appPassword, Instant createdAt) {}

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789";
    private static final int GROUPS = 5;
    private static final int GROUP_LENGTH = 5;
    private static final int MAX_REMEMBERED = 100_000;

    private record Key(String email, String secretSha256) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final SecureRandom random = new SecureRandom();
    private final Cache<Key, CurrentUser> valid;

    AppPasswords(JdbcTemplate jdbc, SyncboxProperties properties, Clock clock, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.events = events;
        this.valid = Caffeine.newBuilder()
                .expireAfterWrite(properties.auth().deviceCheckTtl())
                .maximumSize(MAX_REMEMBERED)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .build();
    }

    /** A new app password for {@code userId}, signed in as a new device named {@code name}. */
    @Transactional
    public Created create(long userId, String name) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > 255) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "name must be 1 to 255 characters");
        }
        String deviceId = Ids.newId();
        String secret = secret();
        Instant now = clock.instant();
        jdbc.update(
                "INSERT INTO devices (device_id, user_id, name, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)",
                deviceId,
                userId,
                trimmed,
                Timestamp.from(now),
                Timestamp.from(now));
        jdbc.update(
                "INSERT INTO app_passwords (device_id, user_id, name, secret_sha256, created_at) VALUES (?, ?, ?, ?, ?)",
                deviceId,
                userId,
                trimmed,
                sha256(secret),
                Timestamp.from(now));
        return new Created(deviceId, trimmed, secret, now);
    }

    /** The caller's app passwords that still work, oldest first. */
    public List<AppPassword> list(long userId) {
        return jdbc.query(
                "SELECT a.device_id, a.name, a.created_at, d.last_seen_at FROM app_passwords a"
                        + " JOIN devices d ON d.user_id = a.user_id AND d.device_id = a.device_id"
                        + " WHERE a.user_id = ? AND d.revoked_at IS NULL ORDER BY a.created_at, a.device_id",
                (rs, n) -> new AppPassword(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getTimestamp(3).toInstant(),
                        rs.getTimestamp(4).toInstant()),
                userId);
    }

    /** Revokes an app password of the caller's (its device): refused from the next request on. */
    @Transactional
    public void revoke(long userId, String id) {
        int revoked = jdbc.update(
                "UPDATE devices SET revoked_at = now() WHERE device_id = ? AND user_id = ? AND revoked_at IS NULL"
                        + " AND EXISTS (SELECT 1 FROM app_passwords a WHERE a.user_id = devices.user_id"
                        + " AND a.device_id = devices.device_id)",
                id,
                userId);
        if (revoked != 1) {
            throw new SyncboxException(ErrorCode.NOT_FOUND, "No app password " + id);
        }
        events.publishEvent(new DeviceRevoked(id));
    }

    /** The user and device an email and app password sign in as, if they are a live pair. */
    public Optional<CurrentUser> authenticate(String email, String secret) {
        if (email == null || secret == null || secret.length() > 200) {
            return Optional.empty();
        }
        Key key = new Key(email.strip().toLowerCase(Locale.ROOT), sha256(secret));
        CurrentUser known = valid.getIfPresent(key);
        if (known != null) {
            return Optional.of(known);
        }
        // The email's account first (the address directory), then its app password: both lookups stay within one
        // user's rows, which is one shard when the metadata is distributed (docs/scale-out.md).
        List<Long> account =
                jdbc.queryForList("SELECT user_id FROM user_emails WHERE email = ?", Long.class, key.email());
        if (account.size() != 1) {
            return Optional.empty();
        }
        List<CurrentUser> found = jdbc.query(
                "SELECT a.user_id, a.device_id FROM app_passwords a JOIN devices d"
                        + " ON d.user_id = a.user_id AND d.device_id = a.device_id"
                        + " WHERE a.user_id = ? AND a.secret_sha256 = ? AND d.revoked_at IS NULL",
                (rs, n) -> new CurrentUser(rs.getLong(1), rs.getString(2)),
                account.get(0),
                key.secretSha256());
        if (found.size() != 1) {
            return Optional.empty();
        }
        jdbc.update(
                "UPDATE devices SET last_seen_at = now() WHERE user_id = ? AND device_id = ?"
                        + " AND last_seen_at < now() - interval '5 minutes'",
                found.get(0).userId(),
                found.get(0).deviceId());
        valid.put(key, found.get(0));
        return Optional.of(found.get(0));
    }

    /** This instance refuses a revoked app password from the next request on, once the revocation committed. */
    @TransactionalEventListener(fallbackExecution = true)
    void on(DeviceRevoked revoked) {
        valid.asMap().values().removeIf(user -> user.deviceId().equals(revoked.deviceId()));
    }

    private String secret() {
        StringBuilder secret = new StringBuilder();
        for (int g = 0; g < GROUPS; g++) {
            if (g > 0) {
                secret.append('-');
            }
            for (int i = 0; i < GROUP_LENGTH; i++) {
                secret.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
        }
        return secret.toString();
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

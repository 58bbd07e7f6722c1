package dev.syncbox.server.auth;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Accepts a token only while its device exists and is not revoked. One primary-key lookup per
 * request and no cache, so a revocation takes effect on the very next request, on every instance.
 * It also keeps the device's {@code last_seen_at} (to five minutes).
 */
class ActiveDeviceValidator implements OAuth2TokenValidator<Jwt> {

    private static final OAuth2TokenValidatorResult REVOKED = OAuth2TokenValidatorResult.failure(
            new OAuth2Error("invalid_token", "The device of this token was revoked", null));

    private final JdbcTemplate jdbc;

    ActiveDeviceValidator(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        String deviceId = token.getClaimAsString("device_id");
        if (deviceId == null) {
            return REVOKED;
        }
        long userId = Long.parseLong(token.getSubject());
        List<Boolean> stale = jdbc.query(
                "SELECT last_seen_at < now() - interval '5 minutes' FROM devices"
                        + " WHERE device_id = ? AND user_id = ? AND revoked_at IS NULL",
                (rs, n) -> rs.getBoolean(1),
                deviceId,
                userId);
        if (stale.size() != 1) {
            return REVOKED;
        }
        if (stale.get(0)) {
            // "Last seen" for the device list, written at most every five minutes per device.
            jdbc.update("UPDATE devices SET last_seen_at = now() WHERE device_id = ?", deviceId);
        }
        return OAuth2TokenValidatorResult.success();
    }
}

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
        List<Boolean> active = jdbc.queryForList(
                "SELECT revoked_at IS NULL FROM devices WHERE device_id = ? AND user_id = ?",
                Boolean.class,
                deviceId,
                Long.parseLong(token.getSubject()));
        return active.size() == 1 && active.get(0) ? OAuth2TokenValidatorResult.success() : REVOKED;
    }
}

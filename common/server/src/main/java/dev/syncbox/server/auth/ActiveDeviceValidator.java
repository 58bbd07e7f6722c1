package dev.syncbox.server.auth;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/** Accepts a token only while its device exists and is not revoked ({@link ActiveDevices}). */
class ActiveDeviceValidator implements OAuth2TokenValidator<Jwt> {

    private static final OAuth2TokenValidatorResult REVOKED = OAuth2TokenValidatorResult.failure(
            new OAuth2Error("invalid_token", "The device of this token was revoked", null));

    private final ActiveDevices devices;

    ActiveDeviceValidator(ActiveDevices devices) {
        this.devices = devices;
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        String deviceId = token.getClaimAsString("device_id");
        if (deviceId == null || !devices.isActive(deviceId, Long.parseLong(token.getSubject()))) {
            return REVOKED;
        }
        return OAuth2TokenValidatorResult.success();
    }
}

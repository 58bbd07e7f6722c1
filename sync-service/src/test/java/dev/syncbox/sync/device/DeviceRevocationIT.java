package dev.syncbox.sync.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.server.auth.ActiveDevices;
import dev.syncbox.server.config.SyncboxProperties;
import dev.syncbox.server.testing.Api;
import dev.syncbox.sync.SyncServiceIT;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Devices found active are remembered for a bound (a second in production): a revocation is refused
 * at once by the instance that made it, and by every other instance once the bound has passed.
 * Time is moved with the services' clock, never waited for.
 */
class DeviceRevocationIT extends SyncServiceIT {

    @Autowired
    private SyncboxProperties properties;

    private Duration pastTheBound() {
        return properties.auth().deviceCheckTtl().plusMillis(1);
    }

    @Test
    void shouldRefuseADeviceRevokedElsewhereOnceTheBoundHasPassed() {
        assertThat(api.get("/auth/check", deviceB.bearer()).status()).isEqualTo(200);

        // Another instance revokes it: this one only learns from the database.
        jdbc.update("UPDATE devices SET revoked_at = now() WHERE device_id = ?", deviceB.deviceId());
        clock.advance(pastTheBound());

        Api.Response after = api.get("/auth/check", deviceB.bearer());
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.code()).isEqualTo("unauthorized");
        assertThat(api.get("/auth/check", deviceA.bearer()).status()).isEqualTo(200);
    }

    @Test
    void shouldRefuseARevokedDeviceOnAnotherInstanceOnceTheBoundHasPassed() {
        ActiveDevices otherInstance = new ActiveDevices(jdbc, properties, clock);
        assertThat(otherInstance.isActive(deviceB.deviceId(), deviceB.userId())).isTrue();

        Api.Response revoked = api.json(api.request("/devices/" + deviceB.deviceId())
                .header("Authorization", deviceA.bearer())
                .DELETE());

        assertThat(revoked.status()).isEqualTo(204);
        assertThat(api.get("/auth/check", deviceB.bearer()).status())
                .as("the revoking instance refuses it at once")
                .isEqualTo(401);
        clock.advance(pastTheBound());
        assertThat(otherInstance.isActive(deviceB.deviceId(), deviceB.userId())).isFalse();
    }

    @Test
    void shouldAnswerWhoseTokenItIs() {
        Api.Response check = api.get("/auth/check", deviceA.bearer());

        assertThat(check.status()).isEqualTo(200);
        assertThat(check.body().path("user_id").asLong()).isEqualTo(deviceA.userId());
        assertThat(check.text("device_id")).isEqualTo(deviceA.deviceId());
        assertThat(api.get("/auth/check", null).status()).isEqualTo(401);
        assertThat(api.get("/auth/check", "Bearer not-a-token").status()).isEqualTo(401);
    }
}

package dev.syncbox.sync.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.server.testing.Api;
import dev.syncbox.sync.SyncServiceIT;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceIT extends SyncServiceIT {

    private Api.Response revoke(String bearer, String deviceId) {
        return api.json(api.request("/devices/" + deviceId)
                .header("Authorization", bearer)
                .DELETE());
    }

    @Test
    void shouldListTheUsersDevicesMarkingTheCallersOwn() {
        Api.Response response = api.get("/devices", deviceA.bearer());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().path("devices")).hasSize(2);
        response.body()
                .path("devices")
                .forEach(d -> assertThat(d.path("current").asBoolean())
                        .isEqualTo(d.path("device_id").asString().equals(deviceA.deviceId())));
    }

    @Test
    void shouldRejectARevokedDevicesTokenOnTheNextRequest() {
        assertThat(api.get("/devices", deviceB.bearer()).status()).isEqualTo(200);

        Api.Response revoked = revoke(deviceA.bearer(), deviceB.deviceId());

        assertThat(revoked.status()).isEqualTo(204);
        Api.Response after = api.get("/devices", deviceB.bearer());
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.code()).isEqualTo("unauthorized");
        assertThat(api.get("/devices", deviceA.bearer()).status()).isEqualTo(200);
        assertThat(api.get("/devices", deviceA.bearer())
                        .body()
                        .path("devices")
                        .get(1)
                        .path("revoked_at")
                        .isNull())
                .isFalse();
    }

    @Test
    void shouldRecordWhenADeviceWasLastSeen() {
        jdbc.update(
                "UPDATE devices SET last_seen_at = now() - interval '1 day' WHERE device_id = ?", deviceB.deviceId());

        api.get("/devices", deviceB.bearer());

        java.sql.Timestamp seen = jdbc.queryForObject(
                "SELECT last_seen_at FROM devices WHERE device_id = ?", java.sql.Timestamp.class, deviceB.deviceId());
        assertThat(seen.toInstant()).isAfter(java.time.Instant.now().minus(java.time.Duration.ofHours(1)));
    }

    @Test
    void shouldNotRevokeSomeoneElsesDevice() {
        var stranger = accounts.create();

        Api.Response response = revoke(stranger.bearer(), deviceA.deviceId());

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.code()).isEqualTo("not_found");
        assertThat(api.get("/devices", deviceA.bearer()).status()).isEqualTo(200);
    }

    @Test
    void shouldStoreSelectiveSyncNormalized() {
        Api.Response set = api.json(api.request("/devices/" + deviceB.deviceId() + "/selective-sync")
                .header("Authorization", deviceA.bearer())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"excluded\":[\"/Photos/\",\"/Videos\"]}")));

        assertThat(set.status()).isEqualTo(200);
        assertThat(api
                        .get("/devices/" + deviceB.deviceId() + "/selective-sync", deviceB.bearer())
                        .body()
                        .path("excluded")
                        .values()
                        .stream()
                        .map(n -> n.asString())
                        .toList())
                .isEqualTo(List.of("/Photos", "/Videos"));
    }

    @Test
    void shouldRejectInvalidSelectiveSyncPaths() {
        for (String body : List.of("{\"excluded\":[\"relative\"]}", "{\"excluded\":[\"/\"]}", "{}")) {
            Api.Response response = api.json(api.request("/devices/" + deviceA.deviceId() + "/selective-sync")
                    .header("Authorization", deviceA.bearer())
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(body)));
            assertThat(response.status()).as(body).isEqualTo(400);
        }
    }
}

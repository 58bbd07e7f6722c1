package dev.syncbox.sync.device;

import dev.syncbox.server.web.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
class DeviceController {

    record DeviceView(
            String deviceId, String name, Instant createdAt, Instant lastSeenAt, Instant revokedAt, boolean current) {}

    record DeviceList(List<DeviceView> devices) {}

    record SelectiveSync(@NotNull @Size(max = 1000) List<@NotNull String> excluded) {}

    private final Devices devices;

    DeviceController(Devices devices) {
        this.devices = devices;
    }

    @GetMapping("/devices")
    DeviceList list(CurrentUser user) {
        return new DeviceList(devices.list(user));
    }

    /** Revokes a device: its token stops working on the next request, on every service. */
    @DeleteMapping("/devices/{deviceId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(CurrentUser user, @PathVariable String deviceId) {
        devices.revoke(user, deviceId);
    }

    @GetMapping("/devices/{deviceId}/selective-sync")
    SelectiveSync selectiveSync(CurrentUser user, @PathVariable String deviceId) {
        return new SelectiveSync(devices.excluded(user, deviceId));
    }

    @PutMapping("/devices/{deviceId}/selective-sync")
    SelectiveSync setSelectiveSync(
            CurrentUser user, @PathVariable String deviceId, @Valid @RequestBody SelectiveSync request) {
        return new SelectiveSync(devices.exclude(user, deviceId, request.excluded()));
    }
}

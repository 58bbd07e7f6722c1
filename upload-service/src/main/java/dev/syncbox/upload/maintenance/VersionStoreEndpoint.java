package dev.syncbox.upload.maintenance;

import java.time.Duration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.stereotype.Component;

/**
 * {@code POST /actuator/versionstore} on upload-service's own port, from loopback only: runs the version store now
 * over every committed version, however young, and removes at once the whole objects of blocks it re-stored (a reader
 * that chose one looks the block up again). For operators and the version-store benchmark (docs/version-store.md).
 */
@Component
@Endpoint(id = "versionstore")
class VersionStoreEndpoint {

    private final VersionStore store;

    VersionStoreEndpoint(VersionStore store) {
        this.store = store;
    }

    @WriteOperation
    public VersionStore.Result run() {
        VersionStore.Result first = store.run(Duration.ZERO, Duration.ZERO);
        VersionStore.Result wholes = store.run(Duration.ZERO, Duration.ZERO);
        return new VersionStore.Result(
                first.versions() + wholes.versions(),
                first.restored() + wholes.restored(),
                first.savedBytes() + wholes.savedBytes(),
                first.wholesRemoved() + wholes.wholesRemoved(),
                first.packed() + wholes.packed());
    }
}

package dev.syncbox.sync.dav;

import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.dav.DavConditions;
import dev.syncbox.server.dav.DavLocks;
import dev.syncbox.server.dav.DavPaths;
import dev.syncbox.server.share.Sharing;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * What every DAV write checks before it changes anything: the {@code If} header (each tagged resource's state being
 * its ETag and the tokens of the locks covering it; 412 when it does not hold) and the locks the change needs the
 * tokens of (423).
 */
@Component
class DavGuards {

    private final DavResources resources;
    private final DavProperties properties;
    private final DavLocks locks;
    private final Sharing sharing;

    DavGuards(DavResources resources, DavProperties properties, DavLocks locks, Sharing sharing) {
        this.resources = resources;
        this.properties = properties;
        this.locks = locks;
        this.sharing = sharing;
    }

    /** 412 unless the request's If header holds. */
    void conditions(DavCall call) {
        DavConditions conditions = call.conditions();
        if (!conditions.present()) {
            return;
        }
        if (!conditions.holds(tag -> state(call, tag))) {
            throw DavConditions.failed();
        }
    }

    private DavConditions.State state(DavCall call, String tag) {
        String path;
        if (tag == null) {
            path = call.path();
        } else {
            try {
                path = DavPaths.destination(tag, call.host(), call.email()).path();
            } catch (SyncboxException e) {
                return new DavConditions.State(null, Set.of());
            }
        }
        try {
            String etag = resources
                    .find(call.userId(), path)
                    .map(r -> properties.etag(call.userId(), r))
                    .orElse(null);
            Sharing.Location location = sharing.locate(call.userId(), path);
            Set<String> tokens = locks.covering(location.namespaceId(), location.path()).stream()
                    .map(DavLocks.Lock::token)
                    .collect(Collectors.toSet());
            return new DavConditions.State(etag, tokens);
        } catch (SyncboxException e) {
            return new DavConditions.State(null, Set.of());
        }
    }

    /** 423 unless the caller holds (and submitted) every lock a change at {@code path} needs. */
    void locks(DavCall call, String path, boolean membership, boolean descendants) {
        Sharing.Location location = sharing.locate(call.userId(), path);
        locks.require(
                call.userId(),
                location.namespaceId(),
                location.path(),
                membership,
                descendants,
                call.conditions().tokens());
    }

    /** Drops the locks on and beneath {@code path} of the caller's tree (it was deleted or moved away). */
    void release(long namespaceId, String namespacePath) {
        locks.release(namespaceId, namespacePath);
    }
}

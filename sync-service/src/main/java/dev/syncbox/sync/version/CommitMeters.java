package dev.syncbox.sync.version;

import dev.syncbox.conflict.engine.record.CommitMetrics;
import org.springframework.stereotype.Component;

/** sync-service commits versions when it restores one: it exports the commit meters, from zero at start. */
@Component
class CommitMeters {

    CommitMeters(CommitMetrics commits) {
        commits.registerCommitting();
    }
}

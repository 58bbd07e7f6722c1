package dev.syncbox.conflict.api;

import dev.syncbox.conflict.engine.record.CommitMetrics;
import org.springframework.stereotype.Component;

/** Users resolve conflicts here by hand: this service exports the manual resolutions, from zero at start. */
@Component
class ResolutionMeters {

    ResolutionMeters(CommitMetrics commits) {
        commits.registerResolving();
    }
}

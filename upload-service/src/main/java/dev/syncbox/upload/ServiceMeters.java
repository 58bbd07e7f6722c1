package dev.syncbox.upload;

import dev.syncbox.conflict.engine.record.CommitMetrics;
import dev.syncbox.server.content.BlockWriter;
import org.springframework.stereotype.Component;

/**
 * upload-service commits versions and writes blocks: it exports the commit and block meters, from
 * zero at start (docs/metrics.md).
 */
@Component
class ServiceMeters {

    ServiceMeters(CommitMetrics commits, BlockWriter blocks) {
        commits.registerCommitting();
        blocks.registerMeters();
    }
}

package dev.syncbox.indexer.indexing;

import dev.syncbox.server.search.FileIndex;
import dev.syncbox.server.search.SearchIndexException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Cluster health as {@code elasticsearch}, with the indexer's last failure: the index is what this job feeds, so here
 * (and only here) it gates readiness. A red cluster or none is down; the job keeps retrying either way.
 */
@Component("elasticsearch")
class ElasticsearchHealth implements HealthIndicator {

    private final FileIndex index;
    private final Indexer indexer;

    ElasticsearchHealth(FileIndex index, Indexer indexer) {
        this.index = index;
        this.indexer = indexer;
    }

    @Override
    public Health health() {
        try {
            String status = index.health();
            Health.Builder builder = "red".equals(status) ? Health.down() : Health.up();
            builder.withDetail("status", status);
            if (indexer.lastError() != null) {
                builder.withDetail("last_error", indexer.lastError());
            }
            return builder.build();
        } catch (SearchIndexException e) {
            return Health.down().withDetail("error", e.getMessage()).build();
        }
    }
}

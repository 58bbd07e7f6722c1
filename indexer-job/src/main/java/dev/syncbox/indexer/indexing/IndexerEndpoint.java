package dev.syncbox.indexer.indexing;

import java.util.List;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/indexer} on the indexer's own port, from loopback only (docs/search.md): {@code GET} shows the
 * namespaces furthest behind and the last failure; {@code POST} with {@code {"action": "catch-up"}} runs a pass now,
 * with {@code {"action": "reindex"}} rebuilds the index from PostgreSQL.
 */
@Component
@Endpoint(id = "indexer")
class IndexerEndpoint {

    private final Indexer indexer;

    IndexerEndpoint(Indexer indexer) {
        this.indexer = indexer;
    }

    record Status(List<Indexer.Behind> lagging, String lastError) {}

    @ReadOperation
    public Status status() {
        indexer.measure();
        return new Status(indexer.lagging(), indexer.lastError());
    }

    @WriteOperation
    public Object run(String action) {
        return switch (action) {
            case "catch-up" -> indexer.catchUp();
            case "reindex" -> indexer.rebuild();
            default -> throw new IllegalArgumentException("action is catch-up or reindex");
        };
    }
}

package dev.syncbox.server.files;

import dev.syncbox.server.cache.CacheKeys;
import dev.syncbox.server.cache.HotCache;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Drops the cached metadata ({@code file:{id}:metadata}) of every file a committed change touched.
 * After the commit, so a reader cannot refill the key with the state being replaced; whichever write
 * path made the change, it only has to say what happened.
 */
@Component
class MetadataEvictions {

    private static final int BATCH = 1000;

    private final HotCache cache;

    MetadataEvictions(HotCache cache) {
        this.cache = cache;
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(MetadataChange change) {
        List<String> keys =
                change.fileIds().stream().map(CacheKeys::fileMetadata).toList();
        for (int i = 0; i < keys.size(); i += BATCH) {
            cache.delete(keys.subList(i, Math.min(keys.size(), i + BATCH)));
        }
    }
}

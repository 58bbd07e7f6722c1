package dev.syncbox.server.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes Redis must still get: evictions and counter bumps that failed or were skipped while the
 * breaker was open. Dropping them would leave stale entries behind once Redis answers again, so
 * they wait here (bounded) until the background thread delivers them. Each entry carries a token,
 * so one owed again while it was being delivered stays owed.
 */
final class Owed {

    private static final Logger log = LoggerFactory.getLogger(Owed.class);

    record Bump(Duration ttl, long token) {}

    private final Map<String, Long> deletes = new ConcurrentHashMap<>();
    private final Map<String, Bump> bumps = new ConcurrentHashMap<>();
    private final AtomicLong tokens = new AtomicLong();
    private final int max;
    private final Counter dropped;

    Owed(int max, MeterRegistry registry) {
        this.max = max;
        this.dropped = Counter.builder("syncbox.cache.owed.dropped")
                .description("Owed writes given up (too many owed, or refused by Redis); their entries expire")
                .register(registry);
        Gauge.builder("syncbox.cache.owed", this, Owed::size)
                .description("Evictions and counter bumps waiting for Redis to answer again")
                .register(registry);
    }

    boolean isEmpty() {
        return deletes.isEmpty() && bumps.isEmpty();
    }

    int size() {
        return deletes.size() + bumps.size();
    }

    void delete(Collection<String> keys) {
        for (String key : keys) {
            if (!deletes.containsKey(key) && !room()) {
                return;
            }
            deletes.put(key, tokens.incrementAndGet());
        }
    }

    void bump(String key, Duration ttl) {
        if (bumps.containsKey(key) || room()) {
            bumps.put(key, new Bump(ttl, tokens.incrementAndGet()));
        }
    }

    private boolean room() {
        if (size() < max) {
            return true;
        }
        dropped.increment();
        log.warn("more than {} Redis writes owed; dropping one, its entry expires by its TTL", max);
        return false;
    }

    /** Up to {@code limit} owed deletions, with their tokens. */
    Map<String, Long> deletes(int limit) {
        return take(deletes, limit);
    }

    Map<String, Bump> bumps(int limit) {
        return take(bumps, limit);
    }

    private static <V> Map<String, V> take(Map<String, V> from, int limit) {
        Map<String, V> batch = new LinkedHashMap<>();
        for (Map.Entry<String, V> entry : from.entrySet()) {
            if (batch.size() == limit) {
                break;
            }
            batch.put(entry.getKey(), entry.getValue());
        }
        return batch;
    }

    /** Forgets the delivered (or {@code refused}, then counted as dropped) entries not owed again meanwhile. */
    void deleted(Map<String, Long> delivered, boolean refused) {
        delivered.forEach(deletes::remove);
        refused(delivered.size(), refused);
    }

    void bumped(Map<String, Bump> delivered, boolean refused) {
        delivered.forEach(bumps::remove);
        refused(delivered.size(), refused);
    }

    private void refused(int count, boolean refused) {
        if (refused) {
            dropped.increment(count);
            log.warn("Redis refused {} owed writes with an error; dropped, their entries expire by their TTL", count);
        }
    }

    static List<String> keys(Map<String, ?> batch) {
        return new ArrayList<>(batch.keySet());
    }
}

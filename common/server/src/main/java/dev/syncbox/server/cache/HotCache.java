package dev.syncbox.server.cache;

import dev.syncbox.server.config.SyncboxProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * String values in Redis under the seed's keys. A failing Redis is counted and treated as a miss, so
 * callers fall back to PostgreSQL (ARCHITECTURE.md decision 7).
 */
@Component
public class HotCache {

    private static final Logger log = LoggerFactory.getLogger(HotCache.class);

    private final StringRedisTemplate redis;
    private final Counter failures;
    private final String prefix;

    HotCache(StringRedisTemplate redis, MeterRegistry registry, SyncboxProperties properties) {
        this.redis = redis;
        this.prefix = properties.cache().keyPrefix();
        this.failures = Counter.builder("syncbox.cache.failures")
                .description("Redis calls that failed and fell back to the database")
                .register(registry);
    }

    public Optional<String> get(String key) {
        return guard(() -> Optional.ofNullable(redis.opsForValue().get(prefix + key)), Optional.empty());
    }

    /** Values for many keys in one round trip; a missing key gives {@code null} at its position. */
    public List<String> getAll(List<String> keys) {
        List<String> misses = new ArrayList<>(keys.size());
        keys.forEach(k -> misses.add(null));
        if (keys.isEmpty()) {
            return misses;
        }
        List<String> values = guard(
                () -> redis.opsForValue()
                        .multiGet(keys.stream().map(k -> prefix + k).toList()),
                null);
        return values == null ? misses : values;
    }

    public void put(String key, String value, Duration ttl) {
        guard(
                () -> {
                    redis.opsForValue().set(prefix + key, value, ttl);
                    return null;
                },
                null);
    }

    /** Adds one to a counter (created at 1) and keeps it for {@code ttl}; false when Redis failed. */
    public boolean increment(String key, Duration ttl) {
        return guard(
                () -> {
                    redis.opsForValue().increment(prefix + key);
                    redis.expire(prefix + key, ttl);
                    return true;
                },
                false);
    }

    public void delete(Collection<String> keys) {
        if (!keys.isEmpty()) {
            guard(() -> redis.delete(keys.stream().map(k -> prefix + k).toList()), null);
        }
    }

    private <T> T guard(Supplier<T> call, T fallback) {
        try {
            return call.get();
        } catch (DataAccessException | IllegalStateException e) {
            failures.increment();
            log.debug("redis unavailable, falling back: {}", e.toString());
            return fallback;
        }
    }
}

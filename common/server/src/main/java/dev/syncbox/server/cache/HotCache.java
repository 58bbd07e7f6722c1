package dev.syncbox.server.cache;

import dev.syncbox.server.config.SyncboxProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.types.Expiration;
import org.springframework.stereotype.Component;

/**
 * String values in Redis under the seed's keys; never the truth. Every call goes through the
 * {@link RedisGuard} breaker: a failing Redis is a miss, so callers fall back to PostgreSQL, and
 * while it is down no call waits for it. An eviction or counter bump that could not be delivered
 * is owed and replayed once Redis answers; until then this instance reads nothing from Redis, so it
 * never serves an entry it failed to evict (see docs/resilience.md).
 */
@Component
public class HotCache {

    private static final int DELETE_BATCH = 1000;

    private final StringRedisTemplate redis;
    private final RedisGuard guard;
    private final Owed owed;
    private final String prefix;

    HotCache(StringRedisTemplate redis, RedisGuard guard, MeterRegistry registry, SyncboxProperties properties) {
        this.redis = redis;
        this.guard = guard;
        this.prefix = properties.cache().keyPrefix();
        this.owed = new Owed(properties.cache().breaker().maxOwed(), registry);
        guard.inBackground(this::settle);
    }

    public Optional<String> get(String key) {
        if (owes()) {
            return Optional.empty();
        }
        return guard.call(() -> Optional.ofNullable(redis.opsForValue().get(prefix + key)), Optional.empty());
    }

    /** Values for many keys in one round trip; a missing key gives {@code null} at its position. */
    public List<String> getAll(List<String> keys) {
        List<String> misses = new ArrayList<>(keys.size());
        keys.forEach(k -> misses.add(null));
        if (keys.isEmpty() || owes()) {
            return misses;
        }
        List<String> values = guard.call(() -> redis.opsForValue().multiGet(prefixed(keys)), null);
        return values == null ? misses : values;
    }

    public void put(String key, String value, Duration ttl) {
        if (!owes()) {
            guard.run(() -> redis.opsForValue().set(prefix + key, value, ttl));
        }
    }

    /** The same value under many keys, in one pipelined round trip. */
    public void putAll(List<String> keys, String value, Duration ttl) {
        if (keys.isEmpty() || owes()) {
            return;
        }
        if (keys.size() == 1) {
            put(keys.get(0), value, ttl);
            return;
        }
        guard.run(() -> redis.executePipelined((RedisCallback<Object>) connection -> {
            Expiration expiration = Expiration.from(ttl);
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            for (String key : keys) {
                connection
                        .stringCommands()
                        .set((prefix + key).getBytes(StandardCharsets.UTF_8), bytes, expiration, SetOption.upsert());
            }
            return null;
        }));
    }

    /** Adds one to a counter (created at 1) and keeps it for {@code ttl}; false when Redis failed. */
    public boolean increment(String key, Duration ttl) {
        if (owed.isEmpty() && guard.run(() -> bump(key, ttl))) {
            return true;
        }
        owed.bump(key, ttl);
        return false;
    }

    public void delete(Collection<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        List<String> all = List.copyOf(keys);
        if (owed.isEmpty()) {
            for (int i = 0; i < all.size(); i += DELETE_BATCH) {
                List<String> batch = all.subList(i, Math.min(all.size(), i + DELETE_BATCH));
                if (!guard.run(() -> redis.delete(prefixed(batch)))) {
                    owed.delete(all.subList(i, all.size()));
                    return;
                }
            }
            return;
        }
        owed.delete(all);
    }

    /**
     * Delivers what is owed while Redis answers; run by the guard's background thread. A batch Redis
     * refuses with an error reply (it is up, so waiting won't help) is dropped, never retried forever.
     */
    void settle() {
        while (!owed.isEmpty()) {
            Map<String, Long> deletes = owed.deletes(DELETE_BATCH);
            if (!deletes.isEmpty()) {
                RedisGuard.Result result = guard.attemptRun(() -> redis.delete(prefixed(Owed.keys(deletes))));
                if (result == RedisGuard.Result.UNAVAILABLE) {
                    return;
                }
                owed.deleted(deletes, result == RedisGuard.Result.REFUSED);
                continue;
            }
            Map<String, Owed.Bump> bumps = owed.bumps(100);
            RedisGuard.Result result = guard.attemptRun(() -> bumps.forEach((key, bump) -> bump(key, bump.ttl())));
            if (result == RedisGuard.Result.UNAVAILABLE) {
                return;
            }
            owed.bumped(bumps, result == RedisGuard.Result.REFUSED);
        }
    }

    /** True (and counted as a skipped call) while evictions are owed: Redis may hold stale entries. */
    private boolean owes() {
        if (owed.isEmpty()) {
            return false;
        }
        guard.skip();
        return true;
    }

    /** Writes owed and not yet delivered. */
    int owed() {
        return owed.size();
    }

    private void bump(String key, Duration ttl) {
        redis.opsForValue().increment(prefix + key);
        redis.expire(prefix + key, ttl);
    }

    private List<String> prefixed(List<String> keys) {
        return keys.stream().map(k -> prefix + k).toList();
    }
}

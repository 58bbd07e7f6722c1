package dev.syncbox.server.cache;

import dev.syncbox.server.health.Degraded;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Redis in health as {@code redis}: UP when it answers a PING, DEGRADED (still HTTP 200) when it
 * does not, since every service is correct without the cache. An open breaker answers at once.
 */
@Component("redisHealthIndicator")
class RedisHealthIndicator implements HealthIndicator {

    private final RedisGuard guard;

    RedisHealthIndicator(RedisGuard guard) {
        this.guard = guard;
    }

    @Override
    public Health health() {
        Health.Builder health = guard.ping() ? Health.up() : Health.status(Degraded.STATUS);
        return health.withDetail("breaker", guard.state().name()).build();
    }
}

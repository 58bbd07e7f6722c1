package dev.syncbox.server.cache;

import dev.syncbox.core.hash.Sha256;
import dev.syncbox.server.config.SyncboxProperties;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Failure counts (and request rates) shared by every instance: one Bucket4j token bucket in Redis per limited subject
 * (an account, a client address), holding as many tokens as failures allowed and refilled whole
 * once per window. Behind the same breaker as the cache and failing open: when Redis cannot be
 * asked, nothing is limited, since locking everyone out would be worse than a slower brute force.
 * Each bucket is one key, changed by one script call: it works the same on a Redis Cluster, where
 * the buckets spread over the nodes.
 */
@Component
public class FailureLimits implements DisposableBean {

    /** At most {@code failures} per {@code window} for {@code subject} of {@code kind}. */
    public record Limit(String kind, String subject, int failures, Duration window) {}

    private final RedisConnectionFactory connections;
    private final RedisGuard guard;
    private final String prefix;
    private StatefulConnection<String, byte[]> connection;
    private ProxyManager<String> buckets;

    FailureLimits(RedisConnectionFactory connections, RedisGuard guard, SyncboxProperties properties) {
        this.connections = connections;
        this.guard = guard;
        this.prefix = properties.cache().keyPrefix() + "limits:";
    }

    /**
     * How long until every limit allows one more failure: zero when they all do now, and when Redis
     * cannot say.
     */
    public Duration retryAfter(List<Limit> limits) {
        long nanos = 0;
        for (Limit limit : limits) {
            Optional<EstimationProbe> probe =
                    guard.call(() -> Optional.of(bucket(limit).estimateAbilityToConsume(1)), Optional.empty());
            if (probe.isPresent() && !probe.get().canBeConsumed()) {
                nanos = Math.max(nanos, probe.get().getNanosToWaitForRefill());
            }
        }
        return Duration.ofNanos(nanos);
    }

    /** Counts one failure against each limit; none when Redis cannot be reached. */
    public void failed(List<Limit> limits) {
        for (Limit limit : limits) {
            guard.run(() -> bucket(limit).tryConsume(1));
        }
    }

    /**
     * Counts one request against {@code limit} when it has one left: zero then, else how long until it has (the
     * request is not counted). Zero when Redis cannot say: a rate limit fails open too.
     */
    public Duration consume(Limit limit) {
        return guard.call(
                () -> {
                    ConsumptionProbe probe = bucket(limit).tryConsumeAndReturnRemaining(1);
                    return probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill());
                },
                Duration.ZERO);
    }

    /** Forgets the failures counted against {@code limit}; nothing when Redis cannot be reached. */
    public void clear(Limit limit) {
        guard.run(() -> buckets().removeProxy(key(limit)));
    }

    private Bucket bucket(Limit limit) {
        return buckets()
                .builder()
                .build(
                        key(limit),
                        () -> BucketConfiguration.builder()
                                .addLimit(band -> band.capacity(limit.failures())
                                        .refillIntervally(limit.failures(), limit.window()))
                                .build());
    }

    private String key(Limit limit) {
        // Subjects are hashed: no email address or client address is stored in Redis.
        return prefix + limit.kind() + ":" + Sha256.hex(limit.subject().getBytes(StandardCharsets.UTF_8));
    }

    /** The connection is opened on first use, inside the guarded call; Lettuce keeps it up after. */
    private synchronized ProxyManager<String> buckets() {
        if (buckets == null) {
            AbstractRedisClient client = ((LettuceConnectionFactory) connections).getRequiredNativeClient();
            RedisCodec<String, byte[]> codec = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
            Bucket4jLettuce.LettuceBasedProxyManagerBuilder<String> builder;
            if (client instanceof RedisClusterClient cluster) {
                StatefulRedisClusterConnection<String, byte[]> opened = cluster.connect(codec);
                connection = opened;
                builder = Bucket4jLettuce.casBasedBuilder(opened);
            } else {
                StatefulRedisConnection<String, byte[]> opened = ((RedisClient) client).connect(codec);
                connection = opened;
                builder = Bucket4jLettuce.casBasedBuilder(opened);
            }
            buckets = builder.expirationAfterWrite(
                            ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
                    .build();
        }
        return buckets;
    }

    @Override
    public synchronized void destroy() {
        if (connection != null) {
            connection.close();
        }
    }
}

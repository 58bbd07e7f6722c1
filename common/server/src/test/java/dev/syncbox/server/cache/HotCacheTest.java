package dev.syncbox.server.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.syncbox.server.config.SyncboxProperties;
import dev.syncbox.server.testing.MutableClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lettuce.core.RedisCommandExecutionException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ValueOperations;

/** The breaker in front of Redis, against a stand-in template: what reaches Redis and when. */
class HotCacheTest {

    private static final Duration OPEN_FOR = Duration.ofSeconds(5);

    private final MutableClock clock = new MutableClock();
    private SimpleMeterRegistry registry;
    private StringRedisTemplate redis;
    private ValueOperations<String, String> values;
    private RedisGuard guard;
    private HotCache cache;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void setUp() {
        redis = mock(StringRedisTemplate.class);
        values = mock(ValueOperations.class);
        when(redis.opsForValue()).thenReturn(values);
        cache = cacheWith(100);
    }

    private HotCache cacheWith(int maxOwed) {
        SyncboxProperties.Breaker breaker = new SyncboxProperties.Breaker(1, OPEN_FOR, Duration.ofSeconds(1), maxOwed);
        SyncboxProperties properties = new SyncboxProperties(
                null,
                null,
                null,
                null,
                new SyncboxProperties.Cache(Duration.ofHours(1), Duration.ofDays(7), "p:", breaker),
                null,
                null,
                null,
                null);
        registry = new SimpleMeterRegistry();
        guard = new RedisGuard(redis, registry, breaker, clock, false);
        return new HotCache(redis, guard, registry, properties);
    }

    private void redisDown() {
        RedisConnectionFailureException down = new RedisConnectionFailureException("connection refused");
        when(values.get(anyString())).thenThrow(down);
        when(redis.delete(anyCollection())).thenThrow(down);
        when(redis.execute(any(RedisCallback.class))).thenThrow(down);
    }

    private void redisBack() {
        org.mockito.Mockito.reset(values, redis);
        when(redis.opsForValue()).thenReturn(values);
        when(values.get("p:a")).thenReturn("cached");
        when(redis.execute(any(RedisCallback.class))).thenReturn("PONG");
        when(redis.delete(anyCollection())).thenReturn(1L);
    }

    private double breakerGauge() {
        return registry.get("syncbox.cache.breaker.state").gauge().value();
    }

    @Test
    void shouldOpenOnAFailureAndSendNothingToRedisWhileOpen() {
        redisDown();

        assertThat(cache.get("a")).isEmpty();
        for (int i = 0; i < 5; i++) {
            assertThat(cache.get("a")).isEmpty();
            cache.put("a", "v", Duration.ofMinutes(1));
        }
        guard.tick();

        assertThat(guard.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breakerGauge()).isEqualTo(2);
        verify(values, times(1)).get(anyString());
        verify(values, never()).set(anyString(), anyString(), any(Duration.class));
        verify(redis, never()).execute(any(RedisCallback.class));
        assertThat(registry.get("syncbox.cache.skipped").counter().count()).isEqualTo(11);
        assertThat(registry.get("syncbox.cache.failures").counter().count()).isEqualTo(1);
    }

    @Test
    void shouldCloseAfterTheOpenPeriodWhenTheBackgroundProbeIsAnswered() {
        redisDown();
        cache.get("a");
        clock.advance(OPEN_FOR.plusSeconds(1));
        guard.tick();
        assertThat(guard.state()).as("the probe failed: open again").isEqualTo(CircuitBreaker.State.OPEN);

        redisBack();
        guard.tick();
        assertThat(guard.state()).as("the probe waits out another open period").isEqualTo(CircuitBreaker.State.OPEN);
        clock.advance(OPEN_FOR.plusSeconds(1));
        guard.tick();

        assertThat(guard.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breakerGauge()).isZero();
        assertThat(cache.get("a")).contains("cached");
    }

    @Test
    void shouldKeepUsingRedisWhenAnAnswerIsSlowButInTime() {
        // A cold JVM's first call on a loaded machine: slow, yet Redis is fine.
        when(values.get("p:a")).thenAnswer(call -> {
            Thread.sleep(1500);
            return "slow";
        });

        assertThat(cache.get("a")).contains("slow");

        assertThat(guard.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void shouldReplayAnEvictionItCouldNotDeliverAndReadNothingUntilThen() {
        redisDown();
        cache.delete(List.of("a"));
        cache.delete(List.of("b"));
        assertThat(cache.owed()).isEqualTo(2);

        redisBack();
        clock.advance(OPEN_FOR.plusSeconds(1));
        assertThat(guard.ping()).isTrue();
        assertThat(guard.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(cache.get("a")).as("still owing an eviction of it").isEmpty();
        verify(values, never()).get(anyString());

        guard.tick();

        verify(redis).delete(List.of("p:a", "p:b"));
        assertThat(cache.owed()).isZero();
        assertThat(cache.get("a")).contains("cached");
    }

    @Test
    void shouldReplayACounterBumpItCouldNotDeliver() {
        redisDown();
        when(values.increment(anyString())).thenThrow(new RedisConnectionFailureException("down"));

        assertThat(cache.increment("generation", Duration.ofDays(1))).isFalse();
        assertThat(cache.increment("generation", Duration.ofDays(1))).isFalse();
        assertThat(cache.owed()).as("bumps of one key collapse").isEqualTo(1);

        redisBack();
        clock.advance(OPEN_FOR.plusSeconds(1));
        guard.tick();

        verify(values, times(1)).increment("p:generation");
        verify(redis).expire("p:generation", Duration.ofDays(1));
        assertThat(cache.owed()).isZero();
    }

    @Test
    void shouldGiveUpAnOwedWriteThatRedisRefusesInsteadOfOwingItForever() {
        when(values.increment(anyString()))
                .thenThrow(new RedisSystemException(
                        "Error in execution", new RedisCommandExecutionException("WRONGTYPE not an integer")));
        when(values.get("p:a")).thenReturn("cached");

        assertThat(cache.increment("generation", Duration.ofDays(1))).isFalse();
        assertThat(guard.state()).as("Redis answered: not an outage").isEqualTo(CircuitBreaker.State.CLOSED);
        guard.tick();

        assertThat(cache.owed()).isZero();
        assertThat(registry.get("syncbox.cache.owed.dropped").counter().count()).isEqualTo(1);
        assertThat(cache.get("a")).contains("cached");
    }

    @Test
    void shouldKeepOnlyAsManyOwedEvictionsAsAllowedAndCountTheRest() {
        cache = cacheWith(2);
        redisDown();

        cache.delete(List.of("a", "b", "c"));

        assertThat(cache.owed()).isEqualTo(2);
        assertThat(registry.get("syncbox.cache.owed.dropped").counter().count()).isEqualTo(1);
    }

    @Test
    void shouldNeverFailOrWaitForAPublishWhileRedisIsDown() {
        // Sent on the caller's thread here, so that the test sees each send as it happens.
        ChangeBus bus =
                new ChangeBus(redis, mock(RedisConnectionFactory.class), guard, propertiesForBus(), Runnable::run);
        when(redis.convertAndSend(anyString(), anyString()))
                .thenThrow(new RedisConnectionFailureException("connection refused"));

        bus.publish(7);
        bus.publish(8);
        bus.publish(9);

        verify(redis, times(1)).convertAndSend("p:syncbox:namespace-changes", "7");
        assertThat(guard.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void aPublishIsSentByAThreadOfItsOwnAndCoversTheChangesQueuedBehindIt() {
        List<Runnable> sends = new ArrayList<>();
        ChangeBus bus = new ChangeBus(redis, mock(RedisConnectionFactory.class), guard, propertiesForBus(), sends::add);

        bus.publish(7);
        bus.publish(7);
        bus.publish(8);

        // Nothing sent on the caller's thread; one send queued per namespace.
        verify(redis, never()).convertAndSend(anyString(), anyString());
        assertThat(sends).hasSize(2);
        sends.remove(0).run();
        verify(redis).convertAndSend("p:syncbox:namespace-changes", "7");
        // Once 7's send has started, a newer change of 7 is announced again.
        bus.publish(7);
        assertThat(sends).hasSize(2);
    }

    private static SyncboxProperties propertiesForBus() {
        return new SyncboxProperties(
                null,
                null,
                null,
                null,
                new SyncboxProperties.Cache(
                        Duration.ofHours(1),
                        Duration.ofDays(7),
                        "p:",
                        new SyncboxProperties.Breaker(1, OPEN_FOR, Duration.ofSeconds(1), 10)),
                null,
                null,
                null,
                null);
    }
}

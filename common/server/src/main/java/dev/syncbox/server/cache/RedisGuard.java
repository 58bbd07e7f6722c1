package dev.syncbox.server.cache;

import dev.syncbox.server.config.SyncboxProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.lettuce.core.RedisCommandExecutionException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The circuit breaker every Redis call goes through. A failed call (an error or a timeout) opens
 * it; while open no call reaches Redis (the caller gets its fallback at once), and a background
 * probe pings Redis every second once the open period is over, closing the breaker as soon as Redis
 * answers. Work that must reach Redis eventually (owed evictions, the pub/sub subscription) runs on
 * the same background thread.
 */
@Component
class RedisGuard implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RedisGuard.class);

    private final StringRedisTemplate redis;
    private final CircuitBreaker breaker;
    private final Counter failures;
    private final Counter skipped;
    private final List<Runnable> background = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler;

    @Autowired
    RedisGuard(StringRedisTemplate redis, MeterRegistry registry, SyncboxProperties properties) {
        this(redis, registry, properties.cache().breaker(), Clock.systemUTC(), true);
    }

    /** {@code scheduled} false leaves the probe to the caller of {@link #tick()} (unit tests). */
    RedisGuard(
            StringRedisTemplate redis,
            MeterRegistry registry,
            SyncboxProperties.Breaker settings,
            Clock clock,
            boolean scheduled) {
        this.redis = redis;
        this.breaker = CircuitBreaker.of(
                "redis",
                CircuitBreakerConfig.custom()
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(settings.failuresToOpen())
                        .minimumNumberOfCalls(settings.failuresToOpen())
                        .failureRateThreshold(100)
                        // slowness alone never opens it: a cold JVM's first call is slow on a loaded machine
                        .slowCallRateThreshold(100)
                        .slowCallDurationThreshold(Duration.ofDays(1))
                        .waitDurationInOpenState(settings.openFor())
                        .permittedNumberOfCallsInHalfOpenState(1)
                        // a probe that never reports back must not hold the breaker half-open forever
                        .maxWaitDurationInHalfOpenState(settings.openFor().multipliedBy(2))
                        .ignoreException(RedisGuard::answeredWithError)
                        .writableStackTraceEnabled(false)
                        .clock(clock)
                        .build());
        this.failures = Counter.builder("syncbox.cache.failures")
                .description("Redis calls that failed and fell back to the database")
                .register(registry);
        this.skipped = Counter.builder("syncbox.cache.skipped")
                .description("Redis calls not made: the breaker was open, or evictions were still owed")
                .register(registry);
        Gauge.builder("syncbox.cache.breaker.state", breaker, RedisGuard::stateValue)
                .description("The Redis circuit breaker: 0 closed, 1 half-open, 2 open")
                .register(registry);
        breaker.getEventPublisher()
                .onStateTransition(e -> log.info("redis circuit breaker: {}", e.getStateTransition()));
        if (scheduled) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "redis-guard");
                thread.setDaemon(true);
                return thread;
            });
            long every = settings.probeEvery().toMillis();
            scheduler.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
        } else {
            scheduler = null;
        }
    }

    private static double stateValue(CircuitBreaker breaker) {
        return switch (breaker.getState()) {
            case CLOSED, DISABLED, METRICS_ONLY -> 0;
            case HALF_OPEN -> 1;
            default -> 2;
        };
    }

    CircuitBreaker.State state() {
        return breaker.getState();
    }

    /**
     * Runs {@code call} against Redis unless the breaker is open; {@code fallback} when it is, or
     * when the call fails (the failure is counted and feeds the breaker).
     */
    <T> T call(Supplier<T> call, T fallback) {
        Outcome<T> outcome = attempt(call);
        return outcome.ok() ? outcome.value() : fallback;
    }

    /** Like {@link #call} for a side effect; true when it reached Redis and succeeded. */
    boolean run(Runnable call) {
        return attemptRun(call) == Result.DONE;
    }

    /** How a side effect went: done, Redis not reached, or Redis answered with an error. */
    enum Result {
        DONE,
        UNAVAILABLE,
        REFUSED
    }

    Result attemptRun(Runnable call) {
        return attempt(() -> {
                    call.run();
                    return Boolean.TRUE;
                })
                .result();
    }

    private <T> Outcome<T> attempt(Supplier<T> call) {
        if (!breaker.tryAcquirePermission()) {
            skipped.increment();
            return Outcome.failed(Result.UNAVAILABLE);
        }
        long start = System.nanoTime();
        try {
            T value = call.get();
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return new Outcome<>(Result.DONE, value);
        } catch (RuntimeException e) {
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            failures.increment();
            log.debug("redis call failed, falling back: {}", e.toString());
            return Outcome.failed(answeredWithError(e) ? Result.REFUSED : Result.UNAVAILABLE);
        }
    }

    /** Redis answered, with an error reply: it is up, so the breaker ignores it. */
    private static boolean answeredWithError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RedisCommandExecutionException) {
                return true;
            }
        }
        return false;
    }

    private record Outcome<T>(Result result, T value) {

        boolean ok() {
            return result == Result.DONE;
        }

        static <T> Outcome<T> failed(Result result) {
            return new Outcome<>(result, null);
        }
    }

    /** Counts a call the caller chose not to make (it still owes Redis evictions). */
    void skip() {
        skipped.increment();
    }

    /** True when Redis answered a PING now; an open breaker answers false without asking. */
    boolean ping() {
        return run(() -> redis.execute((RedisCallback<String>) RedisConnection::ping));
    }

    /** Adds work for the background thread, run after every probe (it must not throw). */
    void inBackground(Runnable work) {
        background.add(work);
    }

    /** One round of the background thread: probe a breaker that is not closed, then the owed work. */
    void tick() {
        try {
            if (breaker.getState() != CircuitBreaker.State.CLOSED) {
                ping();
            }
            background.forEach(Runnable::run);
        } catch (RuntimeException e) {
            log.warn("redis background work failed", e);
        }
    }

    @Override
    public void destroy() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}

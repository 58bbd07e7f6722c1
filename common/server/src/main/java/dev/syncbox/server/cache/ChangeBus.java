package dev.syncbox.server.cache;

import dev.syncbox.server.config.SyncboxProperties;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Tells every instance that a namespace's journal moved, over Redis pub/sub, so long-polls wake
 * within milliseconds wherever they wait. Publishing goes through the {@link RedisGuard} breaker;
 * the subscription is retried in the background until made and comes back by itself after Redis
 * restarts. A lost
 * message only delays a wake-up: waiters also poll the journal heads (see docs/sync.md).
 */
@Component
public class ChangeBus implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ChangeBus.class);

    private final StringRedisTemplate redis;
    private final RedisGuard guard;
    private final String channel;
    private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();
    private final ChangeSubscription subscription;
    private final Executor publisher;
    // Namespaces whose announcement is queued: each at most once, so the queue is bounded by the
    // namespaces that changed, however many changes they had.
    private final Set<Long> queued = ConcurrentHashMap.newKeySet();
    private boolean subscribing;

    @Autowired
    ChangeBus(
            StringRedisTemplate redis,
            RedisConnectionFactory connections,
            RedisGuard guard,
            SyncboxProperties properties) {
        this(redis, connections, guard, properties, Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "change-bus-publisher");
            thread.setDaemon(true);
            return thread;
        }));
    }

    ChangeBus(
            StringRedisTemplate redis,
            RedisConnectionFactory connections,
            RedisGuard guard,
            SyncboxProperties properties,
            Executor publisher) {
        this.redis = redis;
        this.guard = guard;
        this.publisher = publisher;
        this.channel = properties.cache().keyPrefix() + "syncbox:namespace-changes";
        this.subscription = new ChangeSubscription(connections, guard, channel, this::deliver);
    }

    /**
     * Announces that {@code namespaceId} has new journal entries; never fails or blocks the caller.
     * The message is sent by a thread of its own, so a request that committed a change does not wait
     * for a Redis round trip (nor for Redis's timeout when it is slow). An announcement already
     * queued for the namespace covers a newer change: it is taken off the queue before it is sent.
     */
    public void publish(long namespaceId) {
        if (!queued.add(namespaceId)) {
            return;
        }
        try {
            publisher.execute(() -> {
                queued.remove(namespaceId);
                guard.run(() -> redis.convertAndSend(channel, Long.toString(namespaceId)));
            });
        } catch (RejectedExecutionException e) {
            // Shutting down: the waiters' poll of the journal heads still finds the change.
            queued.remove(namespaceId);
        }
    }

    /**
     * Calls {@code listener} with the namespace id of every change announced by any instance, from
     * the moment the subscription is made. Never fails: without Redis it returns after one attempt
     * (seconds at most) and the subscription is made in the background once Redis answers.
     */
    public synchronized void subscribe(LongConsumer listener) {
        listeners.add(listener);
        if (!subscribing) {
            subscribing = true;
            subscription.start();
        }
    }

    /** True while the pub/sub connection is up. */
    boolean subscribed() {
        return subscription.subscribed();
    }

    private void deliver(String message) {
        long namespaceId;
        try {
            namespaceId = Long.parseLong(message);
        } catch (NumberFormatException e) {
            log.debug("ignoring a malformed change message: {}", message);
            return;
        }
        for (LongConsumer listener : listeners) {
            try {
                listener.accept(namespaceId);
            } catch (RuntimeException e) {
                log.warn("a change listener failed", e);
            }
        }
    }

    @Override
    public void destroy() {
        subscription.stop();
        if (publisher instanceof ExecutorService service) {
            service.shutdown();
        }
    }
}

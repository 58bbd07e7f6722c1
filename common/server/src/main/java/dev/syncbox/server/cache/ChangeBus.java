package dev.syncbox.server.cache;

import dev.syncbox.server.config.SyncboxProperties;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
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
    private boolean subscribing;

    ChangeBus(
            StringRedisTemplate redis,
            RedisConnectionFactory connections,
            RedisGuard guard,
            SyncboxProperties properties) {
        this.redis = redis;
        this.guard = guard;
        this.channel = properties.cache().keyPrefix() + "syncbox:namespace-changes";
        this.subscription = new ChangeSubscription(connections, guard, channel, this::deliver);
    }

    /** Announces that {@code namespaceId} has new journal entries; never fails or blocks the caller. */
    public void publish(long namespaceId) {
        guard.run(() -> redis.convertAndSend(channel, Long.toString(namespaceId)));
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
    }
}

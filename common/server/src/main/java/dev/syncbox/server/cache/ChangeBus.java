package dev.syncbox.server.cache;

import dev.syncbox.server.config.SyncboxProperties;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Tells every instance that a namespace's journal moved, over Redis pub/sub, so long-polls wake
 * within milliseconds wherever they wait. A lost message only delays a wake-up: waiters also poll
 * the journal heads (ARCHITECTURE.md decision 7).
 */
@Component
public class ChangeBus implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ChangeBus.class);

    private final StringRedisTemplate redis;
    private final RedisConnectionFactory connections;
    private final String channel;
    private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();
    private RedisMessageListenerContainer container;

    ChangeBus(StringRedisTemplate redis, RedisConnectionFactory connections, SyncboxProperties properties) {
        this.redis = redis;
        this.connections = connections;
        this.channel = properties.cache().keyPrefix() + "syncbox:namespace-changes";
    }

    /** Announces that {@code namespaceId} has new journal entries; never fails the caller. */
    public void publish(long namespaceId) {
        try {
            redis.convertAndSend(channel, Long.toString(namespaceId));
        } catch (DataAccessException | IllegalStateException e) {
            log.debug("could not publish a change of namespace {}: {}", namespaceId, e.toString());
        }
    }

    /** Calls {@code listener} with the namespace id of every change announced by any instance. */
    public synchronized void subscribe(LongConsumer listener) {
        listeners.add(listener);
        if (container == null) {
            container = new RedisMessageListenerContainer();
            container.setConnectionFactory(connections);
            container.addMessageListener(
                    (message, pattern) -> {
                        long namespaceId = Long.parseLong(new String(message.getBody(), StandardCharsets.UTF_8));
                        listeners.forEach(l -> l.accept(namespaceId));
                    },
                    new ChannelTopic(channel));
            container.afterPropertiesSet();
            container.start();
        }
    }

    @Override
    public synchronized void destroy() throws Exception {
        if (container != null) {
            container.destroy();
        }
    }
}

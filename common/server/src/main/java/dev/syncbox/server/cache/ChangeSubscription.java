package dev.syncbox.server.cache;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * One pub/sub connection to one channel. The first attempt is made by the subscriber (during
 * start-up: an instance that is ready has subscribed whenever Redis answered); if it fails, start-up
 * goes on and the guard's background thread tries again every second. The attempts go through the
 * breaker, so while it is open they cost nothing and Redis is asked once per open period. Once
 * subscribed, Lettuce reconnects a lost connection and subscribes it again by itself.
 *
 * <p>Against a Redis Cluster the subscription is made on one node (Lettuce's cluster pub/sub
 * connection, on its default node): a message published on any node reaches every node's
 * subscribers through the cluster bus.
 */
final class ChangeSubscription {

    private static final Logger log = LoggerFactory.getLogger(ChangeSubscription.class);

    private final RedisConnectionFactory connections;
    private final RedisGuard guard;
    private final String channel;
    private final Consumer<String> onMessage;
    private volatile StatefulRedisPubSubConnection<String, String> connection;
    private volatile boolean started;
    private volatile boolean stopped;
    private boolean toldUnavailable;

    ChangeSubscription(
            RedisConnectionFactory connections, RedisGuard guard, String channel, Consumer<String> onMessage) {
        this.connections = connections;
        this.guard = guard;
        this.channel = channel;
        this.onMessage = onMessage;
        guard.inBackground(this::connect);
    }

    /** One attempt now, bounded by the Redis timeouts; retries come with every background round. */
    void start() {
        started = true;
        connect();
    }

    boolean subscribed() {
        StatefulRedisPubSubConnection<String, String> current = connection;
        return current != null && current.isOpen();
    }

    private synchronized void connect() {
        if (!started || stopped || connection != null) {
            return;
        }
        AtomicReference<StatefulRedisPubSubConnection<String, String>> opened = new AtomicReference<>();
        boolean done = guard.run(() -> {
            StatefulRedisPubSubConnection<String, String> pubSub = connectPubSub();
            opened.set(pubSub);
            pubSub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String from, String message) {
                    if (channel.equals(from)) {
                        onMessage.accept(message);
                    }
                }
            });
            pubSub.sync().subscribe(channel);
        });
        if (done) {
            connection = opened.get();
            toldUnavailable = false;
            log.info("subscribed to {}", channel);
            return;
        }
        if (opened.get() != null) {
            opened.get().closeAsync();
        }
        if (!toldUnavailable) {
            toldUnavailable = true;
            log.info("not subscribed to {} yet: Redis unavailable; trying again in the background", channel);
        }
    }

    /** A pub/sub connection from the client the factory made: a cluster client with cluster nodes set. */
    private StatefulRedisPubSubConnection<String, String> connectPubSub() {
        AbstractRedisClient client = ((LettuceConnectionFactory) connections).getRequiredNativeClient();
        if (client instanceof RedisClusterClient cluster) {
            return cluster.connectPubSub(StringCodec.UTF8);
        }
        return ((RedisClient) client).connectPubSub(StringCodec.UTF8);
    }

    synchronized void stop() {
        stopped = true;
        if (connection != null) {
            connection.close();
        }
    }
}

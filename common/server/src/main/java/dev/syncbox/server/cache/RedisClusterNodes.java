package dev.syncbox.server.cache;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Redis Cluster by configuration alone: {@code syncbox.redis.cluster-nodes} (SYNCBOX_REDIS_CLUSTER_NODES,
 * comma-separated host:port) becomes {@code spring.data.redis.cluster.nodes} when it is set and not
 * blank, and Spring Boot then makes a cluster client. Mapped here rather than in syncbox-common.yml:
 * an empty {@code spring.data.redis.cluster.nodes} still puts Spring Boot in cluster mode (with no
 * nodes), so the single-node default must not set it at all. Runs after the config files are read,
 * and an explicit {@code spring.data.redis.cluster.nodes} wins.
 */
public class RedisClusterNodes implements EnvironmentPostProcessor, Ordered {

    static final String NODES = "syncbox.redis.cluster-nodes";
    static final String SPRING_NODES = "spring.data.redis.cluster.nodes";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String nodes = environment.getProperty(NODES, "").trim();
        if (!nodes.isEmpty() && !environment.containsProperty(SPRING_NODES)) {
            environment
                    .getPropertySources()
                    .addLast(new MapPropertySource("syncboxRedisCluster", Map.of(SPRING_NODES, nodes)));
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}

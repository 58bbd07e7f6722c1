package dev.syncbox.server.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

class RedisClusterNodesTest {

    private final RedisClusterNodes nodes = new RedisClusterNodes();

    @Test
    void shouldLeaveSpringBootOnOneNodeWhenNoClusterIsGiven() {
        for (String value : new String[] {null, "", "  "}) {
            MockEnvironment environment = new MockEnvironment();
            if (value != null) {
                environment.setProperty("syncbox.redis.cluster-nodes", value);
            }

            nodes.postProcessEnvironment(environment, new SpringApplication());

            assertThat(environment.containsProperty("spring.data.redis.cluster.nodes"))
                    .as("[%s]", value)
                    .isFalse();
        }
    }

    @Test
    void shouldGiveSpringBootTheClusterNodes() {
        MockEnvironment environment = new MockEnvironment();
        environment.setProperty("syncbox.redis.cluster-nodes", " 10.0.0.1:6379,10.0.0.2:6379 ");

        nodes.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("spring.data.redis.cluster.nodes")).isEqualTo("10.0.0.1:6379,10.0.0.2:6379");
    }

    @Test
    void shouldLetAnExplicitSpringPropertyWin() {
        MockEnvironment environment = new MockEnvironment();
        environment.setProperty("syncbox.redis.cluster-nodes", "10.0.0.1:6379");
        environment.setProperty("spring.data.redis.cluster.nodes", "10.0.0.9:6379");

        nodes.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("spring.data.redis.cluster.nodes")).isEqualTo("10.0.0.9:6379");
    }
}

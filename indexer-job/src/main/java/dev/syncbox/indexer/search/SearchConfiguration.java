package dev.syncbox.indexer.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.cluster.HealthResponse;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import java.io.IOException;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SearchConfiguration {

    @Bean(destroyMethod = "close")
    RestClient elasticsearchRestClient(@Value("${syncbox.search.url:http://127.0.0.1:19200}") String url) {
        // Seconds, not the client's defaults: a hung Elasticsearch must not hold a health probe for long.
        return RestClient.builder(HttpHost.create(url))
                .setRequestConfigCallback(
                        config -> config.setConnectTimeout(3_000).setSocketTimeout(10_000))
                .build();
    }

    @Bean
    ElasticsearchClient elasticsearchClient(RestClient elasticsearchRestClient) {
        return new ElasticsearchClient(new RestClientTransport(elasticsearchRestClient, new JacksonJsonpMapper()));
    }

    /**
     * Cluster health as {@code elasticsearch}, since this Elasticsearch build answers no {@code GET
     * /}. Search needs it, so here (and only here) it gates readiness.
     */
    @Bean
    HealthIndicator elasticsearchHealthIndicator(ElasticsearchClient client) {
        return () -> {
            try {
                HealthResponse health = client.cluster().health();
                Health.Builder builder = switch (health.status()) {
                    case Red -> Health.down();
                    default -> Health.up();
                };
                return builder.withDetail("cluster", health.clusterName())
                        .withDetail("status", health.status().jsonValue())
                        .build();
            } catch (IOException | RuntimeException e) {
                return Health.down().withDetail("error", e.toString()).build();
            }
        };
    }
}

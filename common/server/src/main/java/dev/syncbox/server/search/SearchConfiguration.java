package dev.syncbox.server.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("syncbox.search.url")
class SearchConfiguration {

    @Bean(destroyMethod = "close")
    RestClient elasticsearchRestClient(
            @Value("${syncbox.search.url}") String url,
            @Value("${syncbox.search.connect-timeout-ms:2000}") int connectTimeout,
            @Value("${syncbox.search.socket-timeout-ms:10000}") int socketTimeout) {
        // Seconds, not the client's defaults: a hung Elasticsearch must not hold a search or a health probe for long.
        return RestClient.builder(HttpHost.create(url))
                .setRequestConfigCallback(
                        config -> config.setConnectTimeout(connectTimeout).setSocketTimeout(socketTimeout))
                .build();
    }

    @Bean
    ElasticsearchClient elasticsearchClient(RestClient elasticsearchRestClient) {
        return new ElasticsearchClient(new RestClientTransport(elasticsearchRestClient, new JacksonJsonpMapper()));
    }
}

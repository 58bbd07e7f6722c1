package dev.syncbox.server.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Names each service's OpenAPI document ({@code /v3/api-docs}, loopback only) after the service. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI serviceDocument(@Value("${spring.application.name:syncbox}") String service) {
        return new OpenAPI()
                .info(new Info()
                        .title("syncbox " + service)
                        .version("0.1.0")
                        .description("The endpoints this service answers; clients reach them through the gateway."));
    }
}

package dev.syncbox.server;

import dev.syncbox.server.config.SyncboxProperties;
import java.time.Clock;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.transaction.annotation.EnableTransactionManagement;

/** Imported by each service application: brings in the shared server components. */
@Configuration(proxyBeanMethods = false)
@ComponentScan(
        basePackageClasses = SyncboxServerConfiguration.class,
        excludeFilters = @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class))
@EntityScan(basePackageClasses = SyncboxServerConfiguration.class)
@EnableJpaRepositories(basePackageClasses = SyncboxServerConfiguration.class)
@EnableConfigurationProperties(SyncboxProperties.class)
@EnableTransactionManagement
public class SyncboxServerConfiguration {

    /** Time is injectable so tests can move it (purge deadlines, token expiry). */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}

package dev.syncbox.server.blockstore;

import dev.syncbox.server.config.SyncboxProperties;
import dev.syncbox.server.health.Degraded;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

@Configuration(proxyBeanMethods = false)
class S3Configuration {

    private static final Logger log = LoggerFactory.getLogger(S3Configuration.class);
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(3);

    @Bean(destroyMethod = "close")
    S3Client s3Client(SyncboxProperties properties) {
        SyncboxProperties.S3 s3 = properties.s3();
        return S3Client.builder()
                .endpointOverride(s3.endpoint())
                .region(Region.of(s3.region()))
                .forcePathStyle(s3.pathStyle())
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(64)
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMinutes(2)))
                .build();
    }

    @Bean
    BlockStore blockStore(S3Client s3Client, SyncboxProperties properties) {
        S3BlockStore store = new S3BlockStore(s3Client, properties.s3().bucket());
        try {
            store.ensureBucket();
            store.applyArchiveLifecycle(properties.s3().archiveAfterDays());
        } catch (RuntimeException e) {
            log.warn("block storage not reachable at start-up ({}); requests will get 503 until it is", e.toString());
        }
        return store;
    }

    /**
     * Block storage in health as {@code blockStore}. Unreachable is DEGRADED, not DOWN: every
     * instance shares the one store, so taking instances out of rotation would only turn the clean
     * {@code 503 storage_unavailable} of the requests that need it into gateway errors for all.
     */
    @Bean
    HealthIndicator blockStoreHealthIndicator(S3Client s3Client, SyncboxProperties properties) {
        return () -> {
            try {
                s3Client.headBucket(b -> b.bucket(properties.s3().bucket())
                        .overrideConfiguration(o -> o.apiCallTimeout(HEALTH_TIMEOUT)));
                return Health.up()
                        .withDetail("bucket", properties.s3().bucket())
                        .build();
            } catch (SdkException e) {
                return Health.status(Degraded.STATUS)
                        .withDetail("error", e.getMessage())
                        .build();
            }
        };
    }
}

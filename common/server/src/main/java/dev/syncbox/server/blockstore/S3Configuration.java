package dev.syncbox.server.blockstore;

import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.config.SyncboxProperties;
import java.time.Duration;
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

/** The block store on S3, started in the background (see {@link S3BlockStore}). */
@Configuration(proxyBeanMethods = false)
class S3Configuration {

    @Bean(destroyMethod = "close")
    S3BlockStore blockStore(SyncboxProperties properties) {
        SyncboxProperties.S3 s3 = properties.s3();
        return S3BlockStore.starting(() -> client(s3), s3.bucket(), s3.archiveAfterDays());
    }

    @Bean
    HealthIndicator blockStoreHealth(S3BlockStore store, SyncboxProperties properties) {
        return () -> {
            try {
                store.client().headBucket(b -> b.bucket(properties.s3().bucket()));
                return Health.up()
                        .withDetail("bucket", properties.s3().bucket())
                        .build();
            } catch (SdkException | SyncboxException e) {
                return Health.down().withDetail("error", e.getMessage()).build();
            }
        };
    }

    private static S3Client client(SyncboxProperties.S3 s3) {
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
}

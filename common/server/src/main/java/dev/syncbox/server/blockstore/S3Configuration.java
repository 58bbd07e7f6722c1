package dev.syncbox.server.blockstore;

import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.config.SyncboxProperties;
import dev.syncbox.server.health.Degraded;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
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

    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_CONNECTIONS = 64;

    @Bean(destroyMethod = "close")
    S3BlockStore blockStore(SyncboxProperties properties, MeterRegistry meters) {
        SyncboxProperties.S3 s3 = properties.s3();
        S3BlockStore store = S3BlockStore.starting(() -> client(s3), transfers(s3), s3.bucket(), s3.archiveAfterDays());
        store.meterInto(meters);
        return store;
    }

    /** Block PUTs and GETs straight over HTTP, as configured; null leaves them to the SDK. */
    static BlockTransfers transfers(SyncboxProperties.S3 s3) {
        if (!s3.directTransfers()) {
            return null;
        }
        return new BlockTransfers(
                s3.endpoint(),
                s3.region(),
                s3.accessKey(),
                s3.secretKey(),
                s3.bucket(),
                s3.pathStyle(),
                CONNECT_TIMEOUT,
                SOCKET_TIMEOUT,
                MAX_CONNECTIONS,
                Clock.systemUTC());
    }

    /**
     * Block storage in health as {@code blockStore}. Unreachable is DEGRADED, not DOWN: every
     * instance shares the one store, so taking instances out of rotation would only turn the clean
     * {@code 503 storage_unavailable} of the requests that need it into gateway errors for all.
     */
    @Bean
    HealthIndicator blockStoreHealthIndicator(S3BlockStore store, SyncboxProperties properties) {
        return () -> {
            try {
                store.client()
                        .headBucket(b -> b.bucket(properties.s3().bucket())
                                .overrideConfiguration(o -> o.apiCallTimeout(HEALTH_TIMEOUT)));
                return Health.up()
                        .withDetail("bucket", properties.s3().bucket())
                        .build();
            } catch (SdkException | SyncboxException e) {
                return Health.status(Degraded.STATUS)
                        .withDetail("error", e.getMessage())
                        .build();
            }
        };
    }

    static S3Client client(SyncboxProperties.S3 s3) {
        return S3Client.builder()
                .endpointOverride(s3.endpoint())
                .region(Region.of(s3.region()))
                .forcePathStyle(s3.pathStyle())
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(MAX_CONNECTIONS)
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(SOCKET_TIMEOUT))
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMinutes(2)))
                // A block PUT's body is pinned by its signed SHA-256 header: no second hash to sign it.
                .putAuthScheme(ChecksumBoundSigner.scheme())
                // At most 4 MiB a PUT: re-sending one that fails costs less than a round trip before every one.
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                        .expectContinueEnabled(false)
                        .build())
                .build();
    }
}

package dev.syncbox.server.blockstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * {@link SigV4} against the reference, the AWS SDK's own SigV4 signer: for any keys, region, method,
 * bucket, block key, time and extra signed headers, the same {@code Authorization} header.
 */
class SigV4Test {

    record Case(
            String accessKey,
            String secretKey,
            String region,
            boolean put,
            String bucket,
            String key,
            Instant at,
            String checksum,
            int port) {}

    @Property(tries = 300)
    void signsExactlyAsTheSdkDoes(@ForAll("cases") Case c) {
        String host = "127.0.0.1:" + c.port();
        String path = "/" + c.bucket() + "/" + c.key();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", host);
        headers.put("x-amz-content-sha256", SigV4.UNSIGNED_PAYLOAD);
        headers.put("x-amz-date", SigV4.amzDate(c.at()));
        if (c.checksum() != null) {
            headers.put(ChecksumBoundSigner.CHECKSUM_HEADER, c.checksum());
        }
        String ours = new SigV4(c.accessKey(), c.secretKey(), c.region(), "s3")
                .authorization(c.put() ? "PUT" : "GET", path, headers);

        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                .method(c.put() ? SdkHttpMethod.PUT : SdkHttpMethod.GET)
                .uri(URI.create("http://" + host + path));
        if (c.checksum() != null) {
            request.putHeader(ChecksumBoundSigner.CHECKSUM_HEADER, c.checksum());
        }
        SignedRequest signed = AwsV4HttpSigner.create()
                .sign(r -> r.identity(AwsBasicCredentials.create(c.accessKey(), c.secretKey()))
                        .request(request.build())
                        .putProperty(AwsV4HttpSigner.REGION_NAME, c.region())
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                        .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                        .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(c.at(), ZoneOffset.UTC)));

        assertThat(signed.request().firstMatchingHeader("x-amz-content-sha256")).hasValue(SigV4.UNSIGNED_PAYLOAD);
        assertThat(signed.request().firstMatchingHeader("X-Amz-Date")).hasValue(SigV4.amzDate(c.at()));
        assertThat(ours)
                .isEqualTo(signed.request().firstMatchingHeader("Authorization").orElseThrow());
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<String> keys = Arbitraries.strings()
                .withCharRange('A', 'Z')
                .numeric()
                .ofMinLength(3)
                .ofMaxLength(20);
        Arbitrary<String> secrets = Arbitraries.strings()
                .withCharRange((char) 33, (char) 126)
                .ofMinLength(1)
                .ofMaxLength(40);
        Arbitrary<String> regions = Arbitraries.of("us-east-1", "eu-west-3", "ap-southeast-2", "local");
        Arbitrary<String> buckets = Arbitraries.strings()
                .withCharRange('a', 'z')
                .numeric()
                .withChars('-')
                .ofMinLength(3)
                .ofMaxLength(30)
                .filter(b -> Character.isLetterOrDigit(b.charAt(0)));
        Arbitrary<String> blockKeys =
                Arbitraries.strings().withChars("0123456789abcdef").ofLength(64);
        // 2000-01-01 to 2100-01-01, to the second (what x-amz-date carries).
        Arbitrary<Instant> times =
                Arbitraries.longs().between(946_684_800L, 4_102_444_800L).map(Instant::ofEpochSecond);
        Arbitrary<String> checksums = Arbitraries.strings()
                .withCharRange('A', 'Z')
                .withCharRange('a', 'z')
                .numeric()
                .withChars('+', '/')
                .ofLength(43)
                .map(s -> s + "=")
                .injectNull(0.4);
        Arbitrary<Integer> ports = Arbitraries.integers().between(1024, 65535);
        return Combinators.combine(
                        Combinators.combine(keys, secrets, regions).as((k, s, r) -> new String[] {k, s, r}),
                        Arbitraries.of(true, false),
                        buckets,
                        blockKeys,
                        times,
                        checksums,
                        ports)
                .as((k, put, bucket, key, at, checksum, port) ->
                        new Case(k[0], k[1], k[2], put, bucket, key, at, checksum, port));
    }

    @Test
    void refusesARequestWithoutTheHeadersSigV4Needs() {
        SigV4 signer = new SigV4("key", "secret", "us-east-1", "s3");
        assertThatThrownBy(() -> signer.authorization("GET", "/b/k", Map.of("host", "h")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsTheDaysSigningKeyButSignsEachRequestAnew() {
        SigV4 signer = new SigV4("key", "secret", "us-east-1", "s3");
        Map<String, String> first =
                Map.of("host", "h", "x-amz-content-sha256", SigV4.UNSIGNED_PAYLOAD, "x-amz-date", "20261202T150000Z");
        Map<String, String> later =
                Map.of("host", "h", "x-amz-content-sha256", SigV4.UNSIGNED_PAYLOAD, "x-amz-date", "20261203T000001Z");
        String a = signer.authorization("GET", "/b/k", first);
        String b = signer.authorization("GET", "/b/k", later);
        assertThat(a).contains("/20261202/us-east-1/s3/aws4_request");
        assertThat(b).contains("/20261203/us-east-1/s3/aws4_request").isNotEqualTo(a);
        assertThat(signer.authorization("GET", "/b/k", first)).isEqualTo(a);
    }
}

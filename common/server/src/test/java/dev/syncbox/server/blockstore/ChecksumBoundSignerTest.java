package dev.syncbox.server.blockstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.hash.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/** Which bodies the block store's signer leaves unsigned: only those a checksum header pins. */
class ChecksumBoundSignerTest {

    private static final byte[] BLOCK = "the bytes of a block".getBytes(StandardCharsets.UTF_8);

    private final ChecksumBoundSigner signer = new ChecksumBoundSigner();

    @Test
    void shouldSendABlockPutPinnedByItsChecksumWithAnUnsignedPayload() throws IOException {
        SignedRequest signed = sign(true);

        assertThat(signed.request().firstMatchingHeader("x-amz-content-sha256")).hasValue("UNSIGNED-PAYLOAD");
        assertThat(signed.request().firstMatchingHeader("Authorization").orElseThrow())
                .contains("x-amz-checksum-sha256");
        try (InputStream body = signed.payload().orElseThrow().newStream()) {
            assertThat(body.readAllBytes()).as("the body goes unchanged").isEqualTo(BLOCK);
        }
    }

    @Test
    void shouldSignAnyOtherBodyAsTheSdkDoes() {
        SignedRequest signed = sign(false);

        assertThat(signed.request().firstMatchingHeader("x-amz-content-sha256")).hasValue(Sha256.hex(BLOCK));
    }

    private SignedRequest sign(boolean withChecksum) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.PUT)
                .uri(URI.create("http://127.0.0.1:9/bucket/key"))
                .putHeader("Content-Length", Integer.toString(BLOCK.length));
        if (withChecksum) {
            request.putHeader(ChecksumBoundSigner.CHECKSUM_HEADER, "c2hhLTI1Ni1vZi10aGUtYmxvY2s=");
        }
        ContentStreamProvider payload = () -> new ByteArrayInputStream(BLOCK);
        return signer.sign(r -> r.identity(AwsBasicCredentials.create("key", "secret"))
                .request(request.build())
                .payload(payload)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3"));
    }
}

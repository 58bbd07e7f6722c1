package dev.syncbox.server.blockstore;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * SigV4 that does not hash a body whose bytes a signed {@code x-amz-checksum-sha256} header already pins.
 * Over plain HTTP the SDK signs every request body by hashing it (SHA-256 in 128 KiB aws-chunked pieces,
 * which the store hashes again to check): a second full pass over each block on both sides, although a block
 * PUT carries its SHA-256 (its id) in a signed header that the store verifies against the bytes it keeps.
 * Such a request goes with {@code UNSIGNED-PAYLOAD}, as the SDK sends it over HTTPS anyway; every other
 * request is signed exactly as the SDK would.
 */
final class ChecksumBoundSigner implements AwsV4HttpSigner {

    static final String CHECKSUM_HEADER = "x-amz-checksum-sha256";

    private final AwsV4HttpSigner sdk = AwsV4HttpSigner.create();

    /** SigV4 with this signer, for {@code S3ClientBuilder.putAuthScheme}. */
    static AwsV4AuthScheme scheme() {
        ChecksumBoundSigner signer = new ChecksumBoundSigner();
        return new AwsV4AuthScheme() {
            @Override
            public String schemeId() {
                return AwsV4AuthScheme.SCHEME_ID;
            }

            @Override
            public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
                return providers.identityProvider(AwsCredentialsIdentity.class);
            }

            @Override
            public AwsV4HttpSigner signer() {
                return signer;
            }
        };
    }

    @Override
    public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
        if (request.payload().isEmpty()
                || request.request().firstMatchingHeader(CHECKSUM_HEADER).isEmpty()) {
            return sdk.sign(request);
        }
        // Signed without a body the SDK writes x-amz-content-sha256: UNSIGNED-PAYLOAD; the body goes as it is.
        SignedRequest signed = sdk.sign(request.copy(r -> r.payload(null).putProperty(PAYLOAD_SIGNING_ENABLED, false)));
        return signed.copy(r -> r.payload(request.payload().get()));
    }

    @Override
    public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
        return sdk.signAsync(request);
    }
}

package dev.syncbox.bench.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.transfer.s3.S3TransferManager;

/**
 * The baseline: the same bytes straight to S3 with the SDK's transfer manager (multipart, parts in
 * parallel) and back with one streamed GET, in a scratch bucket removed by {@link #close}.
 */
final class RawS3 implements AutoCloseable {

    static final long PART_SIZE = 8L * 1024 * 1024;

    private final S3AsyncClient s3;
    // GETs by part number are not implemented by s3proxy: the download is one streamed GET.
    private final S3AsyncClient reads;
    private final S3TransferManager transfers;
    private final String bucket;

    RawS3(URI endpoint, String accessKey, String secretKey) {
        this.s3 = client(endpoint, accessKey, secretKey, true);
        this.reads = client(endpoint, accessKey, secretKey, false);
        this.transfers = S3TransferManager.builder().s3Client(s3).build();
        this.bucket = "syncbox-bench-transfer-" + Long.toHexString(System.nanoTime());
        s3.createBucket(b -> b.bucket(bucket)).join();
    }

    private static S3AsyncClient client(URI endpoint, String accessKey, String secretKey, boolean multipart) {
        return S3AsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                // s3proxy refuses the default CRC32 of multipart uploads (501); the transfer is the baseline, not
                // integrity.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // s3proxy answers 501 to the object size the multipart client adds to CompleteMultipartUpload.
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public SdkHttpRequest modifyHttpRequest(
                            Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
                        return context.httpRequest().toBuilder()
                                .removeHeader("x-amz-mp-object-size")
                                .build();
                    }
                }))
                .multipartEnabled(multipart)
                .multipartConfiguration(c -> c.minimumPartSizeInBytes(PART_SIZE).thresholdInBytes(PART_SIZE))
                .build();
    }

    void put(String key, Path file) {
        transfers
                .uploadFile(
                        u -> u.putObjectRequest(p -> p.bucket(bucket).key(key)).source(file))
                .completionFuture()
                .join();
    }

    /** Streams the object back, comparing it with {@code file} as it arrives; returns the byte count. */
    long getAndCompare(String key, Path file) throws IOException {
        try (InputStream in = reads.getObject(
                        g -> g.bucket(bucket).key(key), AsyncResponseTransformer.toBlockingInputStream())
                .join()) {
            return Payload.compare(in, file);
        }
    }

    @Override
    public void close() {
        try {
            List<ObjectIdentifier> keys = s3.listObjectsV2(l -> l.bucket(bucket)).join().contents().stream()
                    .map(S3Object::key)
                    .map(k -> ObjectIdentifier.builder().key(k).build())
                    .toList();
            if (!keys.isEmpty()) {
                s3.deleteObjects(d -> d.bucket(bucket).delete(x -> x.objects(keys)))
                        .join();
            }
            s3.deleteBucket(b -> b.bucket(bucket)).join();
        } finally {
            transfers.close();
            s3.close();
            reads.close();
        }
    }
}

package dev.syncbox.bench.throughput;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.ResponsePublisher;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.transfer.s3.S3TransferManager;
import software.amazon.awssdk.transfer.s3.model.DownloadRequest;

/**
 * The storage's limits, measured on the project's S3 (s3proxy) with the AWS SDK: small-object PUTs, and PUT and GET
 * of the same bytes as syncbox's big transfer: the PUT through the transfer manager over a multipart-enabled async
 * client (parts in parallel), the GET as one stream through the transfer manager and as parallel ranged GETs, the
 * faster counting. Works in a scratch bucket of its own, emptied and deleted by {@link #close()}.
 */
final class RawS3 implements AutoCloseable {

    private static final long PART = 8L << 20;

    private final String bucket;
    private final S3AsyncClient plain;
    private final S3AsyncClient multipart;
    private final S3TransferManager transfers;
    /** Over the plain client: s3proxy refuses the by-part GETs of the multipart client (501), so one stream. */
    private final S3TransferManager downloads;

    private final ExecutorService streamReader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "s3-body-reader");
        t.setDaemon(true);
        return t;
    });

    RawS3(URI endpoint, String accessKey, String secretKey, String bucket) {
        this.bucket = bucket;
        this.plain = base(endpoint, accessKey, secretKey).build();
        this.multipart = base(endpoint, accessKey, secretKey)
                .multipartEnabled(true)
                .multipartConfiguration(c -> c.minimumPartSizeInBytes(PART).thresholdInBytes(PART))
                .build();
        this.transfers = S3TransferManager.builder().s3Client(multipart).build();
        this.downloads = S3TransferManager.builder().s3Client(plain).build();
        plain.createBucket(b -> b.bucket(bucket)).join();
    }

    private static S3AsyncClientBuilder base(URI endpoint, String accessKey, String secretKey) {
        return S3AsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .overrideConfiguration(o ->
                        o.apiCallTimeout(Duration.ofMinutes(10)).addExecutionInterceptor(new DropObjectSizeHint()));
    }

    /**
     * The multipart client adds {@code x-amz-mp-object-size} (an optional hint) to CompleteMultipartUpload, and
     * s3proxy answers 501 to headers it does not know; the request is signed after this, so dropping it is clean.
     */
    private static final class DropObjectSizeHint implements ExecutionInterceptor {
        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            return context.httpRequest().toBuilder()
                    .removeHeader("x-amz-mp-object-size")
                    .build();
        }
    }

    /** PUTs of fresh 1 KiB objects per second, {@code clients} at a time: what one small upload's block costs S3. */
    LoadRun.Result smallPuts(int clients, Duration warmUp, Duration measure) {
        return LoadRun.run(clients, warmUp, measure, (client, seq) -> {
            byte[] data = new byte[1024];
            ThreadLocalRandom.current().nextBytes(data);
            plain.putObject(b -> b.bucket(bucket).key("small/" + client + "/" + seq), AsyncRequestBody.fromBytes(data))
                    .join();
            return new Reply(200, "");
        });
    }

    /** Uploads {@code size} bytes of {@link RandomContent} with {@code seed}; returns MB/s (10^6 bytes). */
    double put(String key, long seed, long size) {
        long t0 = System.nanoTime();
        transfers
                .upload(u -> u.putObjectRequest(p -> p.bucket(bucket).key(key))
                        .requestBody(
                                AsyncRequestBody.fromInputStream(new RandomContent(seed, size), size, streamReader)))
                .completionFuture()
                .join();
        return size / 1e6 / ((System.nanoTime() - t0) / 1e9);
    }

    /** Downloads {@code key} through the transfer manager as one stream, bytes counted and dropped; returns MB/s. */
    double getWithTransferManager(String key, long size) {
        long t0 = System.nanoTime();
        ResponsePublisher<GetObjectResponse> body = downloads
                .download(DownloadRequest.builder()
                        .getObjectRequest(g -> g.bucket(bucket).key(key))
                        .responseTransformer(AsyncResponseTransformer.<GetObjectResponse>toPublisher())
                        .build())
                .completionFuture()
                .join()
                .result();
        AtomicLong read = new AtomicLong();
        body.subscribe(buffer -> read.addAndGet(buffer.remaining())).join();
        checkSize(key, read.get(), size);
        return size / 1e6 / ((System.nanoTime() - t0) / 1e9);
    }

    /** Downloads {@code key} as 8 MiB ranges, {@code parallel} at a time, bytes counted and dropped; returns MB/s. */
    double getRanges(String key, long size, int parallel) {
        long t0 = System.nanoTime();
        Semaphore inFlight = new Semaphore(parallel);
        AtomicLong read = new AtomicLong();
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (long from = 0; from < size; from += PART) {
            String range = "bytes=" + from + "-" + (Math.min(size, from + PART) - 1);
            inFlight.acquireUninterruptibly();
            parts.add(
                    plain.getObject(g -> g.bucket(bucket).key(key).range(range), AsyncResponseTransformer.toPublisher())
                            .thenCompose(publisher -> publisher.subscribe(buffer -> read.addAndGet(buffer.remaining())))
                            .whenComplete((ok, e) -> inFlight.release()));
        }
        CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).join();
        checkSize(key, read.get(), size);
        return size / 1e6 / ((System.nanoTime() - t0) / 1e9);
    }

    private static void checkSize(String key, long read, long size) {
        if (read != size) {
            throw new IllegalStateException("read " + read + " bytes of " + key + ", expected " + size);
        }
    }

    /** Empties and deletes the scratch bucket. */
    @Override
    public void close() {
        try {
            String token = null;
            do {
                String continuation = token;
                var page = plain.listObjectsV2(l -> l.bucket(bucket).continuationToken(continuation))
                        .join();
                List<ObjectIdentifier> keys = page.contents().stream()
                        .map(S3Object::key)
                        .map(k -> ObjectIdentifier.builder().key(k).build())
                        .toList();
                if (!keys.isEmpty()) {
                    plain.deleteObjects(d -> d.bucket(bucket).delete(x -> x.objects(keys)))
                            .join();
                }
                token = page.isTruncated() ? page.nextContinuationToken() : null;
            } while (token != null);
            plain.deleteBucket(b -> b.bucket(bucket)).join();
        } finally {
            transfers.close();
            downloads.close();
            multipart.close();
            plain.close();
            streamReader.shutdownNow();
        }
    }
}

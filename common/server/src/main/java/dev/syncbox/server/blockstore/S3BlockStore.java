package dev.syncbox.server.blockstore;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Transition;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;

/**
 * Blocks as S3 objects named by their id, in one bucket. The SDK client is built, and the bucket prepared, on
 * a background thread: seconds of start-up that would otherwise hold up the rest of the context; a call made
 * before that is done waits for it.
 */
class S3BlockStore implements BlockStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(S3BlockStore.class);
    private static final int DELETE_BATCH = 1000;
    // Bucket set-up runs at start-up: a slow S3 may delay it by seconds, never for the 2-minute call limit.
    private static final Duration BUCKET_CALL_TIMEOUT = Duration.ofSeconds(10);

    private final CompletableFuture<S3Client> client;
    /** Block PUTs and GETs without the SDK's pipeline; null sends them through the SDK too. */
    private final BlockTransfers transfers;

    private final String bucket;
    private volatile S3Client s3;
    private volatile MeterRegistry meters;

    private S3BlockStore(CompletableFuture<S3Client> client, BlockTransfers transfers, String bucket) {
        this.client = client;
        this.transfers = transfers;
        this.bucket = bucket;
    }

    /**
     * Starts building the client and preparing the bucket (create when missing, archive lifecycle) in the
     * background; a store that cannot be reached now is reported, not fatal. Block PUTs and GETs go
     * through {@code transfers} when given (null: through the SDK).
     */
    static S3BlockStore starting(
            Supplier<S3Client> builder, BlockTransfers transfers, String bucket, int archiveAfterDays) {
        CompletableFuture<S3Client> client = new CompletableFuture<>();
        S3BlockStore store = new S3BlockStore(client, transfers, bucket);
        Thread init = new Thread(
                () -> {
                    S3Client built;
                    try {
                        built = builder.get();
                    } catch (RuntimeException | Error e) {
                        client.completeExceptionally(e);
                        return;
                    }
                    store.s3 = built;
                    try {
                        store.ensureBucket();
                        store.applyArchiveLifecycle(archiveAfterDays);
                    } catch (RuntimeException e) {
                        log.warn(
                                "block storage not reachable at start-up ({}); requests will get 503 until it is",
                                e.toString());
                    }
                    client.complete(built);
                },
                "s3-block-store-init");
        init.setDaemon(true);
        init.start();
        return store;
    }

    /** The SDK client, once built and the bucket prepared (waits for the background start-up). */
    S3Client client() {
        try {
            return client.join();
        } catch (CompletionException e) {
            throw new SyncboxException(
                    ErrorCode.STORAGE_UNAVAILABLE, "Block storage client could not be created", e.getCause());
        }
    }

    @Override
    public void close() {
        client.thenAccept(S3Client::close);
        if (transfers != null) {
            try {
                transfers.close();
            } catch (IOException e) {
                log.debug("closing the block transfers' connections", e);
            }
        }
    }

    /** Creates the bucket when missing (on the built client: called by the start-up thread and after it). */
    void ensureBucket() {
        try {
            s3.headBucket(b -> b.bucket(bucket).overrideConfiguration(o -> o.apiCallTimeout(BUCKET_CALL_TIMEOUT)));
        } catch (NoSuchBucketException e) {
            createBucket();
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            createBucket();
        }
    }

    private void createBucket() {
        s3.createBucket(b -> b.bucket(bucket).overrideConfiguration(o -> o.apiCallTimeout(BUCKET_CALL_TIMEOUT)));
        log.info("created bucket {}", bucket);
    }

    /**
     * Moves blocks to the archive class {@code days} after they were written (the seed's "Glacier
     * after 90 days"). Glacier Instant Retrieval keeps reads synchronous, so downloads of old versions
     * still stream. Servers without lifecycle support (s3proxy) are told about and left alone.
     */
    void applyArchiveLifecycle(int days) {
        if (days <= 0) {
            return;
        }
        LifecycleRule rule = LifecycleRule.builder()
                .id("syncbox-archive-cold-blocks")
                .filter(f -> f.prefix(""))
                .status(ExpirationStatus.ENABLED)
                .transitions(Transition.builder()
                        .days(days)
                        .storageClass(TransitionStorageClass.GLACIER_IR)
                        .build())
                .build();
        try {
            s3.putBucketLifecycleConfiguration(b -> b.bucket(bucket)
                    .lifecycleConfiguration(c -> c.rules(rule))
                    .overrideConfiguration(o -> o.apiCallTimeout(BUCKET_CALL_TIMEOUT)));
            log.info("bucket {}: blocks move to GLACIER_IR after {} days", bucket, days);
        } catch (S3Exception e) {
            log.info(
                    "bucket {}: the S3 server does not accept lifecycle rules ({}); see deploy/s3/README.md",
                    bucket,
                    e.awsErrorDetails() == null
                            ? e.statusCode()
                            : e.awsErrorDetails().errorCode());
        }
    }

    /** Counts every block request from now on in {@code syncbox.blockstore.requests{operation,outcome}}. */
    void meterInto(MeterRegistry registry) {
        this.meters = registry;
    }

    /**
     * Runs one of the store's requests, counted by operation and outcome: {@code success}, {@code
     * missing} (the store answered that the block is not there) or {@code error} (refused or unanswered).
     */
    private <T> T counted(String operation, Supplier<T> request) {
        String outcome = "error";
        try {
            T result = request.get();
            outcome = "success";
            return result;
        } catch (BlockMissingException e) {
            outcome = "missing";
            throw e;
        } finally {
            MeterRegistry registry = meters;
            if (registry != null) {
                Counter.builder("syncbox.blockstore.requests")
                        .description("Requests to the block store (S3), by operation and outcome")
                        .tag("operation", operation)
                        .tag("outcome", outcome)
                        .register(registry)
                        .increment();
            }
        }
    }

    @Override
    public void put(String blockId, byte[] sha256, byte[] data, int offset, int length) {
        counted("put", () -> {
            putChecked(blockId, sha256, data, offset, length);
            return null;
        });
    }

    private void putChecked(String blockId, byte[] sha256, byte[] data, int offset, int length) {
        try {
            putOnce(blockId, sha256, data, offset, length);
        } catch (NoSuchBucketException e) {
            // A direct transfer does not wait for the start-up thread, which may still be creating the bucket
            // (or not have built the client yet): wait for it, make sure of the bucket, and put again.
            client();
            call(() -> {
                ensureBucket();
                return null;
            });
            try {
                putOnce(blockId, sha256, data, offset, length);
            } catch (NoSuchBucketException again) {
                throw unavailable(again);
            }
        }
    }

    /** One PUT, direct or through the SDK; a missing bucket is {@link NoSuchBucketException} either way. */
    private void putOnce(String blockId, byte[] sha256, byte[] data, int offset, int length) {
        if (transfers == null) {
            putObject(blockId, sha256, data, offset, length);
            return;
        }
        try {
            transfers.put(blockId, sha256, data, offset, length);
        } catch (BlockTransfers.Failure e) {
            if ("NoSuchBucket".equals(e.code())) {
                throw NoSuchBucketException.builder()
                        .message(e.getMessage())
                        .cause(e)
                        .build();
            }
            throw unavailable(e);
        }
    }

    private void putObject(String blockId, byte[] sha256, byte[] data, int offset, int length) {
        call(() -> client().putObject(
                        b -> b.bucket(bucket)
                                .key(blockId)
                                .contentLength((long) length)
                                .checksumSHA256(Base64.getEncoder().encodeToString(sha256)),
                        // A stream over the caller's array: fromByteBuffer would copy every block first.
                        RequestBody.fromContentProvider(
                                () -> new ByteArrayInputStream(data, offset, length),
                                length,
                                "application/octet-stream")));
    }

    @Override
    public void putInClass(String key, byte[] sha256, byte[] data, int offset, int length, String storageClass) {
        if (storageClass == null || storageClass.isBlank() || storageClass.equals("STANDARD")) {
            put(key, sha256, data, offset, length);
            return;
        }
        counted(
                "put",
                () -> call(() -> client().putObject(
                                b -> b.bucket(bucket)
                                        .key(key)
                                        .storageClass(storageClass)
                                        .contentLength((long) length)
                                        .checksumSHA256(Base64.getEncoder().encodeToString(sha256)),
                                RequestBody.fromContentProvider(
                                        () -> new ByteArrayInputStream(data, offset, length),
                                        length,
                                        "application/octet-stream"))));
    }

    @Override
    public InputStream open(String blockId, long from, long toInclusive) {
        return counted("get", () -> openRange(blockId, from, toInclusive));
    }

    private InputStream openRange(String blockId, long from, long toInclusive) {
        if (transfers != null) {
            try {
                return transfers.get(blockId, from, toInclusive);
            } catch (BlockTransfers.Failure e) {
                if (e.status() == 404 && !"NoSuchBucket".equals(e.code())) {
                    throw new BlockMissingException(blockId, e);
                }
                throw unavailable(e);
            }
        }
        try {
            return call(() ->
                    client().getObject(b -> b.bucket(bucket).key(blockId).range("bytes=" + from + "-" + toInclusive)));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new BlockMissingException(blockId, e);
            }
            throw e;
        }
    }

    @Override
    public boolean exists(String blockId) {
        return counted("head", () -> head(blockId));
    }

    private boolean head(String blockId) {
        try {
            call(() -> client().headObject(b -> b.bucket(bucket).key(blockId)));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void delete(Collection<String> blockIds) {
        counted("delete", () -> {
            deleteAll(blockIds);
            return null;
        });
    }

    private void deleteAll(Collection<String> blockIds) {
        List<ObjectIdentifier> batch = new ArrayList<>(Math.min(blockIds.size(), DELETE_BATCH));
        for (String id : blockIds) {
            batch.add(ObjectIdentifier.builder().key(id).build());
            if (batch.size() == DELETE_BATCH) {
                deleteBatch(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            deleteBatch(batch);
        }
    }

    private void deleteBatch(List<ObjectIdentifier> batch) {
        Delete delete = Delete.builder().objects(batch).quiet(true).build();
        DeleteObjectsResponse response =
                call(() -> client().deleteObjects(b -> b.bucket(bucket).delete(delete)));
        // A key S3 refused to delete must fail the call: the caller removes its rows only after this.
        if (response.hasErrors() && !response.errors().isEmpty()) {
            S3Error first = response.errors().get(0);
            throw new SyncboxException(
                    ErrorCode.STORAGE_UNAVAILABLE,
                    response.errors().size() + " block(s) could not be deleted, e.g. " + first.key() + ": "
                            + first.code());
        }
    }

    @Override
    public String location(String blockId) {
        return "s3://" + bucket + "/" + blockId;
    }

    @Override
    public long count() {
        return call(() -> client().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
                .count());
    }

    private static <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            throw e;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw e;
            }
            throw unavailable(e);
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    private static SyncboxException unavailable(RuntimeException e) {
        return new SyncboxException(
                ErrorCode.STORAGE_UNAVAILABLE, "Block storage is unavailable; nothing was committed", e);
    }
}

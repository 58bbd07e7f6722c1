package dev.syncbox.server.config;

import dev.syncbox.core.chunk.ChunkingSpec;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

@ConfigurationProperties("syncbox")
public record SyncboxProperties(
        Auth auth,
        S3 s3,
        Chunking chunking,
        Quota quota,
        Cache cache,
        Upload upload,
        Trash trash,
        Conflict conflict,
        Download download) {

    /**
     * @param loginFailuresPerAccount wrong passwords for one email within the window before its logins
     *     answer {@code 429 too_many_attempts}
     * @param loginFailuresPerAddress the same for one client address, across accounts
     * @param loginFailuresWindow the period over which failures count
     * @param deviceCheckTtl how long a device found active is taken as active without asking the
     *     database again: the longest a revoked device's token still works on another instance
     */
    public record Auth(
            String jwtSecret,
            @DefaultValue("P90D") Duration tokenTtl,
            @DefaultValue("10") int loginFailuresPerAccount,
            @DefaultValue("100") int loginFailuresPerAddress,
            @DefaultValue("PT15M") Duration loginFailuresWindow,
            @DefaultValue("PT1S") Duration deviceCheckTtl) {}

    public record S3(
            URI endpoint,
            @DefaultValue("us-east-1") String region,
            String accessKey,
            String secretKey,
            @DefaultValue("syncbox-blocks") String bucket,
            @DefaultValue("true") boolean pathStyle,
            @DefaultValue("90") int archiveAfterDays,
            @DefaultValue("true") boolean directTransfers) {}

    public record Chunking(
            @DefaultValue("fastcdc") String kind,
            @DefaultValue("262144") int minSize,
            @DefaultValue("1048576") int avgSize,
            @DefaultValue("4194304") int maxSize) {

        public ChunkingSpec spec() {
            return ChunkingSpec.parse(kind, minSize, avgSize, maxSize);
        }
    }

    public record Quota(
            @DefaultValue("2147483648") long freeBytes,
            @DefaultValue("2199023255552") long proBytes,
            @DefaultValue("5497558138880") long businessBytes) {

        public long forPlan(String plan) {
            return switch (plan) {
                case "pro" -> proBytes;
                case "business" -> businessBytes;
                default -> freeBytes;
            };
        }
    }

    /**
     * @param maxBlockSize largest block a client may upload
     * @param maxUpdateBytes largest delta of one in-place update
     * @param sessionTtl how long an upload session may stay unfinished
     * @param orphanGrace how long an unreferenced block is kept before it may be deleted
     * @param blocksInFlight blocks of one streamed upload being stored at once (each holds a max-size buffer)
     * @param blockWriters threads storing blocks, shared by all uploads of the process
     */
    public record Upload(
            @DefaultValue("4194304") int maxBlockSize,
            @DefaultValue("67108864") int maxUpdateBytes,
            @DefaultValue("P7D") Duration sessionTtl,
            @DefaultValue("P1D") Duration orphanGrace,
            @DefaultValue("8") int blocksInFlight,
            @DefaultValue("16") int blockWriters) {}

    /**
     * @param readAhead blocks of one download read from the block store ahead of the one being sent
     * @param readAheadBudget blocks held read ahead by all downloads of the process together (each
     *     at most a max-size block): a download that finds the budget spent reads its next block when
     *     it gets to it
     */
    public record Download(
            @DefaultValue("4") int readAhead,
            @DefaultValue("16") int readAheadBudget) {}

    /** @param textMergeLimit larger files are merged as binaries: a conflicted copy, not a 3-way merge */
    public record Conflict(@DefaultValue("4194304") int textMergeLimit) {}

    /** @param retention how long a deleted entry can be restored from the trash */
    public record Trash(@DefaultValue("P30D") Duration retention) {}

    /**
     * @param keyPrefix put before every Redis key, so that deployments (or tests) sharing one Redis
     *     never read each other's entries
     */
    public record Cache(
            @DefaultValue("PT1H") Duration metadataTtl,
            @DefaultValue("P7D") Duration blockTtl,
            @DefaultValue("") String keyPrefix,
            @DefaultValue Breaker breaker) {}

    /**
     * The circuit breaker in front of every Redis call.
     *
     * @param failuresToOpen consecutive failed calls (errors, timeouts) that open it
     * @param openFor how long an open breaker sends nothing to Redis before one probe may
     * @param probeEvery how often the background probe asks Redis while the breaker is not closed
     * @param maxOwed evictions kept to replay once Redis answers again; more are dropped (and
     *     counted), their entries left to expire
     */
    public record Breaker(
            @DefaultValue("1") int failuresToOpen,
            @DefaultValue("PT5S") Duration openFor,
            @DefaultValue("PT1S") Duration probeEvery,
            @DefaultValue("100000") int maxOwed) {}
}

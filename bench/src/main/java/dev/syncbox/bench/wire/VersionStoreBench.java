package dev.syncbox.bench.wire;

import dev.syncbox.core.chunk.ChunkRef;
import dev.syncbox.core.chunk.Chunker;
import dev.syncbox.core.chunk.ChunkingSpec;
import dev.syncbox.core.hash.Sha256;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * What many versions of a big file cost in the block store, before and after the version store re-stores the blocks
 * they superseded as deltas, and what reading an old version costs then. A random file and as many versions, each one
 * 1 KiB overwrite or insert at a random place, pushed through the gateway as the reference client does; then the
 * version store runs ({@code POST /actuator/versionstore} on upload-service); then the oldest and the newest versions
 * are read back through the gateway and checked byte for byte (by SHA-256).
 *
 * <p>Usage: {@code VersionStoreBench <gateway-url> <upload-service-url> <jdbc-url> [size-MiB] [versions]}
 */
public final class VersionStoreBench {

    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;
    private static final int READS = 5;
    private static final int WARM_UP = 3;

    public static void main(String[] args) throws Exception {
        String gateway = args[0];
        String uploadService = args[1];
        String jdbc = args[2];
        int size = (args.length > 3 ? Integer.parseInt(args[3]) : 100) * MIB;
        int versions = args.length > 4 ? Integer.parseInt(args[4]) : 100;
        long salt = System.nanoTime();
        Random random = new Random(salt);
        byte[] content = DeltaWireBench.random(salt, size);

        SyncboxClient client = new SyncboxClient(gateway);
        client.signUp("bench-" + salt + "@example.test", "benchmark-password");
        Chunker cdc = Chunker.of(ChunkingSpec.fastCdcDefault());
        String path = "/bench/versions-" + salt + ".bin";
        List<ChunkRef> chunks = List.of();
        byte[] previous = new byte[0];
        List<String> ids = new ArrayList<>();
        String oldestSha = Sha256.hex(content);
        long newBytes = 0;
        String parent = null;
        for (int v = 0; v <= versions; v++) {
            if (v > 0) {
                byte[] patch = new byte[KIB];
                random.nextBytes(patch);
                int at = random.nextInt(content.length - KIB);
                content = random.nextBoolean()
                        ? DeltaWireBench.overwrite(content, at, patch)
                        : DeltaWireBench.insert(content, at, patch);
                newBytes += KIB;
            }
            parent = client.push(path, parent, cdc, chunks, previous, content, true);
            ids.add(parent);
            previous = content;
            chunks = cdc.split(content);
            if (v % 10 == 0) {
                System.err.printf("pushed version %d of %d%n", v, versions);
            }
        }
        String fileId = client.lastFileId();
        String newestSha = Sha256.hex(content);
        String oldest = ids.get(0);
        String newest = ids.get(ids.size() - 1);
        content = null;
        previous = null;

        long storedBefore;
        try (Connection db = DriverManager.getConnection(jdbc, "postgres", "")) {
            storedBefore = stored(db, fileId);
        }
        double newestBefore = medianSeconds(client, fileId, newest, newestSha);
        double oldestBefore = medianSeconds(client, fileId, oldest, oldestSha);

        long started = System.nanoTime();
        HttpResponse<String> ran = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(uploadService + "/actuator/versionstore"))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        double jobSeconds = (System.nanoTime() - started) / 1e9;
        if (ran.statusCode() != 200) {
            throw new IllegalStateException("POST /actuator/versionstore → " + ran.statusCode() + " " + ran.body());
        }
        long storedAfter;
        long deltas;
        try (Connection db = DriverManager.getConnection(jdbc, "postgres", "")) {
            storedAfter = stored(db, fileId);
            deltas = deltaCount(db, fileId);
        }
        double newestAfter = medianSeconds(client, fileId, newest, newestSha);
        double oldestAfter = medianSeconds(client, fileId, oldest, oldestSha);

        double unique = size + (double) newBytes;
        System.out.printf(
                "%n%d MiB random file, %d versions of one 1 KiB overwrite or insert each (%d KiB new bytes)%n",
                size / MIB, versions, newBytes / KIB);
        System.out.printf("version store run: %.1f s, %d blocks now deltas; %s%n%n", jobSeconds, deltas, ran.body());
        System.out.println("| figure | before the job | after | target |");
        System.out.println("|---|---:|---:|---|");
        System.out.printf(
                "| bytes stored for the file | %.1f MiB | %.1f MiB | |%n",
                storedBefore / (double) MIB, storedAfter / (double) MIB);
        System.out.printf(
                "| stored ÷ (file + new bytes) | %.2f× | %.2f× | ≤ 1.1× |%n",
                storedBefore / unique, storedAfter / unique);
        System.out.printf(
                "| read newest (median of %d) | %.0f MiB/s | %.0f MiB/s | unchanged |%n",
                READS, mibPerSecond(size, newestBefore), mibPerSecond(size, newestAfter));
        System.out.printf(
                "| read oldest (median of %d) | %.0f MiB/s | %.0f MiB/s | |%n",
                READS, mibPerSecond(size, oldestBefore), mibPerSecond(size, oldestAfter));
        System.out.printf(
                "| oldest ÷ newest read speed | %.2f× | %.2f× | ≥ 0.5× |%n",
                newestBefore / oldestBefore, newestAfter / oldestAfter);
        System.out.printf("| newest after ÷ before | | %.2f× | ≈ 1× |%n", newestBefore / newestAfter);
    }

    /** Bytes the block store holds for the blocks the file's versions name: whole, or the delta once the whole is gone. */
    private static long stored(Connection db, String fileId) throws Exception {
        try (PreparedStatement st = db.prepareStatement(
                "SELECT coalesce(sum(CASE WHEN d.whole_removed THEN d.delta_bytes"
                        + " WHEN d.block_id IS NOT NULL THEN b.block_size_bytes + d.delta_bytes"
                        + " ELSE b.block_size_bytes END), 0)"
                        + " FROM file_blocks b LEFT JOIN block_deltas d ON d.block_id = b.block_id"
                        + " WHERE b.block_id IN (SELECT DISTINCT unnest(block_ids) FROM file_versions WHERE file_id = ?)")) {
            st.setString(1, fileId);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long deltaCount(Connection db, String fileId) throws Exception {
        try (PreparedStatement st = db.prepareStatement("SELECT count(*) FROM block_deltas d WHERE d.block_id IN"
                + " (SELECT DISTINCT unnest(block_ids) FROM file_versions WHERE file_id = ?)")) {
            st.setString(1, fileId);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The median time of {@value #READS} whole reads of a version after {@value #WARM_UP} unmeasured, each checked by SHA-256. */
    private static double medianSeconds(SyncboxClient client, String fileId, String versionId, String sha)
            throws Exception {
        for (int i = 0; i < WARM_UP; i++) { // not measured: the JIT, caches and connections as in steady use
            client.download(fileId, versionId);
        }
        double[] seconds = new double[READS];
        for (int i = 0; i < READS; i++) {
            SyncboxClient.Read read = client.download(fileId, versionId);
            if (!read.sha256().equals(sha)) {
                throw new IllegalStateException("version " + versionId + " read back different bytes");
            }
            seconds[i] = read.seconds();
        }
        Arrays.sort(seconds);
        return seconds[READS / 2];
    }

    private static double mibPerSecond(long bytes, double seconds) {
        return bytes / (double) MIB / seconds;
    }
}

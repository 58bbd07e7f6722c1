package dev.syncbox.bench.wire;

import dev.syncbox.core.chunk.ChunkRef;
import dev.syncbox.core.chunk.Chunker;
import dev.syncbox.core.chunk.ChunkingSpec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bytes on the wire to sync one edit of a 100 MiB random file, for syncbox (content-defined blocks
 * and block deltas), the seed's scheme (fixed 4 MiB blocks, changed blocks re-sent whole) and rsync's
 * delta mode. syncbox and the seed scheme are measured at the gateway (request and response bytes,
 * headers included, from its access log); rsync by its own {@code --stats}.
 *
 * <p>Usage: {@code DeltaWireBench <gateway-url> <gateway-access-log> [size-MiB]}
 */
public final class DeltaWireBench {

    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;

    record Scenario(String name, UnaryOperator<byte[]> edit, double target, String targetText) {}

    record Row(String scenario, long syncbox, long fixed, long rsync, double target, String targetText) {}

    public static void main(String[] args) throws Exception {
        String gateway = args.length > 0 ? args[0] : "http://127.0.0.1:8080";
        Path accessLog = Path.of(args.length > 1 ? args[1] : ".data/logs/nginx-access.log");
        int size = (args.length > 2 ? Integer.parseInt(args[2]) : 100) * MIB;
        // Fresh content every run: blocks stored by an earlier run must not make this one look cheap.
        long salt = System.nanoTime();
        byte[] original = random(salt, size);
        byte[] kib = random(salt + 1, KIB);
        byte[] mib = random(salt + 2, MIB);
        List<Scenario> scenarios = List.of(
                new Scenario(
                        "(a) 1 KiB overwrite in the middle", f -> overwrite(f, size / 2, kib), 0.5, "<= 0.5x rsync"),
                new Scenario("(b) 1 KiB insert at the start", f -> insert(f, 0, kib), 0.5, "<= 0.5x rsync"),
                new Scenario("(c) 1 MiB append", f -> insert(f, f.length, mib), 1.1, "<= 1.1x rsync"),
                new Scenario("(d) same file uploaded again", f -> f, Double.NaN, "manifest only"));

        SyncboxClient client = new SyncboxClient(gateway);
        client.signUp("bench-" + System.nanoTime() + "@example.test", "benchmark-password");
        Chunker cdc = Chunker.of(ChunkingSpec.fastCdcDefault());
        Chunker fixed = Chunker.of(ChunkingSpec.fixed4MiB());
        List<ChunkRef> cdcBlocks = cdc.split(original);
        List<ChunkRef> fixedBlocks = fixed.split(original);
        // The starting point: both block sets of the original stored once (not measured).
        client.push("/bench/original-cdc.bin", null, cdc, List.of(), new byte[0], original, false);
        client.push("/bench/original-fixed.bin", null, fixed, List.of(), new byte[0], original, false);

        List<Row> rows = new ArrayList<>();
        int n = 0;
        for (Scenario scenario : scenarios) {
            n++;
            byte[] edited = scenario.edit().apply(original);
            long syncbox = measure(accessLog, prepare(client, cdc, cdcBlocks, original, edited, true));
            long seed = measure(accessLog, prepare(client, fixed, fixedBlocks, original, edited, false));
            long rsync = Rsync.bytes(original, edited);
            rows.add(new Row(scenario.name(), syncbox, seed, rsync, scenario.target(), scenario.targetText()));
            System.err.printf("scenario %d/%d done%n", n, scenarios.size());
        }
        print(size, rows);
    }

    /** A measured action; the setup that returns it is not measured. */
    interface MeasuredRun {
        void run() throws Exception;
    }

    interface Setup {
        MeasuredRun prepare() throws Exception;
    }

    /**
     * Puts the original at a fresh path (not measured), then measures pushing the edit as its next
     * version. An unchanged file is pushed to a fresh path as a new file, with no previous blocks.
     */
    private static Setup prepare(
            SyncboxClient client,
            Chunker chunker,
            List<ChunkRef> blocks,
            byte[] original,
            byte[] edited,
            boolean deltas) {
        return () -> {
            String path = "/bench/" + System.nanoTime() + ".bin";
            if (edited == original) {
                return () -> client.push(path, null, chunker, List.of(), new byte[0], original, deltas);
            }
            String parent = client.push(path, null, chunker, List.of(), new byte[0], original, false);
            return () -> client.push(path, parent, chunker, blocks, original, edited, deltas);
        };
    }

    private static long measure(Path accessLog, Setup setup) throws Exception {
        MeasuredRun run = setup.prepare();
        Thread.sleep(200);
        long from = Files.size(accessLog);
        run.run();
        Thread.sleep(200);
        return wireBytes(accessLog, from);
    }

    private static final Pattern BYTES = Pattern.compile("req_bytes=(\\d+) resp_bytes=(\\d+)");

    /** Request plus response bytes of every request logged after {@code from}. */
    public static long wireBytes(Path accessLog, long from) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(accessLog.toFile(), "r")) {
            file.seek(from);
            byte[] tail = new byte[(int) (file.length() - from)];
            file.readFully(tail);
            long total = 0;
            for (String line : new String(tail, StandardCharsets.UTF_8).split("\n")) {
                Matcher m = BYTES.matcher(line);
                if (m.find()) {
                    total += Long.parseLong(m.group(1)) + Long.parseLong(m.group(2));
                }
            }
            return total;
        }
    }

    private static void print(int size, List<Row> rows) {
        System.out.printf("%nBytes on the wire to sync one edit of a %d MiB random file%n%n", size / MIB);
        System.out.println(
                "| edit | syncbox | seed: fixed 4 MiB | rsync --no-whole-file | syncbox / rsync | target | met |");
        System.out.println("|---|---:|---:|---:|---:|---|---|");
        for (Row row : rows) {
            double ratio = (double) row.syncbox() / row.rsync();
            String met = Double.isNaN(row.target())
                    ? (row.syncbox() < 64 * KIB ? "yes" : "no")
                    : (ratio <= row.target() ? "yes" : "no");
            System.out.printf(
                    "| %s | %s | %s | %s | %.2fx | %s | %s |%n",
                    row.scenario(),
                    human(row.syncbox()),
                    human(row.fixed()),
                    human(row.rsync()),
                    ratio,
                    row.targetText(),
                    met);
        }
    }

    static String human(long bytes) {
        if (bytes >= 10L * MIB) {
            return String.format("%.1f MiB (%,d B)", bytes / (double) MIB, bytes);
        }
        return String.format("%,d B", bytes);
    }

    static byte[] random(long seed, int size) {
        byte[] data = new byte[size];
        new SplittableRandom(seed).nextBytes(data);
        return data;
    }

    static byte[] overwrite(byte[] file, int at, byte[] bytes) {
        byte[] result = file.clone();
        System.arraycopy(bytes, 0, result, at, bytes.length);
        return result;
    }

    static byte[] insert(byte[] file, int at, byte[] bytes) {
        byte[] result = new byte[file.length + bytes.length];
        System.arraycopy(file, 0, result, 0, at);
        System.arraycopy(bytes, 0, result, at, bytes.length);
        System.arraycopy(file, at, result, at + bytes.length, file.length - at);
        return result;
    }
}

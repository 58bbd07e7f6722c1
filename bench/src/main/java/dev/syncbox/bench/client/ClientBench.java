package dev.syncbox.bench.client;

import dev.syncbox.bench.wire.DeltaWireBench;
import dev.syncbox.bench.wire.Rsync;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The desktop client end to end, against Syncthing on the same machine in the same run: (a) a new 1 KiB file written
 * on A until it is complete on B, p50/p95 over many trials, syncbox (two {@code syncbox sync} processes through the
 * gateway) against Syncthing with its watcher delay tuned to 1 s and at its default 10 s; (b) a 1 KiB overwrite in
 * a 100 MiB file: bytes on the wire (syncbox counted at the gateway, Syncthing by its own connection counters, rsync
 * by {@code --stats}) and time until B has it.
 *
 * <p>Usage: {@code ClientBench <gateway-url> <gateway-access-log> <syncbox.jar> [trials] [size-MiB]}
 */
public final class ClientBench {

    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;

    record Figures(String who, List<Double> millis) {
        double pct(int p) {
            List<Double> sorted = new ArrayList<>(millis);
            Collections.sort(sorted);
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
        }
    }

    record Edit(String who, long bytes, double seconds) {}

    public static void main(String[] args) throws Exception {
        String gateway = args[0];
        Path accessLog = Path.of(args[1]);
        Path jar = Path.of(args[2]);
        int trials = args.length > 3 ? Integer.parseInt(args[3]) : 50;
        int size = (args.length > 4 ? Integer.parseInt(args[4]) : 100) * MIB;
        Path work = Files.createTempDirectory("syncbox-client-bench");

        List<Figures> latency = new ArrayList<>();
        List<Edit> edits = new ArrayList<>();
        try (SyncboxPair syncbox = SyncboxPair.start(gateway, jar, work.resolve("syncbox"))) {
            latency.add(new Figures("syncbox", newFiles(syncbox.folderA(), syncbox.folderB(), trials)));
            edits.add(bigEdit("syncbox", syncbox.folderA(), syncbox.folderB(), size, () -> {
                long from = Files.size(accessLog);
                return () -> {
                    Thread.sleep(1000);
                    return DeltaWireBench.wireBytes(accessLog, from);
                };
            }));
        }
        try (SyncthingPeers tuned = SyncthingPeers.start(work.resolve("syncthing-1s"), 1)) {
            latency.add(
                    new Figures("Syncthing, watcher delay 1 s", newFiles(tuned.folderA(), tuned.folderB(), trials)));
            edits.add(bigEdit("Syncthing", tuned.folderA(), tuned.folderB(), size, () -> {
                tuned.awaitInSync(Duration.ofMinutes(2));
                long from = tuned.wireBytes();
                return () -> {
                    tuned.awaitInSync(Duration.ofMinutes(2));
                    return tuned.wireBytes() - from;
                };
            }));
        }
        try (SyncthingPeers standard = SyncthingPeers.start(work.resolve("syncthing-10s"), 10)) {
            latency.add(new Figures(
                    "Syncthing, default (10 s)",
                    newFiles(standard.folderA(), standard.folderB(), Math.min(trials, 10))));
        }
        byte[] original = random(7, size);
        byte[] edited = original.clone();
        System.arraycopy(random(8, KIB), 0, edited, size / 2, KIB);
        edits.add(new Edit("rsync --no-whole-file", Rsync.bytes(original, edited), Double.NaN));
        print(latency, edits, size, trials);
    }

    /** Meters the wire over one edit: armed just before it, read once it has arrived. */
    interface Meter {
        Reading arm() throws Exception;
    }

    interface Reading {
        long read() throws Exception;
    }

    /** Writes {@code trials} new 1 KiB files on A, each timed until B holds all of it. */
    static List<Double> newFiles(Path a, Path b, int trials) throws Exception {
        List<Double> millis = new ArrayList<>();
        Random random = new Random(1);
        for (int i = 0; i < trials; i++) {
            byte[] content = new byte[KIB];
            random.nextBytes(content);
            String name = "new-" + UUID.randomUUID() + ".bin";
            long start = System.nanoTime();
            Files.write(a.resolve(name), content);
            if (!arrived(b.resolve(name), content, Duration.ofSeconds(60))) {
                throw new IllegalStateException(name + " did not reach B within 60 s");
            }
            millis.add((System.nanoTime() - start) / 1e6);
            Thread.sleep(150);
        }
        return millis;
    }

    /** A file of {@code size} random bytes synced first; then 1 KiB in its middle overwritten in place on A. */
    static Edit bigEdit(String who, Path a, Path b, int size, Meter meter) throws Exception {
        byte[] original = random(7, size);
        Path temp = a.resolve(".big.bin.partial");
        Files.write(temp, original);
        Files.move(temp, a.resolve("big.bin"), StandardCopyOption.ATOMIC_MOVE);
        if (!arrived(b.resolve("big.bin"), original, Duration.ofMinutes(5))) {
            throw new IllegalStateException(who + ": the big file did not reach B within 5 minutes");
        }
        Thread.sleep(2000);
        byte[] edited = original.clone();
        System.arraycopy(random(8, KIB), 0, edited, size / 2, KIB);
        Reading reading = meter.arm();
        long start = System.nanoTime();
        try (RandomAccessFile file = new RandomAccessFile(a.resolve("big.bin").toFile(), "rw")) {
            file.seek(size / 2);
            file.write(edited, size / 2, KIB);
        }
        if (!arrived(b.resolve("big.bin"), edited, Duration.ofMinutes(5))) {
            throw new IllegalStateException(who + ": the edit did not reach B within 5 minutes");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Edit(who, reading.read(), seconds);
    }

    /** Polls until {@code file} holds exactly {@code content}; a file of the right size is read to compare. */
    static boolean arrived(Path file, byte[] content, Duration timeout) throws Exception {
        byte[] want = MessageDigest.getInstance("SHA-256").digest(content);
        long deadline = System.nanoTime() + timeout.toNanos();
        Object lastSeen = null;
        while (System.nanoTime() < deadline) {
            try {
                // Its identity first, then its bytes: a replacement after this look is seen at the next one.
                Object seen = List.of(
                        Files.getLastModifiedTime(file), Files.getAttribute(file, "unix:ino"), Files.size(file));
                if (!seen.equals(lastSeen) && Files.size(file) == content.length) {
                    boolean equal = content.length <= MIB
                            ? Arrays.equals(Files.readAllBytes(file), content)
                            : Arrays.equals(digest(file), want);
                    if (equal) {
                        return true;
                    }
                }
                lastSeen = seen;
            } catch (IOException e) {
                // Not there yet, or being replaced right now: look again.
            }
            Thread.sleep(2);
        }
        return false;
    }

    private static byte[] digest(Path file) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[MIB];
        try (var in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return sha.digest();
    }

    static byte[] random(long seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static void print(List<Figures> latency, List<Edit> edits, int size, int trials) {
        Figures ours = latency.get(0);
        Figures tuned = latency.get(1);
        System.out.printf("%n(a) a new 1 KiB file written on A until complete on B (%d trials; loopback)%n%n", trials);
        System.out.println("| client | p50 ms | p95 ms | p95 / Syncthing tuned p95 |");
        System.out.println("|---|---:|---:|---:|");
        for (Figures f : latency) {
            System.out.printf(
                    "| %s | %.0f | %.0f | %.2f |%n", f.who(), f.pct(50), f.pct(95), f.pct(95) / tuned.pct(95));
        }
        System.out.printf(
                "%ntarget: syncbox p95 < 300 ms and below Syncthing tuned: %s%n",
                ours.pct(95) < 300 && ours.pct(95) < tuned.pct(95) ? "met" : "not met");

        Edit syncbox = edits.stream()
                .filter(e -> e.who().equals("syncbox"))
                .findFirst()
                .orElseThrow();
        System.out.printf("%n(b) 1 KiB overwritten in the middle of a %d MiB random file%n%n", size / MIB);
        System.out.println("| who | bytes on the wire | syncbox / it | time to B, s |");
        System.out.println("|---|---:|---:|---:|");
        for (Edit e : edits) {
            System.out.printf(
                    "| %s | %,d | %.2f | %s |%n",
                    e.who(),
                    e.bytes(),
                    (double) syncbox.bytes() / e.bytes(),
                    Double.isNaN(e.seconds()) ? "" : String.format("%.2f", e.seconds()));
        }
        Map<String, Long> byWho = new java.util.HashMap<>();
        edits.forEach(e -> byWho.put(e.who(), e.bytes()));
        boolean met = syncbox.bytes() <= 0.5 * byWho.get("rsync --no-whole-file")
                && syncbox.bytes() <= 0.5 * byWho.get("Syncthing");
        System.out.printf("%ntarget: syncbox <= 0.5x rsync and <= 0.5x Syncthing: %s%n", met ? "met" : "not met");
    }
}

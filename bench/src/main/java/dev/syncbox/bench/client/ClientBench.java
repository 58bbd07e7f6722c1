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
 * by {@code --stats}) and time until B has it; (c) a tree of many small files (1 KiB each, a hundred to a folder)
 * moved into A at once, until B holds all of it.
 *
 * <p>Usage: {@code ClientBench <gateway-url> <gateway-access-log> <syncbox.jar> [trials] [size-MiB] [small-files]}
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

    record Tree(String who, int files, double seconds) {}

    record Rename(String who, int files, long bytes, double seconds) {}

    record Idle(String who, int files, double settledSeconds, double cpuPercent, long rssMiB) {}

    public static void main(String[] args) throws Exception {
        String gateway = args[0];
        Path accessLog = Path.of(args[1]);
        Path jar = Path.of(args[2]);
        int trials = args.length > 3 ? Integer.parseInt(args[3]) : 50;
        int size = (args.length > 4 ? Integer.parseInt(args[4]) : 100) * MIB;
        int smallFiles = args.length > 5 ? Integer.parseInt(args[5]) : 10_000;
        Path work = Files.createTempDirectory("syncbox-client-bench");
        List<Tree> trees = new ArrayList<>();
        List<Rename> renames = new ArrayList<>();
        List<Idle> idles = new ArrayList<>();

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
            if (smallFiles > 0) {
                trees.add(smallTree("syncbox", syncbox.folderA(), syncbox.folderB(), smallFiles, work));
                renames.add(renameTree("syncbox", syncbox.folderA(), syncbox.folderB(), smallFiles, () -> {
                    long from = Files.size(accessLog);
                    return () -> {
                        Thread.sleep(1000);
                        return DeltaWireBench.wireBytes(accessLog, from);
                    };
                }));
                idles.add(idle("syncbox", smallFiles, syncbox.processes()));
            }
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
            if (smallFiles > 0) {
                trees.add(
                        smallTree("Syncthing, watcher delay 1 s", tuned.folderA(), tuned.folderB(), smallFiles, work));
                renames.add(renameTree(
                        "Syncthing, watcher delay 1 s", tuned.folderA(), tuned.folderB(), smallFiles, () -> {
                            tuned.awaitInSync(Duration.ofMinutes(2));
                            long from = tuned.wireBytes();
                            return () -> {
                                tuned.awaitInSync(Duration.ofMinutes(2));
                                return tuned.wireBytes() - from;
                            };
                        }));
                idles.add(idle("Syncthing", smallFiles, tuned.processes()));
            }
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
        printTrees(trees, renames, idles);
    }

    /** The tree of {@link #smallTree} renamed on A, timed until B has every file under the new name and no old one. */
    static Rename renameTree(String who, Path a, Path b, int files, Meter meter) throws Exception {
        Thread.sleep(2000);
        Reading reading = meter.arm();
        long start = System.nanoTime();
        Files.move(a.resolve("tree"), a.resolve("tree-renamed"), StandardCopyOption.ATOMIC_MOVE);
        long deadline = start + Duration.ofMinutes(10).toNanos();
        // The old name first (cheap to check often), then the files under the new one (a walk of them all: seldom).
        while (Files.exists(b.resolve("tree")) || count(b.resolve("tree-renamed")) < files) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(who + ": the rename had not reached B in 10 min");
            }
            Thread.sleep(Files.exists(b.resolve("tree")) ? 20 : 500);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Rename(who, files, reading.read(), seconds);
    }

    private static long count(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (var all = Files.walk(folder)) {
            return all.filter(Files::isRegularFile).count();
        } catch (java.io.UncheckedIOException e) {
            return 0;
        }
    }

    /**
     * The two clients' CPU (user + system, whole process trees, from /proc) over 30 s with nothing to do and the tree
     * tracked, as a share of one core per client; and the larger resident set of the two. "Nothing to do" is measured,
     * not assumed: after the rename before it, the clients are given until their CPU over 5 s falls under 2 % of a core
     * (at most 2 minutes), and how long that took is reported with the figure.
     */
    static Idle idle(String who, int files, List<ProcessHandle> clients) throws Exception {
        long settling = System.nanoTime();
        Thread.sleep(10_000);
        for (int i = 0; i < 22; i++) {
            long ticks = ticks(clients);
            Thread.sleep(5_000);
            if ((ticks(clients) - ticks) / 100.0 / 5 / clients.size() < 0.02) {
                break;
            }
        }
        double settled = (System.nanoTime() - settling) / 1e9;
        long before = ticks(clients);
        long start = System.nanoTime();
        Thread.sleep(30_000);
        double seconds = (System.nanoTime() - start) / 1e9;
        double perClient = (ticks(clients) - before) / 100.0 / seconds / clients.size() * 100;
        long rss = 0;
        for (ProcessHandle client : clients) {
            rss = Math.max(rss, rssKiB(client));
        }
        return new Idle(who, files, settled, perClient, rss / 1024);
    }

    private static List<ProcessHandle> tree(ProcessHandle root) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(root);
        root.descendants().forEach(all::add);
        return all;
    }

    /** utime + stime in clock ticks (100 a second on Linux) of the processes and their descendants. */
    private static long ticks(List<ProcessHandle> clients) throws IOException {
        long ticks = 0;
        for (ProcessHandle client : clients) {
            for (ProcessHandle p : tree(client)) {
                String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            }
        }
        return ticks;
    }

    private static long rssKiB(ProcessHandle client) throws IOException {
        long kib = 0;
        for (ProcessHandle p : tree(client)) {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    kib += Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        }
        return kib;
    }

    /**
     * {@code files} files of 1 KiB in folders of a hundred, made beside A and moved into it in one rename, timed
     * until B holds every one of them with the right bytes.
     */
    static Tree smallTree(String who, Path a, Path b, int files, Path work) throws Exception {
        Path stage = Files.createDirectories(
                work.resolve("stage-" + UUID.randomUUID()).resolve("tree"));
        Map<String, byte[]> want = new java.util.HashMap<>();
        Random random = new Random(3);
        for (int i = 0; i < files; i++) {
            String path = "d" + (i / 100) + "/f" + i + ".bin";
            byte[] content = new byte[KIB];
            random.nextBytes(content);
            Files.createDirectories(stage.resolve(path).getParent());
            Files.write(stage.resolve(path), content);
            want.put(path, content);
        }
        long start = System.nanoTime();
        Files.move(stage, a.resolve("tree"), StandardCopyOption.ATOMIC_MOVE);
        long deadline = start + Duration.ofMinutes(30).toNanos();
        // Checked in order, up to the first file not there yet: each file is read once when it has arrived, and a
        // check costs next to nothing while B works (trying all 100,000 missing files every time took a core).
        java.util.Iterator<Map.Entry<String, byte[]>> missing = want.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .toList()
                .iterator();
        Map.Entry<String, byte[]> next = missing.next();
        while (next != null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        who + ": files from " + next.getKey() + " on had not reached B in 30 min");
            }
            Path file = b.resolve("tree").resolve(next.getKey());
            if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), next.getValue())) {
                next = missing.hasNext() ? missing.next() : null;
                continue;
            }
            Thread.sleep(50);
        }
        return new Tree(who, files, (System.nanoTime() - start) / 1e9);
    }

    private static void printTrees(List<Tree> trees, List<Rename> renames, List<Idle> idles) {
        if (trees.isEmpty()) {
            return;
        }
        Tree syncbox = trees.get(0);
        System.out.printf(
                "%n(c) %,d files of 1 KiB in %d folders moved into A at once, until B holds them all%n%n",
                syncbox.files(), (syncbox.files() + 99) / 100);
        System.out.println("| client | seconds | files/s | syncbox / it |");
        System.out.println("|---|---:|---:|---:|");
        for (Tree t : trees) {
            System.out.printf(
                    "| %s | %.1f | %.0f | %.2f |%n",
                    t.who(), t.seconds(), t.files() / t.seconds(), syncbox.seconds() / t.seconds());
        }
        Rename ours = renames.get(0);
        System.out.printf("%n(d) that tree's folder renamed on A, until B has it under the new name%n%n");
        System.out.println("| client | bytes on the wire | seconds | syncbox bytes / it |");
        System.out.println("|---|---:|---:|---:|");
        for (Rename r : renames) {
            System.out.printf(
                    "| %s | %,d | %.1f | %.2f |%n", r.who(), r.bytes(), r.seconds(), (double) ours.bytes() / r.bytes());
        }
        System.out.printf("%ntarget: syncbox <= 50 KB on the wire: %s%n", ours.bytes() <= 50_000 ? "met" : "not met");
        System.out.printf("%n(f) idle with the %,d files tracked: CPU over 30 s, a client%n%n", ours.files());
        System.out.println("| client | settled after the rename, s | CPU, % of a core | resident set, MiB |");
        System.out.println("|---|---:|---:|---:|");
        for (Idle i : idles) {
            System.out.printf("| %s | %.0f | %.2f | %d |%n", i.who(), i.settledSeconds(), i.cpuPercent(), i.rssMiB());
        }
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

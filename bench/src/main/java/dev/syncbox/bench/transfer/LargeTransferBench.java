package dev.syncbox.bench.transfer;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A fresh large upload and its download through the gateway against a raw S3 PUT (transfer manager,
 * multipart) and GET of the same bytes to the same S3 server, in one run; prints MB/s, the ratios,
 * and the CPU seconds each process spent on each transfer. Memory stays bounded in the tool too:
 * the random file is written, sent and compared in pieces.
 *
 * <p>Usage: {@code LargeTransferBench <gateway-url> <s3-endpoint> <size-MiB> <rounds> <warm-up-rounds>
 * <clock-ticks/s> [name=pid ...]}; S3 keys from {@code SYNCBOX_S3_ACCESS_KEY}/{@code SYNCBOX_S3_SECRET_KEY}.
 * Warm-up rounds run the same transfers first and are printed but not counted (a fresh JVM compiles its
 * hot paths during the first large transfer).
 */
public final class LargeTransferBench {

    private static final List<String> STEPS = List.of("raw S3 PUT", "gateway upload", "raw S3 GET", "gateway download");

    private LargeTransferBench() {}

    public static void main(String[] args) throws Exception {
        String gateway = args[0];
        URI s3Endpoint = URI.create(args[1]);
        long size = Long.parseLong(args[2]) * 1024 * 1024;
        int rounds = Integer.parseInt(args[3]);
        int warmUp = Integer.parseInt(args[4]);
        Map<String, Long> pids = new LinkedHashMap<>();
        for (int i = 6; i < args.length; i++) {
            String[] pair = args[i].split("=", 2);
            pids.put(pair[0], Long.parseLong(pair[1]));
        }
        CpuMeter cpu = new CpuMeter(pids, Double.parseDouble(args[5]));
        Path file = Files.createTempFile("syncbox-large-transfer", ".bin");
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        STEPS.forEach(s -> rates.put(s, new ArrayList<>()));
        Map<String, Map<String, List<Double>>> cpuByStep = new LinkedHashMap<>();
        STEPS.forEach(s -> cpuByStep.put(s, new LinkedHashMap<>()));
        System.out.printf(
                Locale.ROOT,
                "%d MiB, %d round(s) after %d warm-up round(s); load average at start: %s%n",
                size >> 20,
                rounds,
                warmUp,
                load());
        try (RawS3 raw = new RawS3(
                s3Endpoint,
                System.getenv().getOrDefault("SYNCBOX_S3_ACCESS_KEY", "syncbox-local"),
                System.getenv().getOrDefault("SYNCBOX_S3_SECRET_KEY", "syncbox-local-secret"))) {
            for (int round = 1 - warmUp; round <= rounds; round++) {
                Payload.write(file, size, System.nanoTime());
                String key = "round-" + round;
                String[] fileId = new String[1];
                // A new account each round: the free plan's 2 GiB quota holds one or two large files.
                GatewayClient client = GatewayClient.signUp(gateway);
                int n = round;
                time(cpu, rates, cpuByStep, round, "raw S3 PUT", size, () -> raw.put(key, file));
                time(
                        cpu,
                        rates,
                        cpuByStep,
                        round,
                        "gateway upload",
                        size,
                        () -> fileId[0] = client.upload("/bench/large-" + n + "-" + System.nanoTime() + ".bin", file));
                time(cpu, rates, cpuByStep, round, "raw S3 GET", size, () -> raw.getAndCompare(key, file));
                time(
                        cpu,
                        rates,
                        cpuByStep,
                        round,
                        "gateway download",
                        size,
                        () -> client.downloadAndCompare(fileId[0], file));
            }
        } finally {
            Files.deleteIfExists(file);
        }
        System.out.printf(Locale.ROOT, "%nload average at end: %s%n%n", load());
        System.out.println("| transfer | MB/s per round | median MB/s |");
        System.out.println("|---|---|---:|");
        rates.forEach((step, r) -> System.out.printf(
                Locale.ROOT,
                "| %s | %s | %.1f |%n",
                step,
                r.stream().map(x -> String.format(Locale.ROOT, "%.1f", x)).collect(Collectors.joining(", ")),
                median(r)));
        System.out.printf(Locale.ROOT, "%n| CPU s per transfer (median) | %s |%n", String.join(" | ", cpu.names()));
        System.out.println("|---" + "|---:".repeat(cpu.names().size()) + "|");
        cpuByStep.forEach((step, byName) -> System.out.printf(
                Locale.ROOT,
                "| %s | %s |%n",
                step,
                cpu.names().stream()
                        .map(name ->
                                String.format(Locale.ROOT, "%.1f", median(byName.getOrDefault(name, List.of(0.0)))))
                        .collect(Collectors.joining(" | "))));
        System.out.printf(
                Locale.ROOT,
                "%nupload / raw PUT = %.2fx (target >= 0.8), download / raw GET = %.2fx (target >= 0.9); medians%n",
                median(rates.get("gateway upload")) / median(rates.get("raw S3 PUT")),
                median(rates.get("gateway download")) / median(rates.get("raw S3 GET")));
    }

    private interface Transfer {
        void run() throws Exception;
    }

    private static void time(
            CpuMeter cpu,
            Map<String, List<Double>> rates,
            Map<String, Map<String, List<Double>>> cpuByStep,
            int round,
            String step,
            long size,
            Transfer transfer)
            throws Exception {
        Thread.sleep(1000); // let the previous transfer's stragglers (GC, connection pools) settle
        Map<String, Double> before = cpu.sample();
        long start = System.nanoTime();
        transfer.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Double> spent = CpuMeter.minus(cpu.sample(), before);
        double rate = size / seconds / 1e6;
        if (round > 0) {
            rates.get(step).add(rate);
            spent.forEach((name, s) -> cpuByStep
                    .get(step)
                    .computeIfAbsent(name, k -> new ArrayList<>())
                    .add(s));
        }
        System.out.printf(
                Locale.ROOT,
                "%-9s  %-16s %7.2f s %7.1f MB/s   CPU s: %s%n",
                round > 0 ? "round " + round : "warm-up",
                step,
                seconds,
                rate,
                spent.entrySet().stream()
                        .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue()))
                        .collect(Collectors.joining(", ")));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String load() throws Exception {
        String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return parts[0] + " " + parts[1] + " " + parts[2];
    }
}

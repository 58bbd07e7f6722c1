package dev.syncbox.bench.throughput;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench/upload-probe.sh}: rows (a) and (e) of the throughput bench for 1 KiB uploads alone, repeated, for
 * comparing two builds on one stack in a few minutes (the full bench takes a quarter of an hour). Each round: 64
 * clients over 16 users, 16 clients over 16 users, one client sequentially, then the CPU per upload of the stack's
 * processes. With {@code --cpu}, each round measures row (e) alone instead, for every kind of request (no-op, upload,
 * mkdir, feed page). Figures are absolute: compare rounds of the same sitting, never across machines.
 *
 * <p>Usage: {@code UploadProbe --gateway URL --clk-tck N [--rounds N] [--cpu] [--proc NAME=PID]...}
 */
public final class UploadProbe {

    private UploadProbe() {}

    public static void main(String[] args) throws Exception {
        String gateway = "http://127.0.0.1:8080";
        long clockTicks = 100;
        int rounds = 3;
        boolean cpuRows = false;
        List<ProcessCpu.Tracked> tracked = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--gateway" -> gateway = args[++i];
                case "--clk-tck" -> clockTicks = Long.parseLong(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--cpu" -> cpuRows = true;
                case "--proc" -> {
                    String[] nameAndPid = args[++i].split("=", 2);
                    tracked.add(new ProcessCpu.Tracked(nameAndPid[0], Long.parseLong(nameAndPid[1])));
                }
                default -> throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
        }
        tracked.add(new ProcessCpu.Tracked(
                CpuPerRequest.LOAD_GENERATOR, ProcessHandle.current().pid()));
        ProcessCpu cpu = new ProcessCpu(tracked, clockTicks);
        Plan plan = new Plan(
                false, Duration.ofSeconds(5), Duration.ofSeconds(15), 0, 0, 0, 300, Duration.ofSeconds(5), 0, 0, 0);
        String tag = Long.toString(System.currentTimeMillis(), 36);
        List<Api> users = new ArrayList<>();
        for (int u = 0; u < 16; u++) {
            users.add(Api.signUp(gateway, "probe-" + tag + "-u" + u + "@bench.syncbox.dev"));
        }
        Api cpuUser = Api.signUp(gateway, "probe-" + tag + "-cpu@bench.syncbox.dev");
        if (cpuRows) {
            for (int round = 1; round <= rounds; round++) {
                Map<String, CpuPerRequest.Result> rows =
                        ThroughputBench.cpuPerRequest(plan, cpu, cpuUser, gateway, tag + "-r" + round);
                StringBuilder line = new StringBuilder("round " + round + ":");
                rows.forEach((op, result) -> line.append(
                        String.format(Locale.ROOT, " %s %.2f ms (%s);", op, result.total(), processes(result))));
                System.out.println(line.append(" load ").append(ThroughputBench.loadAverage()));
            }
            return;
        }
        CpuPerRequest measurer = CpuPerRequest.withIdleBaseline(cpu, plan);
        for (int round = 1; round <= rounds; round++) {
            String r = tag + "-r" + round;
            LoadRun.Result wide = SmallUploads.run(plan, users, 64, 16, r + "-64");
            LoadRun.Result mid = SmallUploads.run(plan, users, 16, 16, r + "-16");
            LoadRun.Result one = SmallUploads.run(plan, users, 1, 1, r + "-1");
            int base = round * 100_000;
            CpuPerRequest.Result perUpload = measurer.measure(
                    plan.cpuRequests(),
                    i -> cpuUser.upload(
                            "/probe/" + r + "/f" + (base + i) + ".bin",
                            SmallFile.random().data()));
            System.out.printf(
                    Locale.ROOT,
                    "round %d: 64c/16u %.0f/s (%d errors), 16c/16u %.0f/s, 1c p50 %.2f ms p95 %.2f ms;"
                            + " CPU per upload %.2f ms (generator %.2f): %s; load %s%n",
                    round,
                    wide.perSecond(),
                    wide.errors() + mid.errors() + one.errors(),
                    mid.perSecond(),
                    one.latency().p(50),
                    one.latency().p(95),
                    perUpload.total(),
                    perUpload.loadGenerator(),
                    processes(perUpload),
                    ThroughputBench.loadAverage());
        }
    }

    /** The processes that spent at least 0.05 ms on a request, with their share. */
    private static String processes(CpuPerRequest.Result result) {
        StringBuilder processes = new StringBuilder();
        for (Map.Entry<String, Double> e : result.perProcess().entrySet()) {
            if (e.getValue() >= 0.05) {
                processes
                        .append(processes.isEmpty() ? "" : " ")
                        .append(String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()));
            }
        }
        return processes.toString();
    }
}

package dev.syncbox.bench.throughput;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench/throughput.sh}: the hot paths of syncbox through the gateway, each beside a limit of the same machine
 * measured in the same run, printed as one Markdown table plus the CPU each process spends per request.
 *
 * <p>Usage: {@code ThroughputBench --gateway URL --s3 URL --pgbench BIN --pg-port N --pg-db NAME --clk-tck N
 * [--proc NAME=PID]... [--quick] [--big-mib N]}. The script finds the pids and initialises the pgbench database.
 */
public final class ThroughputBench {

    private static final String S3_KEY = "syncbox-local";
    private static final String S3_SECRET = "syncbox-local-secret";

    private ThroughputBench() {}

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Plan plan = o.plan();
        String tag = Long.toString(System.currentTimeMillis(), 36);
        String load = loadAverage();
        step("run " + tag + " (" + (plan.quick() ? "quick" : "full") + "), load average " + load);
        Pgbench pgbench = new Pgbench(o.pgbench(), o.pgPort(), o.pgDatabase());
        List<ProcessCpu.Tracked> tracked = new ArrayList<>(o.processes());
        tracked.add(new ProcessCpu.Tracked(
                CpuPerRequest.LOAD_GENERATOR, ProcessHandle.current().pid()));
        ProcessCpu cpu = new ProcessCpu(tracked, o.clockTicks());

        step("accounts");
        List<Api> users = new ArrayList<>();
        for (int u = 0; u < 16; u++) {
            users.add(Api.signUp(o.gateway(), email(tag, "u" + u)));
        }
        Api one = users.get(0);

        step("limit: pgbench -N -c 16 -j 2 -T " + plan.pgbenchSeconds() + " (1 of 2)");
        double pg1 = pgbench.tps(plan.pgbenchSeconds());
        info("%.0f tps", pg1);

        try (RawS3 s3 = new RawS3(URI.create(o.s3()), S3_KEY, S3_SECRET, "throughput-bench-" + tag)) {
            step("limit: raw S3 PUT of fresh 1 KiB objects, 16 clients");
            LoadRun.Result s3Small = s3.smallPuts(16, plan.warmUp(), plan.measure());
            info("%.0f PUT/s (%d errors)", s3Small.perSecond(), s3Small.errors());

            step("limit: bare authenticated no-op GET /auth/check, 64 clients");
            LoadRun.Result noOp = SmallUploads.noOp(plan, one, 64);
            info(noOp.endpointMissing() ? Table.NA_MISSING : String.format(Locale.ROOT, "%.0f/s", noOp.perSecond()));
            step("limit: gateway alone GET /healthz, 64 clients");
            LoadRun.Result healthz = SmallUploads.plain(plan, Api.anonymous(o.gateway()), 64, "/healthz");
            info("%.0f/s", healthz.perSecond());

            Map<String, LoadRun.Result> uploads = new LinkedHashMap<>();
            for (int[] cu : new int[][] {{1, 1}, {16, 1}, {16, 16}, {64, 1}, {64, 16}}) {
                String name = cu[0] + (cu[0] == 1 ? " client" : " clients") + " over " + cu[1]
                        + (cu[1] == 1 ? " user" : " users");
                step("(a) 1 KiB uploads, " + name);
                LoadRun.Result r = SmallUploads.run(plan, users, cu[0], cu[1], tag + "-" + cu[0] + "x" + cu[1]);
                info(
                        "%.0f/s, p50 %.2f ms, p95 %.2f ms, %d errors%s",
                        r.perSecond(),
                        r.latency().p(50),
                        r.latency().p(95),
                        r.errors(),
                        r.firstError() == null ? "" : " (first: " + r.firstError() + ")");
                uploads.put(name, r);
            }

            step("(b) batch commits, " + plan.batchClients() + " clients, " + Plan.BATCH + " files a call");
            List<Api> batchClients = new ArrayList<>();
            for (int c = 0; c < plan.batchClients(); c++) {
                batchClients.add(Api.signUp(o.gateway(), email(tag, "batch" + c)));
            }
            BatchCommits.Result batch = BatchCommits.run(plan, batchClients, tag);
            info(
                    batch.commitMissing()
                            ? Table.NA_MISSING + ": " + batch.firstError()
                            : String.format(
                                    Locale.ROOT,
                                    "%.0f files/s committed (%d refused); blocks %.0f/s%s",
                                    batch.filesPerSecond(),
                                    batch.failed(),
                                    batch.blocksPerSecond(),
                                    batch.uploadBatchMissing()
                                            ? " one PUT each (upload_batch missing)"
                                            : " by upload_batch"));

            step("limit: pgbench -N (2 of 2)");
            double pg2 = pgbench.tps(plan.pgbenchSeconds());
            info("%.0f tps", pg2);

            step("(c) latency at low load, one client, " + plan.latencyRounds() + " rounds");
            Api feedWriter = Api.signUp(o.gateway(), email(tag, "feed"));
            Api.signUp(o.gateway(), email(tag, "latency"));
            Latencies.Result latency =
                    Latencies.run(plan, o.gateway(), email(tag, "latency"), feedWriter, email(tag, "feed"), tag);
            latency.samples()
                    .forEach((op, s) -> info(
                            latency.missing().contains(op)
                                    ? op.label + ": " + Table.NA_MISSING
                                    : String.format(
                                            Locale.ROOT, "%s: p50 %.2f ms, p95 %.2f ms", op.label, s.p(50), s.p(95))));

            step("(e) CPU per request: idle baseline " + plan.cpuIdle().toSeconds() + " s, then " + plan.cpuRequests()
                    + " sequential requests each");
            Map<String, CpuPerRequest.Result> cpuRows =
                    cpuPerRequest(plan, cpu, Api.signUp(o.gateway(), email(tag, "cpu")), o.gateway(), tag);

            step("(d) " + (plan.bigBytes() >> 20) + " MiB fresh file: raw S3 and syncbox, turn about");
            BigTransfer.Result big =
                    BigTransfer.run(Api.signUp(o.gateway(), email(tag, "big")), s3, plan.bigBytes(), tag);

            String loadAfter = loadAverage();
            System.out.println();
            System.out.println(
                    "## Throughput run " + tag + " — " + Instant.now() + ", " + (plan.quick() ? "--quick" : "full run")
                            + ", load average " + load + " at the start, " + loadAfter + " at the end");
            System.out.println();
            Report report = new Report(pg1, pg2, s3Small, noOp, healthz, uploads, batch, latency, cpuRows, big, plan);
            report.table().print(System.out);
            System.out.println();
            report.printCpu(System.out, cpu, cpuRows);
        }
    }

    static Map<String, CpuPerRequest.Result> cpuPerRequest(
            Plan plan, ProcessCpu cpu, Api api, String gateway, String tag) throws InterruptedException {
        CpuPerRequest measurer = CpuPerRequest.withIdleBaseline(cpu, plan);
        // The feed is read by a second device of a user of its own: the uploads and folders measured
        // below must not land in the page, which has exactly 11 changes (10 folders and their parent).
        String feedEmail = email(tag, "cpu-feed");
        Api feedWriter = Api.signUp(gateway, feedEmail);
        Api reader = Api.login(gateway, feedEmail, "cpu-feed-reader");
        String cursor = reader.get("/files/sync?limit=2000").expect(200, "feed").field("next_cursor");
        for (int i = 0; i < 10; i++) {
            feedWriter
                    .postJson("/files/folder", "{\"path\":\"/cpu-feed/" + tag + "/d" + i + "\"}")
                    .expect(201, "mkdir");
        }
        String page = "/files/sync?limit=2000&cursor=" + cursor;
        Map<String, CpuPerRequest.Result> rows = new LinkedHashMap<>();
        int n = plan.cpuRequests();
        if (!api.get("/auth/check").endpointMissing()) {
            rows.put(Report.CPU_NO_OP, measurer.measure(n, i -> api.get("/auth/check")));
        }
        rows.put(
                Report.CPU_UPLOAD,
                measurer.measure(
                        n,
                        i -> api.upload(
                                "/cpu/" + tag + "/f" + i + ".bin",
                                SmallFile.random().data())));
        rows.put(
                Report.CPU_MKDIR,
                measurer.measure(n, i -> api.postJson("/files/folder", "{\"path\":\"/cpu/" + tag + "/d" + i + "\"}")));
        rows.put(Report.CPU_FEED, measurer.measure(n, i -> reader.get(page)));
        return rows;
    }

    static String email(String tag, String who) {
        return "tp-" + tag + "-" + who + "@example.test";
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static void step(String s) {
        System.out.println("==> " + s);
    }

    private static void info(String format, Object... args) {
        System.out.println("    " + String.format(Locale.ROOT, format, args));
    }

    /** The command line: what the script found (ports, binaries, pids) and how long to run. */
    record Options(
            String gateway,
            String s3,
            String pgbench,
            int pgPort,
            String pgDatabase,
            long clockTicks,
            List<ProcessCpu.Tracked> processes,
            Plan plan) {

        static Options parse(String[] args) {
            Map<String, String> single = new LinkedHashMap<>();
            List<ProcessCpu.Tracked> processes = new ArrayList<>();
            boolean quick = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> quick = true;
                    case "--proc" -> {
                        String[] nameAndPid = args[++i].split("=", 2);
                        processes.add(new ProcessCpu.Tracked(nameAndPid[0], Long.parseLong(nameAndPid[1])));
                    }
                    default -> {
                        if (!args[i].startsWith("--") || i + 1 >= args.length) {
                            throw new IllegalArgumentException("unexpected argument " + args[i]);
                        }
                        single.put(args[i].substring(2), args[++i]);
                    }
                }
            }
            Plan plan = quick ? Plan.quickRun() : Plan.fullRun();
            if (single.containsKey("big-mib")) {
                plan = plan.withBigBytes(Long.parseLong(single.get("big-mib")) << 20);
            }
            return new Options(
                    single.getOrDefault("gateway", "http://127.0.0.1:8080"),
                    single.getOrDefault("s3", "http://127.0.0.1:19000"),
                    single.getOrDefault("pgbench", "pgbench"),
                    Integer.parseInt(single.getOrDefault("pg-port", "15432")),
                    single.getOrDefault("pg-db", "pgbench_limit"),
                    Long.parseLong(single.getOrDefault("clk-tck", "100")),
                    processes,
                    plan);
        }
    }
}

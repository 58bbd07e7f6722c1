package dev.syncbox.bench.throughput;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** Turns the run's figures into the table's rows: each with the limit it is read against and its target. */
record Report(
        double pgbench1,
        double pgbench2,
        LoadRun.Result s3SmallPuts,
        LoadRun.Result noOp,
        LoadRun.Result gatewayAlone,
        Map<String, LoadRun.Result> uploads,
        BatchCommits.Result batch,
        Latencies.Result latency,
        Map<String, CpuPerRequest.Result> cpu,
        BigTransfer.Result big,
        Plan plan) {

    static final String CPU_NO_OP = "no-op (GET /auth/check)";
    static final String CPU_UPLOAD = "1 KiB upload";
    static final String CPU_MKDIR = "mkdir";
    static final String CPU_FEED = "feed page";

    private static final String TOP_UPLOAD = "64 clients over 16 users";

    /** The database limit: the mean of the runs before (a) and after (b). */
    double pgbench() {
        return (pgbench1 + pgbench2) / 2;
    }

    Table table() {
        Table t = new Table();
        String pgLimit = Table.rate(pgbench(), "tps pgbench -N");
        for (Map.Entry<String, LoadRun.Result> e : uploads.entrySet()) {
            LoadRun.Result r = e.getValue();
            double ratio = r.perSecond() / pgbench();
            boolean top = e.getKey().equals(TOP_UPLOAD);
            t.add(
                    "(a) 1 KiB uploads, " + e.getKey(),
                    Table.rate(r.perSecond(), "/s") + errors(r),
                    pgLimit,
                    Table.ratio(ratio),
                    top ? "≥ 0.25×" : "—",
                    top ? Table.met(ratio >= 0.25) : "—");
        }
        LoadRun.Result top = uploads.get(TOP_UPLOAD);
        if (noOp.endpointMissing()) {
            t.missing("(a) HTTP ceiling: bare authenticated no-op GET /auth/check, 64 clients", "ceiling");
        } else {
            t.add(
                    "(a) HTTP ceiling: bare authenticated no-op GET /auth/check, 64 clients",
                    Table.rate(noOp.perSecond(), "/s") + errors(noOp),
                    pgLimit,
                    Table.ratio(noOp.perSecond() / pgbench()),
                    "ceiling",
                    "—");
            t.add(
                    "(a) 1 KiB uploads, " + TOP_UPLOAD + ", against the HTTP ceiling",
                    Table.rate(top.perSecond(), "/s"),
                    Table.rate(noOp.perSecond(), "/s no-op"),
                    Table.ratio(top.perSecond() / noOp.perSecond()),
                    "—",
                    "—");
        }
        t.add(
                "(a) gateway alone: GET /healthz (no token, no service), 64 clients",
                Table.rate(gatewayAlone.perSecond(), "/s") + errors(gatewayAlone),
                pgLimit,
                Table.ratio(gatewayAlone.perSecond() / pgbench()),
                "nginx's ceiling",
                "—");
        t.add(
                "(a) 1 KiB uploads, " + TOP_UPLOAD + ", against raw S3 1 KiB PUTs",
                Table.rate(top.perSecond(), "/s"),
                Table.rate(s3SmallPuts.perSecond(), "PUT/s (16 clients)"),
                Table.ratio(top.perSecond() / s3SmallPuts.perSecond()),
                "—",
                "—");
        Samples sequential = uploads.values().iterator().next().latency();
        Samples limit = latencyLimit();
        t.add(
                "(a) 1 KiB upload, 1 client sequential: p50 / p95",
                pair(sequential),
                pair(limit) + " " + limitName(),
                Table.ratio(sequential.p(50) / limit.p(50)),
                "p50 ≤ 8 ms",
                Table.met(sequential.p(50) <= 8));

        if (batch.commitMissing()) {
            t.missing("(b) batch commit: files/s, " + plan.batchClients() + " clients, 1000 a call", "≥ 1.0×");
        } else {
            double ratio = batch.filesPerSecond() / pgbench();
            t.add(
                    "(b) batch commit: files/s, " + plan.batchClients() + " clients, 1000 a call",
                    Table.rate(batch.filesPerSecond(), "files/s")
                            + (batch.failed() > 0 ? " (" + batch.failed() + " refused)" : ""),
                    pgLimit,
                    Table.ratio(ratio),
                    "≥ 1.0×",
                    Table.met(ratio >= 1.0 && batch.failed() == 0));
            t.add(
                    "(b) their blocks: "
                            + (batch.uploadBatchMissing()
                                    ? "PUT /blocks/{id} each (upload_batch missing)"
                                    : "upload_batch, 1000 a call"),
                    Table.rate(batch.blocksPerSecond(), "blocks/s"),
                    Table.rate(s3SmallPuts.perSecond(), "PUT/s raw S3"),
                    Table.ratio(batch.blocksPerSecond() / s3SmallPuts.perSecond()),
                    "—",
                    "—");
        }

        for (Map.Entry<Latencies.Op, Samples> e : latency.samples().entrySet()) {
            Latencies.Op op = e.getKey();
            if (op == Latencies.Op.GATEWAY) {
                continue;
            }
            String name = "(c) " + op.label + ": p50 / p95";
            Double target = target(op);
            if (latency.missing().contains(op)) {
                t.missing(name, target == null ? "—" : "p50 ≤ " + target.intValue() + " ms");
                continue;
            }
            Samples s = e.getValue();
            t.add(
                    name,
                    pair(s),
                    op == Latencies.Op.NO_OP
                            ? pair(latency.samples().get(Latencies.Op.GATEWAY)) + " /healthz"
                            : pair(limit) + " " + limitName(),
                    Table.ratio(s.p(50)
                            / (op == Latencies.Op.NO_OP
                                    ? latency.samples()
                                            .get(Latencies.Op.GATEWAY)
                                            .p(50)
                                    : limit.p(50))),
                    target == null ? "—" : "p50 ≤ " + target.intValue() + " ms",
                    target == null ? "—" : Table.met(s.p(50) <= target));
        }

        String mib = (plan.bigBytes() >> 20) + " MiB";
        double up = big.upload() / big.rawPut();
        t.add(
                "(d) fresh " + mib + " upload through the gateway",
                Table.rate(big.upload(), "MB/s"),
                Table.rate(big.rawPut(), "MB/s raw S3 PUT"),
                Table.ratio(up),
                "≥ 0.8×",
                Table.met(up >= 0.8));
        double down = big.download() / big.rawGet();
        t.add(
                "(d) the same file downloaded through the gateway",
                Table.rate(big.download(), "MB/s"),
                Table.rate(big.rawGet(), "MB/s raw S3 GET"),
                Table.ratio(down),
                "≥ 0.9×",
                Table.met(down >= 0.9));

        CpuPerRequest.Result cpuNoOp = cpu.get(CPU_NO_OP);
        for (String op : new String[] {CPU_UPLOAD, CPU_MKDIR, CPU_FEED}) {
            double target = op.equals(CPU_UPLOAD) ? 4 : op.equals(CPU_MKDIR) ? 2 : 1.5;
            CpuPerRequest.Result r = cpu.get(op);
            t.add(
                    "(e) CPU per " + op + ", all stack processes",
                    Table.ms(r.total()),
                    cpuNoOp == null ? Table.NA_MISSING : Table.ms(cpuNoOp.total()) + " no-op",
                    cpuNoOp == null ? "—" : Table.ratio(r.total() / cpuNoOp.total()),
                    "≤ " + fmt(target) + " ms",
                    Table.met(r.total() <= target));
        }
        return t;
    }

    /** Per process: idle CPU and CPU-ms per request of each measured kind. */
    void printCpu(PrintStream out, ProcessCpu processes, Map<String, CpuPerRequest.Result> rows) {
        out.print("| process | ");
        out.println(String.join(" | ", rows.keySet()) + " |");
        out.println("|---|" + "---:|".repeat(rows.size()));
        for (ProcessCpu.Tracked t : processes.tracked()) {
            if (t.name().equals(CpuPerRequest.LOAD_GENERATOR)) {
                continue;
            }
            StringBuilder line = new StringBuilder("| " + t.name() + " |");
            rows.values()
                    .forEach(r -> line.append(' ')
                            .append(Table.ms(r.perProcess().get(t.name())))
                            .append(" |"));
            out.println(line);
        }
        StringBuilder total = new StringBuilder("| **all stack processes** |");
        rows.values()
                .forEach(r -> total.append(" **").append(Table.ms(r.total())).append("** |"));
        out.println(total);
        StringBuilder generator = new StringBuilder("| " + CpuPerRequest.LOAD_GENERATOR + ", not in the total |");
        rows.values()
                .forEach(r -> generator
                        .append(' ')
                        .append(Table.ms(r.loadGenerator()))
                        .append(" |"));
        out.println(generator);
        out.println();
        out.printf(
                Locale.ROOT,
                "CPU-ms per request from utime+stime in /proc (whole process trees), less each process's idle rate;"
                        + " %d sequential requests each. pgbench -N: %.0f tps before (a), %.0f tps after (b)."
                        + " Raw S3 GET: transfer manager %.0f MB/s, 4 parallel ranges %.0f MB/s.%n",
                plan.cpuRequests(),
                pgbench1,
                pgbench2,
                big.rawGetTransferManager(),
                big.rawGetRanges());
    }

    private Samples latencyLimit() {
        return latency.missing().contains(Latencies.Op.NO_OP)
                ? latency.samples().get(Latencies.Op.GATEWAY)
                : latency.samples().get(Latencies.Op.NO_OP);
    }

    private String limitName() {
        return latency.missing().contains(Latencies.Op.NO_OP) ? "/healthz (no-op missing)" : "no-op";
    }

    private static Double target(Latencies.Op op) {
        return switch (op) {
            case MKDIR -> 5.0;
            case FEED_PAGE -> 4.0;
            case BLOCKS_CHECK, METADATA -> 3.0;
            default -> null;
        };
    }

    private static String pair(Samples s) {
        return String.format(Locale.ROOT, "%.2f / %.2f ms", s.p(50), s.p(95));
    }

    private static String errors(LoadRun.Result r) {
        return r.errors() == 0 ? "" : " (" + r.errors() + " errors)";
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}

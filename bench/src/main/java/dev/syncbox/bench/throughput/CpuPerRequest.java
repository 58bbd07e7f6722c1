package dev.syncbox.bench.throughput;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Row (e): CPU milliseconds per request, per process and in all, from process accounting: the stack's processes'
 * CPU time before and after N sequential requests of one kind, less what the same processes use when idle over the
 * same wall time (measured first; scheduled jobs, GC, Elasticsearch's housekeeping).
 */
final class CpuPerRequest {

    /** Milliseconds of CPU per request, by process name; negative noise is shown as 0. */
    record Result(Map<String, Double> perProcess, double total, double loadGenerator) {}

    static final String LOAD_GENERATOR = "load generator (this JVM)";

    private final ProcessCpu cpu;
    private final Map<String, Double> idleMillisPerSecond = new LinkedHashMap<>();

    private CpuPerRequest(ProcessCpu cpu) {
        this.cpu = cpu;
    }

    /** Measures the idle baseline over {@code plan.cpuIdle()}. */
    static CpuPerRequest withIdleBaseline(ProcessCpu cpu, Plan plan) throws InterruptedException {
        CpuPerRequest measurer = new CpuPerRequest(cpu);
        Map<String, Double> before = cpu.snapshotMillis();
        long t0 = System.nanoTime();
        Thread.sleep(plan.cpuIdle().toMillis());
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> after = cpu.snapshotMillis();
        after.forEach((name, ms) -> measurer.idleMillisPerSecond.put(name, (ms - before.get(name)) / seconds));
        return measurer;
    }

    Map<String, Double> idleMillisPerSecond() {
        return idleMillisPerSecond;
    }

    /**
     * Runs {@code requests} calls of {@code call} after half as many unmeasured ones (at least 20) and divides the CPU
     * used among them. The warm-up is long enough for the services' JIT to have compiled the path measured: right after
     * a start, a path seen a few dozen times costs two to three times its warm CPU.
     */
    Result measure(int requests, IntFunction<Reply> call) {
        int warmUp = Math.max(20, requests / 2);
        for (int i = 0; i < warmUp; i++) {
            Reply reply = call.apply(-1 - i);
            if (!reply.ok()) {
                throw new IllegalStateException("warm-up request -> " + reply);
            }
        }
        Map<String, Double> before = cpu.snapshotMillis();
        long t0 = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            Reply reply = call.apply(i);
            if (!reply.ok()) {
                throw new IllegalStateException("request " + i + " -> " + reply);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> after = cpu.snapshotMillis();
        Map<String, Double> perRequest = new LinkedHashMap<>();
        double total = 0;
        double loadGenerator = 0;
        for (ProcessCpu.Tracked t : cpu.tracked()) {
            double used = after.get(t.name()) - before.get(t.name());
            if (t.name().equals(LOAD_GENERATOR)) {
                loadGenerator = used / requests;
                continue;
            }
            double net = Math.max(0, used - idleMillisPerSecond.get(t.name()) * seconds) / requests;
            perRequest.put(t.name(), net);
            total += net;
        }
        return new Result(perRequest, total, loadGenerator);
    }
}

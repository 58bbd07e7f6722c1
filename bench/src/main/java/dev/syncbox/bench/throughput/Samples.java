package dev.syncbox.bench.throughput;

import java.util.Arrays;
import java.util.Collection;

/** Latencies in nanoseconds, sorted, read as percentiles in milliseconds. */
record Samples(long[] sorted) {

    static Samples of(Collection<Long> nanos) {
        long[] all = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(all);
        return new Samples(all);
    }

    /** The nearest-rank percentile in ms; NaN when nothing was measured. */
    double p(int percent) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    int size() {
        return sorted.length;
    }
}

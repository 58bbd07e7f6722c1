package dev.syncbox.bench.throughput;

import java.time.Duration;

/** How long and how much: the full run (the figures to quote) or {@code --quick} (a check that everything runs). */
record Plan(
        boolean quick,
        Duration warmUp,
        Duration measure,
        int pgbenchSeconds,
        int latencyWarmUpRounds,
        int latencyRounds,
        int cpuRequests,
        Duration cpuIdle,
        int batchClients,
        int batchesPerClient,
        long bigBytes) {

    static final int BATCH = 1000;

    static Plan fullRun() {
        return new Plan(
                false,
                Duration.ofSeconds(5),
                Duration.ofSeconds(20),
                30,
                50,
                300,
                500,
                Duration.ofSeconds(10),
                4,
                5,
                1L << 30);
    }

    static Plan quickRun() {
        return new Plan(
                true,
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                10,
                20,
                60,
                100,
                Duration.ofSeconds(3),
                4,
                1,
                128L << 20);
    }

    Plan withBigBytes(long bytes) {
        return new Plan(
                quick,
                warmUp,
                measure,
                pgbenchSeconds,
                latencyWarmUpRounds,
                latencyRounds,
                cpuRequests,
                cpuIdle,
                batchClients,
                batchesPerClient,
                bytes);
    }
}

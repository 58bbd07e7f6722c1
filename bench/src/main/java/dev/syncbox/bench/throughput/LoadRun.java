package dev.syncbox.bench.throughput;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N clients in a closed loop, each on its own thread and connection, for a warm-up and then a measured window. A
 * request counts, with its latency, when it completes inside the window (so a slow request that started during the
 * warm-up still shows in the latencies).
 */
final class LoadRun {

    /** One request of client {@code client}; {@code seq} is that client's running number. */
    interface Call {
        Reply call(int client, long seq);
    }

    record Result(int clients, long requests, long errors, double seconds, Samples latency, Reply firstError) {

        double perSecond() {
            return requests / seconds;
        }

        /** Every request answered 404/405: the endpoint is not there. */
        boolean endpointMissing() {
            return requests == 0 && firstError != null && firstError.endpointMissing();
        }
    }

    private LoadRun() {}

    static Result run(int clients, Duration warmUp, Duration measure, Call call) {
        long start = System.nanoTime();
        long measureFrom = start + warmUp.toNanos();
        long measureTo = measureFrom + measure.toNanos();
        AtomicLong requests = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        ConcurrentLinkedQueue<Reply> firstErrors = new ConcurrentLinkedQueue<>();
        List<List<Long>> latencies = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                List<Long> mine = new ArrayList<>();
                latencies.add(mine);
                running.add(pool.submit(() -> {
                    for (long seq = 0; ; seq++) {
                        long t0 = System.nanoTime();
                        if (t0 >= measureTo) {
                            return;
                        }
                        Reply reply;
                        try {
                            reply = call.call(client, seq);
                        } catch (RuntimeException e) {
                            reply = new Reply(0, e.toString());
                        }
                        long t1 = System.nanoTime();
                        if (reply.endpointMissing()) {
                            firstErrors.add(reply);
                            return; // nothing to measure; do not hammer a missing endpoint
                        }
                        if (t1 < measureFrom || t1 >= measureTo) {
                            continue;
                        }
                        if (reply.ok()) {
                            requests.incrementAndGet();
                            mine.add(t1 - t0);
                        } else {
                            errors.incrementAndGet();
                            if (firstErrors.isEmpty()) {
                                firstErrors.add(reply);
                            }
                        }
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
        List<Long> all = new ArrayList<>();
        latencies.forEach(all::addAll);
        return new Result(
                clients, requests.get(), errors.get(), measure.toNanos() / 1e9, Samples.of(all), firstErrors.peek());
    }
}

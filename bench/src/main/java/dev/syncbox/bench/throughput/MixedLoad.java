package dev.syncbox.bench.throughput;

import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.core.hash.Sha256;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sustained mixed workload through the gateway for a fixed time: clients in a closed loop uploading small files,
 * committing block lists, downloading and reading the change feed, each on an account of its own, and beside them
 * long-pollers waiting on those accounts. Reports requests, errors and latency percentiles per operation, the
 * resident memory of each service after the warm-up and at the end (and its peak), and each service's connection pool
 * (most connections busy, most requests waiting for one, timeouts) sampled every two seconds.
 *
 * <p>Before the load, the same clients run the cheapest authenticated request there is ({@code GET /auth/check}: the
 * gateway, the token's signature and its device, nothing else) in the same closed loop for a while: that is the limit
 * each operation's latency is given as a ratio to, measured in the same run on the same machine.
 *
 * <p>{@code --gateway URL --clients N --warmup-s S --minutes M [--floor-s S] [--service name=port]...
 * [--proc name=pid]...}
 */
public final class MixedLoad {

    /** One operation's figures. */
    private static final class Op {
        final AtomicLong requests = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final ConcurrentLinkedQueue<Long> nanos = new ConcurrentLinkedQueue<>();
        volatile String firstError;
    }

    private static final String[] OPS = {"upload", "commit", "download", "feed", "long-poll"};
    private static final Pattern NEXT_CURSOR = Pattern.compile("\"next_cursor\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern FILE_ID = Pattern.compile("\"file_id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern VERSION_ID = Pattern.compile("\"version_id\"\\s*:\\s*\"([^\"]+)\"");

    private final Map<String, Op> ops = new LinkedHashMap<>();
    private volatile long measureFrom;
    private volatile long measureTo;
    private final Op floor = new Op();
    private double floorSeconds;

    private MixedLoad() {
        for (String name : OPS) {
            ops.put(name, new Op());
        }
    }

    public static void main(String[] args) throws Exception {
        String gateway = "http://127.0.0.1:8080";
        int clients = 8;
        int warmUp = 30;
        double minutes = 5;
        int floorSeconds = 20;
        Map<String, Integer> services = new LinkedHashMap<>();
        Map<String, Long> procs = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--gateway" -> gateway = value;
                case "--clients" -> clients = Integer.parseInt(value);
                case "--warmup-s" -> warmUp = Integer.parseInt(value);
                case "--minutes" -> minutes = Double.parseDouble(value);
                case "--floor-s" -> floorSeconds = Integer.parseInt(value);
                case "--service" -> services.put(value.split("=")[0], Integer.parseInt(value.split("=")[1]));
                case "--proc" -> procs.put(value.split("=")[0], Long.parseLong(value.split("=")[1]));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        MixedLoad load = new MixedLoad();
        load.floorSeconds = floorSeconds;
        load.run(gateway, clients, warmUp, minutes, services, procs);
    }

    private void run(
            String gateway,
            int clients,
            int warmUpSeconds,
            double minutes,
            Map<String, Integer> services,
            Map<String, Long> procs)
            throws Exception {
        String run = Long.toString(System.currentTimeMillis(), 36);
        List<Api> accounts = new ArrayList<>();
        List<Api> watchers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            String email = "load-" + run + "-" + c + "@example.test";
            accounts.add(Api.signUp(gateway, email));
            if (c % 2 == 0) {
                watchers.add(Api.login(gateway, email, "watcher"));
            }
        }
        floor(accounts);
        long start = System.nanoTime();
        measureFrom = start + Duration.ofSeconds(warmUpSeconds).toNanos();
        measureTo = measureFrom + (long) (minutes * 60e9);
        System.out.printf(
                "%d clients and %d long-pollers, %d s warm-up, %.1f min measured%n",
                clients, watchers.size(), warmUpSeconds, minutes);

        Pools pools = new Pools(services);
        ExecutorService threads = Executors.newFixedThreadPool(clients + watchers.size() + 1);
        List<java.util.concurrent.Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Api api = accounts.get(c);
            int client = c;
            running.add(threads.submit(() -> client(api, client)));
        }
        for (Api watcher : watchers) {
            running.add(threads.submit(() -> watch(watcher)));
        }
        Map<String, Long> rssAfterWarmUp = null;
        Map<String, Long> rssPeak = new LinkedHashMap<>();
        while (System.nanoTime() < measureTo) {
            Thread.sleep(2000);
            if (System.nanoTime() >= measureFrom) {
                if (rssAfterWarmUp == null) {
                    rssAfterWarmUp = rss(procs);
                }
                rss(procs).forEach((name, kb) -> rssPeak.merge(name, kb, Math::max));
                pools.sample();
            }
        }
        Map<String, Long> rssEnd = rss(procs);
        for (java.util.concurrent.Future<?> f : running) {
            f.get();
        }
        threads.shutdown();
        report(rssAfterWarmUp == null ? Map.of() : rssAfterWarmUp, rssEnd, rssPeak, pools);
    }

    /**
     * The limit: every client in the same closed loop on {@code GET /auth/check} for {@link #floorSeconds}, the first
     * fifth of it a warm-up.
     */
    private void floor(List<Api> accounts) throws Exception {
        long begin = System.nanoTime();
        long from = begin + (long) (floorSeconds * 0.2e9);
        long to = begin + (long) (floorSeconds * 1e9);
        ExecutorService threads = Executors.newFixedThreadPool(accounts.size());
        List<java.util.concurrent.Future<?>> running = new ArrayList<>();
        for (Api api : accounts) {
            running.add(threads.submit(() -> {
                while (System.nanoTime() < to) {
                    long t0 = System.nanoTime();
                    Reply reply = api.get("/auth/check");
                    long t1 = System.nanoTime();
                    if (t1 >= from && t1 <= to) {
                        floor.requests.incrementAndGet();
                        floor.nanos.add(t1 - t0);
                        if (!reply.ok()) {
                            floor.errors.incrementAndGet();
                        }
                    }
                }
            }));
        }
        for (java.util.concurrent.Future<?> f : running) {
            f.get();
        }
        threads.shutdown();
        Samples samples = Samples.of(floor.nanos);
        System.out.printf(
                "limit: GET /auth/check, %d clients, %.0f s: %d requests (%.0f/s), %d errors, p50 %.1f ms, p95 %.1f ms%n",
                accounts.size(),
                floorSeconds * 0.8,
                floor.requests.get(),
                floor.requests.get() / (floorSeconds * 0.8),
                floor.errors.get(),
                samples.p(50),
                samples.p(95));
    }

    /** One client's loop: an upload, a commit, a download or a feed read, by weight. */
    private void client(Api api, int client) {
        Random random = new Random(client);
        List<String> files = new ArrayList<>();
        Map<Long, String> committed = new java.util.HashMap<>();
        String cursor = null;
        for (long seq = 0; System.nanoTime() < measureTo; seq++) {
            long n = seq % 20;
            int x = random.nextInt(100);
            if (x < 40 || files.isEmpty()) {
                byte[] content = new byte[4096];
                random.nextBytes(content);
                Reply reply = timed("upload", () -> api.upload("/load/f" + n + ".bin", content));
                Matcher id = reply == null ? null : FILE_ID.matcher(reply.body());
                if (id != null && reply.ok() && id.find() && !files.contains(id.group(1))) {
                    files.add(id.group(1));
                }
            } else if (x < 55) {
                byte[] block = new byte[8192];
                random.nextBytes(block);
                String blockId = Sha256.hex(block);
                ContentHasher hasher = new ContentHasher();
                hasher.update(block, 0, block.length);
                // On top of the version this client committed last at that path (none: a new file).
                String parent = committed.get(n);
                String body = "{\"file_path\":\"/load/c" + n + ".bin\",\"parent_version_id\":"
                        + (parent == null ? "null" : "\"" + parent + "\"") + ",\"blocks\":[\"" + blockId
                        + "\"],\"size\":8192,\"content_hash\":\"" + hasher.hexDigest() + "\",\"mode\":\"auto\"}";
                Reply reply = timed("commit", () -> {
                    Reply put = api.putBlock(blockId, block);
                    return put.ok() ? api.postJson("/files/commit", body) : put;
                });
                Matcher version = reply == null ? null : VERSION_ID.matcher(reply.body());
                if (version != null && reply.ok() && version.find()) {
                    committed.put(n, version.group(1));
                }
            } else if (x < 80) {
                String fileId = files.get(random.nextInt(files.size()));
                timed("download", () -> api.get("/files/download/" + fileId));
            } else {
                String at = cursor;
                Reply page = timed("feed", () -> api.get("/files/sync" + (at == null ? "" : "?cursor=" + at)));
                Matcher next = page == null ? null : NEXT_CURSOR.matcher(page.body());
                if (next != null && next.find()) {
                    cursor = next.group(1);
                }
            }
        }
    }

    /** A long-poller on another device of an account the clients write to: woken, reads the feed, waits again. */
    private void watch(Api api) {
        Reply first = api.get("/files/sync");
        Matcher m = NEXT_CURSOR.matcher(first.body());
        String cursor = m.find() ? m.group(1) : null;
        while (System.nanoTime() < measureTo) {
            String at = cursor;
            timed("long-poll", () -> api.get("/files/sync/longpoll?timeout=30&cursor=" + at));
            Reply page = api.get("/files/sync?cursor=" + cursor);
            Matcher next = NEXT_CURSOR.matcher(page.body());
            if (next.find()) {
                cursor = next.group(1);
            }
        }
    }

    private Reply timed(String name, java.util.function.Supplier<Reply> call) {
        long t0 = System.nanoTime();
        Reply reply;
        try {
            reply = call.get();
        } catch (RuntimeException e) {
            reply = new Reply(0, String.valueOf(e));
        }
        long t1 = System.nanoTime();
        if (t1 >= measureFrom && t1 <= measureTo) {
            Op op = ops.get(name);
            op.requests.incrementAndGet();
            op.nanos.add(t1 - t0);
            if (!reply.ok()) {
                op.errors.incrementAndGet();
                if (op.firstError == null) {
                    op.firstError = reply.status() + " "
                            + reply.body()
                                    .substring(0, Math.min(200, reply.body().length()));
                }
            }
        }
        return reply;
    }

    /** Resident memory in KiB of each process, from {@code /proc/<pid>/status}. */
    private static Map<String, Long> rss(Map<String, Long> procs) {
        Map<String, Long> kb = new LinkedHashMap<>();
        procs.forEach((name, pid) -> {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        kb.put(name, Long.parseLong(line.replaceAll("[^0-9]", "")));
                    }
                }
            } catch (IOException gone) {
                kb.put(name, -1L);
            }
        });
        return kb;
    }

    /** Each service's Hikari pool, from its Prometheus endpoint: peaks of busy and waiting, timeouts. */
    private static final class Pools {
        private static final Pattern LINE = Pattern.compile("^(hikaricp_connections_\\w+)\\{[^}]*} ([0-9.eE+-]+)$");
        private final Map<String, Integer> services;
        private final HttpClient http = HttpClient.newHttpClient();
        final Map<String, Map<String, Double>> peak = new ConcurrentHashMap<>();
        final Map<String, Map<String, Double>> first = new ConcurrentHashMap<>();
        final Map<String, Map<String, Double>> last = new ConcurrentHashMap<>();

        Pools(Map<String, Integer> services) {
            this.services = services;
        }

        void sample() {
            services.forEach((name, port) -> {
                Map<String, Double> now = new LinkedHashMap<>();
                try {
                    String body = http.send(
                                    HttpRequest.newBuilder(
                                                    URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                                            .timeout(Duration.ofSeconds(5))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
                    for (String line : body.split("\n")) {
                        Matcher m = LINE.matcher(line);
                        if (m.matches()) {
                            now.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
                        }
                    }
                } catch (IOException | InterruptedException | RuntimeException e) {
                    return;
                }
                first.putIfAbsent(name, now);
                last.put(name, now);
                now.forEach((k, v) -> peak.computeIfAbsent(name, n -> new ConcurrentHashMap<>())
                        .merge(k, v, Math::max));
            });
        }
    }

    private void report(Map<String, Long> rssStart, Map<String, Long> rssEnd, Map<String, Long> rssPeak, Pools pools) {
        System.out.println();
        Samples limit = Samples.of(floor.nanos);
        double floorP95 = limit.p(95);
        System.out.println("| operation | requests | errors | p50 ms | p95 ms | p99 ms | p95 ÷ limit's p95 |");
        System.out.println("|---|---|---|---|---|---|---|");
        long total = 0;
        long errors = 0;
        for (Map.Entry<String, Op> e : ops.entrySet()) {
            Op op = e.getValue();
            Samples samples = Samples.of(op.nanos);
            total += op.requests.get();
            errors += op.errors.get();
            System.out.printf(
                    "| %s | %d | %d | %.1f | %.1f | %.1f | %.1f× |%n",
                    e.getKey(),
                    op.requests.get(),
                    op.errors.get(),
                    samples.p(50),
                    samples.p(95),
                    samples.p(99),
                    samples.p(95) / floorP95);
        }
        double perSecond = total / ((measureTo - measureFrom) / 1e9);
        double floorPerSecond = floor.requests.get() / (floorSeconds * 0.8);
        System.out.printf(
                "| all | %d (%.0f/s, %.2f× the limit's %.0f/s) | %d | | | | |%n",
                total, perSecond, perSecond / floorPerSecond, floorPerSecond, errors);
        System.out.printf(
                "| limit: GET /auth/check | %d | %d | %.1f | %.1f | %.1f | 1.0× |%n",
                floor.requests.get(), floor.errors.get(), limit.p(50), floorP95, limit.p(99));
        ops.forEach((name, op) -> {
            if (op.firstError != null) {
                System.out.println("first error of " + name + ": " + op.firstError);
            }
        });
        System.out.println();
        System.out.println("| process | RSS after warm-up MiB | RSS at end MiB | peak MiB |");
        System.out.println("|---|---|---|---|");
        rssEnd.forEach((name, kb) -> System.out.printf(
                "| %s | %.0f | %.0f | %.0f |%n",
                name,
                rssStart.getOrDefault(name, -1L) / 1024.0,
                kb / 1024.0,
                rssPeak.getOrDefault(name, -1L) / 1024.0));
        System.out.println();
        System.out.println("| service | pool size | most busy | most waiting | timeouts |");
        System.out.println("|---|---|---|---|---|");
        pools.peak.forEach((name, peak) -> {
            double timeouts = pools.last.get(name).getOrDefault("hikaricp_connections_timeout_total", 0.0)
                    - pools.first.get(name).getOrDefault("hikaricp_connections_timeout_total", 0.0);
            System.out.printf(
                    "| %s | %.0f | %.0f | %.0f | %.0f |%n",
                    name,
                    peak.getOrDefault("hikaricp_connections_max", Double.NaN),
                    peak.getOrDefault("hikaricp_connections_active", Double.NaN),
                    peak.getOrDefault("hikaricp_connections_pending", Double.NaN),
                    timeouts);
        });
    }
}

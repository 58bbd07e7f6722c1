package dev.syncbox.bench.resilience;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * mkdir, small upload and feed-page latency of a running sync-service and upload-service with their
 * Redis up and killed, in alternating blocks; prints p50/p95 of each and the down/up ratio. The
 * benchmark owns that Redis: it starts {@code redis-server} on the given port and kills it itself.
 *
 * <p>Usage: {@code RedisDownBench <sync-url> <upload-url> <redis-port> [rounds]} (default 200 rounds
 * with Redis up and 200 with it down, alternating in blocks, after 30 warm-up rounds). One round is
 * one mkdir, one 4 KiB upload and one feed page of the changes they made.
 */
public final class RedisDownBench {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final List<String> OPS = List.of("mkdir", "upload 4 KiB", "feed page");
    private static final int WARM_UP = 30;
    private static final int CYCLES = 4;

    private final Random random = new Random(42);

    private final String sync;
    private final String upload;
    private final String bearer;
    private String cursor;
    private int counter;

    private RedisDownBench(String sync, String upload, String bearer) {
        this.sync = sync;
        this.upload = upload;
        this.bearer = bearer;
    }

    public static void main(String[] args) throws Exception {
        String sync = args[0];
        String upload = args[1];
        int redisPort = Integer.parseInt(args[2]);
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        Process redis = startRedis(redisPort);
        try {
            awaitRedisUp(sync);
            awaitRedisUp(upload);
            String email = "bench-redis-" + System.nanoTime() + "@example.test";
            send(
                    sync,
                    "/auth/register",
                    null,
                    json("{\"email\":\"%s\",\"password\":\"benchmark-password\",\"name\":\"b\"}", email),
                    201);
            String login = send(
                    sync,
                    "/auth/login",
                    null,
                    json("{\"email\":\"%s\",\"password\":\"benchmark-password\",\"device_name\":\"bench\"}", email),
                    200);
            RedisDownBench bench = new RedisDownBench(sync, upload, "Bearer " + field(login, "access_token"));
            bench.cursor = bench.drain(null);
            bench.rounds("warm-up", WARM_UP, null);

            // Up and down alternate in blocks, so a machine whose load drifts weighs on both alike.
            Map<String, List<Double>> up = samples();
            Map<String, List<Double>> down = samples();
            double firstWrite = 0;
            double recovered = 0;
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                bench.rounds("up", rounds / CYCLES, up);
                redis.destroyForcibly().waitFor();
                bench.rounds("down", rounds / CYCLES, down);
                redis = startRedis(redisPort);
                long restarted = System.nanoTime();
                bench.mkdir();
                firstWrite = Math.max(firstWrite, (System.nanoTime() - restarted) / 1e6);
                awaitRedisUp(sync);
                awaitRedisUp(upload);
                recovered = Math.max(recovered, (System.nanoTime() - restarted) / 1e9);
            }
            up.values().forEach(Collections::sort);
            down.values().forEach(Collections::sort);

            System.out.printf(
                    "%d rounds with Redis up and %d with it down, alternating in %d blocks each, after %d warm-up rounds%n%n",
                    rounds, rounds, CYCLES, WARM_UP);
            System.out.println(
                    "| operation | Redis up p50 / p95 | Redis down p50 / p95 | down / up p50 | down / up p95 |");
            System.out.println("|---|---:|---:|---:|---:|");
            for (String op : OPS) {
                System.out.printf(
                        "| %s | %.1f / %.1f ms | %.1f / %.1f ms | %.2f× | %.2f× |%n",
                        op,
                        pct(up.get(op), 50),
                        pct(up.get(op), 95),
                        pct(down.get(op), 50),
                        pct(down.get(op), 95),
                        pct(down.get(op), 50) / pct(up.get(op), 50),
                        pct(down.get(op), 95) / pct(up.get(op), 95));
            }
            System.out.printf(
                    "%nAfter each of the %d restarts: first mkdir at most %.1f ms; both services reported Redis UP"
                            + " within %.1f s%n",
                    CYCLES, firstWrite, recovered);
        } finally {
            redis.destroyForcibly();
        }
    }

    private static Map<String, List<Double>> samples() {
        Map<String, List<Double>> millis = new LinkedHashMap<>();
        OPS.forEach(op -> millis.put(op, new ArrayList<>()));
        return millis;
    }

    /** {@code count} rounds of mkdir, upload, feed page; their times go to {@code into} unless null. */
    private void rounds(String name, int count, Map<String, List<Double>> into) throws Exception {
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            mkdir();
            long t1 = System.nanoTime();
            byte[] content = new byte[4096];
            random.nextBytes(content);
            uploadFile("/bench-" + name + "/f" + (counter++) + ".bin", content);
            long t2 = System.nanoTime();
            String page = send(sync, "/files/sync?limit=100&cursor=" + cursor, bearer, null, 200);
            long t3 = System.nanoTime();
            if (!page.contains("\"operation\"")) {
                throw new IllegalStateException("the feed page missed the new changes: " + page);
            }
            cursor = field(page, "next_cursor");
            if (into != null) {
                into.get("mkdir").add((t1 - t0) / 1e6);
                into.get("upload 4 KiB").add((t2 - t1) / 1e6);
                into.get("feed page").add((t3 - t2) / 1e6);
            }
        }
    }

    private void mkdir() throws Exception {
        send(sync, "/files/folder", bearer, json("{\"path\":\"/bench-dirs/d%d\"}", counter++), 201);
    }

    private void uploadFile(String path, byte[] content) throws Exception {
        String boundary = "bench" + System.nanoTime();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file_path\"\r\n\r\n" + path
                        + "\r\n--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"content\"; filename=\"f.bin\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(content, 0, body, head.length, content.length);
        System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
        HttpRequest request = HttpRequest.newBuilder(URI.create(upload + "/files/upload"))
                .header("Authorization", bearer)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new IllegalStateException("upload answered " + response.statusCode() + ": " + response.body());
        }
    }

    private String drain(String from) throws Exception {
        String at = from;
        while (true) {
            String page = send(sync, "/files/sync?limit=2000" + (at == null ? "" : "&cursor=" + at), bearer, null, 200);
            at = field(page, "next_cursor");
            if (!page.contains("\"has_more\":true")) {
                return at;
            }
        }
    }

    private static String send(String base, String path, String bearer, String body, int expected) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(1));
        if (bearer != null) {
            request.header("Authorization", bearer);
        }
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** Waits until the service's readiness reports Redis UP (its breaker closed). */
    private static void awaitRedisUp(String base) throws Exception {
        long start = System.nanoTime();
        while (System.nanoTime() - start < Duration.ofSeconds(60).toNanos()) {
            String health = send(base, "/actuator/health/readiness", null, null, 200);
            if (health.replace(" ", "").contains("\"redis\":{\"status\":\"UP\"")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(base + " never reported Redis up");
    }

    private static Process startRedis(int port) throws Exception {
        Process process = new ProcessBuilder(
                        "redis-server",
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                OutputStream out = socket.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = socket.getInputStream();
                if (in.read() == '+') {
                    return process;
                }
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("redis-server did not start on port " + port);
    }

    private static double pct(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static String json(String template, Object value) {
        return String.format(template, value);
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }
}

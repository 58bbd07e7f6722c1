package dev.syncbox.bench.sync;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * (a) Wake-up latency: device B long-polls, device A commits (creates a folder); the time from the
 * start of A's request to B's long-poll answer, over many trials. (b) One {@code /files/sync} page
 * holding 10 new changes, in a namespace of 10 thousand files and of 1 million files.
 *
 * <p>Usage: {@code SyncBench <gateway-url> <psql-connection-uri> [trials]}. Files for (b) are
 * inserted straight into PostgreSQL, since uploading a million files is not what is measured.
 */
public final class SyncBench {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    record Device(String bearer) {}

    public static void main(String[] args) throws Exception {
        String gateway = args.length > 0 ? args[0] : "http://127.0.0.1:8080";
        String psql = args.length > 1 ? args[1] : "postgresql://postgres@127.0.0.1:15432/syncbox";
        int trials = args.length > 2 ? Integer.parseInt(args[2]) : 200;

        wakeUp(gateway, trials);
        System.out.println();
        System.out.println(
                "| namespace size | snapshot listing (first sync) | feed page with 10 new changes (median of 50, after 100 warm-up) |");
        System.out.println("|---:|---:|---:|");
        for (int files : new int[] {10_000, 1_000_000}) {
            feedCost(gateway, psql, files);
        }
    }

    private static void wakeUp(String gateway, int trials) throws Exception {
        String email = "bench-" + System.nanoTime() + "@example.test";
        Device a = signUp(gateway, email, true);
        Device b = login(gateway, email, "device-b");
        String cursor = drain(gateway, b, null);
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < trials; i++) {
            String c = cursor;
            CompletableFuture<String> poll =
                    CompletableFuture.supplyAsync(() -> get(gateway, b, "/files/sync/longpoll?timeout=30&cursor=" + c));
            Thread.sleep(30);
            long start = System.nanoTime();
            post(gateway, a, "/files/folder", "{\"path\":\"/wake/" + i + "\"}", 201);
            String answer = poll.get(60, TimeUnit.SECONDS);
            long end = System.nanoTime();
            if (!answer.contains("\"changes\":true")) {
                throw new IllegalStateException("long-poll did not report the change: " + answer);
            }
            millis.add((end - start) / 1e6);
            cursor = drain(gateway, b, cursor);
        }
        Collections.sort(millis);
        System.out.printf(
                "Wake-up latency over %d trials (commit on A -> long-poll of B returns): p50 %.1f ms, p95 %.1f ms,"
                        + " p99 %.1f ms, max %.1f ms%n",
                trials, pct(millis, 50), pct(millis, 95), pct(millis, 99), millis.get(millis.size() - 1));
    }

    private static void feedCost(String gateway, String psql, int files) throws Exception {
        String email = "bench-" + files + "-" + System.nanoTime() + "@example.test";
        Device a = signUp(gateway, email, true);
        Device b = login(gateway, email, "device-b");
        psql(
                psql,
                "INSERT INTO files (file_id, namespace_id, owner_id, file_path, path_key, parent_dir_path,"
                        + " parent_key, size_bytes) SELECT substr(md5(u.user_id::text || '-' || g), 1, 26),"
                        + " u.root_namespace_id, u.user_id, '/bulk/f' || lpad(g::text, 7, '0'),"
                        + " '/bulk/f' || lpad(g::text, 7, '0'), '/bulk', '/bulk', 1000"
                        + " FROM users u, generate_series(1, " + files + ") g WHERE u.email = '" + email + "'");
        psql(psql, "ANALYZE files");
        long start = System.nanoTime();
        String cursor = drain(gateway, b, null);
        double snapshotSeconds = (System.nanoTime() - start) / 1e9;
        for (int i = 0; i < 10; i++) {
            post(gateway, a, "/files/folder", "{\"path\":\"/changes/" + i + "\"}", 201);
        }
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            long t = System.nanoTime();
            String page = get(gateway, b, "/files/sync?limit=2000&cursor=" + cursor);
            if (i >= 100) { // the first 100 warm up the JIT and the connection pools
                millis.add((System.nanoTime() - t) / 1e6);
            }
            int changes = page.split("\"operation\"", -1).length - 1;
            if (changes != 11) { // the 10 folders and their parent
                throw new IllegalStateException("expected 11 changes, got " + changes);
            }
        }
        Collections.sort(millis);
        System.out.printf("| %,d files | %.1f s | %.2f ms |%n", files, snapshotSeconds, pct(millis, 50));
    }

    static double pct(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    static String drain(String gateway, Device device, String cursor) {
        while (true) {
            String page = get(gateway, device, "/files/sync?limit=2000" + (cursor == null ? "" : "&cursor=" + cursor));
            cursor = field(page, "next_cursor");
            if (!page.contains("\"has_more\":true")) {
                return cursor;
            }
        }
    }

    static Device signUp(String gateway, String email, boolean register) throws Exception {
        if (register) {
            post(
                    gateway,
                    null,
                    "/auth/register",
                    "{\"email\":\"" + email + "\",\"password\":\"benchmark-password\",\"name\":\"bench\"}",
                    201);
        }
        return login(gateway, email, "device-a");
    }

    static Device login(String gateway, String email, String name) throws Exception {
        String body = post(
                gateway,
                null,
                "/auth/login",
                "{\"email\":\"" + email + "\",\"password\":\"benchmark-password\",\"device_name\":\"" + name + "\"}",
                200);
        return new Device("Bearer " + field(body, "access_token"));
    }

    static String post(String gateway, Device device, String path, String json, int expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (device != null) {
            request.header("Authorization", device.bearer());
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(path + " -> " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    static String get(String gateway, Device device, String path) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(gateway + path))
                            .header("Authorization", device.bearer())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + " -> " + response.statusCode() + " " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void psql(String uri, String sql) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("psql", uri, "-v", "ON_ERROR_STOP=1", "-qc", sql)
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("psql failed: " + output);
        }
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }
}

package dev.syncbox.bench.gateway;

import dev.syncbox.bench.throughput.Multipart;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway as the load generators of bench/dav.sh, bench/dropbox.sh and bench/web.sh talk to it: one signed-in
 * account, one shared {@link HttpClient} (HTTP/1.1, a pool of keep-alive connections), answers of 300 and up thrown
 * with their body, and just enough JSON reading for the fields a benchmark needs.
 */
public final class Gateway {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private static final Pattern CURSOR = Pattern.compile("\"(?:cursor|next_cursor)\"\\s*:\\s*\"([^\"]+)\"");

    private final String base;
    private final String bearer;
    private final String email;

    private Gateway(String base, String bearer, String email) {
        this.base = base;
        this.bearer = bearer;
        this.email = email;
    }

    /**
     * A fresh account ({@code <name>-<nanos>@example.test}, password {@code <name>-password}) registered and logged in
     * as a device called "bench".
     */
    public static Gateway signUp(String base, String name) {
        String email = name + "-" + System.nanoTime() + "@example.test";
        Gateway anonymous = new Gateway(base, null, email);
        String credentials = "\"email\":\"" + email + "\",\"password\":\"" + name + "-password\"";
        anonymous.postJson("/auth/register", "{" + credentials + ",\"name\":\"bench\"}");
        String login = anonymous.postJson("/auth/login", "{" + credentials + ",\"device_name\":\"bench\"}");
        return new Gateway(base, "Bearer " + field(login, "access_token"), email);
    }

    public String base() {
        return base;
    }

    public String email() {
        return email;
    }

    /** A request for {@code path} (with its query) on the gateway, with the bearer token, a 5 minute timeout. */
    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(5));
        return bearer == null ? request : request.header("Authorization", bearer);
    }

    public String get(String path) {
        return text(send(request(path).GET()));
    }

    public String postJson(String path, String json) {
        return text(send(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))));
    }

    /**
     * {@code POST /files/upload} of {@code data} at {@code path} (the parts file_path, then content); the content
     * goes out of {@code data} itself, not a copy, so a timed upload times the transfer. Returns the answer's JSON.
     */
    public String upload(String path, byte[] data) {
        byte[] head = new Multipart().field("file_path", path).fileHead("content");
        return text(send(request("/files/upload")
                .header("Content-Type", Multipart.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.concat(
                        HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofByteArray(data),
                        HttpRequest.BodyPublishers.ofByteArray(Multipart.tail())))));
    }

    /** Sends {@code request}; an answer of 300 or more is an exception with its status and body. */
    public static HttpResponse<InputStream> send(HttpRequest.Builder request) {
        HttpRequest built = request.build();
        try {
            HttpResponse<InputStream> response = HTTP.send(built, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() >= 300) {
                String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
                throw new IllegalStateException(built.method() + " "
                        + built.uri().getPath() + " answered " + response.statusCode() + ": " + body);
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String text(HttpResponse<InputStream> response) {
        return new String(bytes(response), StandardCharsets.UTF_8);
    }

    public static byte[] bytes(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the body to its end and throws it away; returns its length. */
    public static long drain(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
            }
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The string value of {@code "name":"…"} in a JSON body. */
    public static String field(String body, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + body);
        }
        return m.group(1);
    }

    /** The {@code cursor} or {@code next_cursor} of a feed page or a Dropbox listing. */
    public static String cursor(String body) {
        Matcher m = CURSOR.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no cursor in " + body.substring(0, Math.min(300, body.length())));
        }
        return m.group(1);
    }

    public static int count(String body, String marker) {
        return body.split(Pattern.quote(marker), -1).length - 1;
    }

    public static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    /**
     * Runs {@code task} for 0 to {@code count - 1} on {@code threads} threads and waits for all of them; the first
     * failure is thrown. Returns the nanoseconds from the first submission to the last completion.
     */
    public static long parallel(int count, int threads, IntConsumer task) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int n = i;
                done.add(pool.submit(() -> task.accept(n)));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return System.nanoTime() - start;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }
}

package dev.syncbox.bench.throughput;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * One client of the gateway, as one device: its own {@link HttpClient} and so its own keep-alive connection
 * (HTTP/1.1, one request at a time), and the bearer token of its login.
 */
final class Api {

    /** The clients' internal threads, shared: 64 clients should not each start a pool of their own. */
    private static final ExecutorService HTTP_THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "http-client");
        t.setDaemon(true);
        return t;
    });

    private final HttpClient http;
    private final String base;
    private final String bearer;

    private Api(String base, String bearer) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(HTTP_THREADS)
                .build();
        this.base = base;
        this.bearer = bearer;
    }

    static Api anonymous(String base) {
        return new Api(base, null);
    }

    /** A new client (a new connection) for the same device. */
    Api copy() {
        return new Api(base, bearer);
    }

    /** Registers {@code email} and logs it in as a new device; never sends a wrong password (logins are throttled). */
    static Api signUp(String base, String email) {
        Api anonymous = anonymous(base);
        String credentials = "\"email\":\"" + email + "\",\"password\":\"throughput-bench-password\"";
        anonymous
                .postJson("/auth/register", "{" + credentials + ",\"name\":\"bench\"}")
                .expect(201, "register");
        Reply login = anonymous
                .postJson("/auth/login", "{" + credentials + ",\"device_name\":\"bench\"}")
                .expect(200, "login");
        return new Api(base, "Bearer " + login.field("access_token"));
    }

    /** A second device of the same account. */
    static Api login(String base, String email, String device) {
        Reply login = anonymous(base)
                .postJson(
                        "/auth/login",
                        "{\"email\":\"" + email + "\",\"password\":\"throughput-bench-password\",\"device_name\":\""
                                + device + "\"}")
                .expect(200, "login");
        return new Api(base, "Bearer " + login.field("access_token"));
    }

    Reply get(String path) {
        return send(request(path).GET());
    }

    Reply postJson(String path, String json) {
        return send(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    Reply postMultipart(String path, byte[] body) {
        return send(request(path)
                .header("Content-Type", Multipart.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** {@code POST /files/upload} of a small file: file_path and file_size before content, as the contract says. */
    Reply upload(String filePath, byte[] content) {
        return postMultipart(
                "/files/upload",
                new Multipart()
                        .field("file_path", filePath)
                        .field("file_size", Integer.toString(content.length))
                        .file("content", content)
                        .finish());
    }

    /** {@code POST /files/upload} of {@code size} bytes streamed from {@code content}, with a Content-Length. */
    Reply uploadStream(String filePath, long size, Supplier<InputStream> content) {
        byte[] head = new Multipart()
                .field("file_path", filePath)
                .field("file_size", Long.toString(size))
                .fileHead("content");
        byte[] tail = Multipart.tail();
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> Multipart.stream(head, content.get(), tail)),
                head.length + size + tail.length);
        return send(request("/files/upload")
                .header("Content-Type", Multipart.CONTENT_TYPE)
                .POST(body));
    }

    Reply putBlock(String blockId, byte[] data) {
        return send(request("/blocks/" + blockId)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)));
    }

    /** {@code GET path}, the body read and thrown away; returns the number of body bytes. */
    long drain(String path) {
        try {
            HttpResponse<InputStream> response =
                    http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            long total = 0;
            try (InputStream in = response.body()) {
                byte[] buffer = new byte[1 << 20];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    total += n;
                }
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " -> " + response.statusCode());
            }
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(10));
        if (bearer != null) {
            request.header("Authorization", bearer);
        }
        return request;
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

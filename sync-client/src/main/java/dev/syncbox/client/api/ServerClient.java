package dev.syncbox.client.api;

import dev.syncbox.client.sync.RemoteSide.Refused;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server's REST API over HTTP: JSON in snake_case both ways, the device's bearer token on every request, and
 * every answer that is not a success turned into a {@link Refused} with the problem's status and {@code code}.
 */
public final class ServerClient {

    public static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final URI base;
    private final String token;
    private final HttpClient http;

    public ServerClient(String server, String token) {
        this.base = URI.create(server.endsWith("/") ? server.substring(0, server.length() - 1) : server);
        this.token = token;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    public URI base() {
        return base;
    }

    public String token() {
        return token;
    }

    public static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    public JsonNode get(String path) throws IOException {
        return send(request(path).GET(), true);
    }

    /** A GET that may wait up to {@code wait} for its answer (the long-poll). */
    public JsonNode get(String path, Duration wait) throws IOException {
        return send(request(path).timeout(wait).GET());
    }

    /** A POST; repeated after a transient failure only where it changes nothing ({@code /blocks/check}). */
    public JsonNode post(String path, Object body) throws IOException {
        return send(
                request(path)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))),
                path.equals("/blocks/check"));
    }

    /** A DELETE; repeated after a transient failure (deleting what is gone is a 404, never a second change). */
    public JsonNode delete(String path) throws IOException {
        return send(request(path).DELETE(), true);
    }

    public JsonNode put(String path, Object body) throws IOException {
        return send(
                request(path)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))),
                true);
    }

    public JsonNode put(String path, byte[] bytes, int off, int len) throws IOException {
        return send(
                request(path)
                        .header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes, off, len)),
                true);
    }

    /**
     * A {@code multipart/form-data} POST of byte parts, each named by {@code name} (and carrying it as its file name),
     * in the order given: the server answers for them in that order.
     */
    public JsonNode postParts(String path, List<Map.Entry<String, byte[]>> parts) throws IOException {
        String boundary = "syncbox-" + UUID.randomUUID();
        List<byte[]> body = new ArrayList<>(parts.size() * 3 + 1);
        for (Map.Entry<String, byte[]> part : parts) {
            body.add(
                    ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part.getKey() + "\"; filename=\""
                                    + part.getKey() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            body.add(part.getValue());
            body.add("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.add(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        // Blocks are named by their content: sending them twice stores them once.
        return send(
                request(path)
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArrays(body)),
                true);
    }

    /** The answer's body as a stream; the caller closes it. */
    public InputStream stream(String path) throws IOException {
        return streamed(request(path).GET()).body();
    }

    /**
     * A POST of JSON that reads and changes nothing (so it is repeated after a transient failure), whose answer is
     * streamed: the caller reads the headers and closes the body.
     */
    public HttpResponse<InputStream> postForStream(String path, Object body) throws IOException {
        return streamed(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    private HttpResponse<InputStream> streamed(HttpRequest.Builder request) throws IOException {
        HttpResponse<InputStream> response = exchange(request, HttpResponse.BodyHandlers.ofInputStream(), true);
        if (response.statusCode() / 100 != 2) {
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(64 * 1024);
            }
            throw refused(response.statusCode(), new String(body, StandardCharsets.UTF_8));
        }
        return response;
    }

    /** Tries of a request that is safe to repeat. */
    static final int ATTEMPTS = 3;

    private static final Set<Integer> TRANSIENT = Set.of(429, 502, 503, 504);

    /** Waits before the next try: 250 ms, then 1 s, or what the server asked for (at most 10 s). */
    private static void pause(int attempt, String retryAfter) throws IOException {
        long millis = attempt == 1 ? 250 : 1_000;
        if (retryAfter != null) {
            try {
                millis = Math.min(10_000, Math.max(0, Long.parseLong(retryAfter.trim()) * 1_000));
            } catch (NumberFormatException e) {
                // An HTTP date: the growing wait instead.
            }
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException {
        return send(request, false);
    }

    private JsonNode send(HttpRequest.Builder request, boolean repeatable) throws IOException {
        HttpResponse<String> response = exchange(request, HttpResponse.BodyHandlers.ofString(), repeatable);
        if (response.statusCode() / 100 != 2) {
            throw refused(response.statusCode(), response.body());
        }
        String body = response.body();
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            throw new IOException("the server answered " + response.statusCode() + " with a body that is not JSON");
        }
    }

    /**
     * Sends the request; one that is safe to repeat ({@code repeatable}) is tried again after a connection failure
     * or an answer that says "later" (429, 502, 503, 504), up to {@link #ATTEMPTS} times with a growing wait or the
     * server's {@code Retry-After}. Others fail at once and are retried by the next pass, which plans from what the
     * server then says (a commit repeated blindly could become a conflicted copy of itself).
     */
    private <T> HttpResponse<T> exchange(
            HttpRequest.Builder request, HttpResponse.BodyHandler<T> body, boolean repeatable) throws IOException {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<T> response;
            try {
                response = exchange(request, body);
            } catch (IOException e) {
                if (!repeatable || attempt == ATTEMPTS || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                pause(attempt, null);
                continue;
            }
            if (!repeatable || attempt == ATTEMPTS || !TRANSIENT.contains(response.statusCode())) {
                return response;
            }
            if (response.body() instanceof Closeable unread) {
                unread.close();
            }
            pause(attempt, response.headers().firstValue("Retry-After").orElse(null));
        }
    }

    private <T> HttpResponse<T> exchange(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body)
            throws IOException {
        try {
            return http.send(request.build(), body);
        } catch (ConnectException e) {
            throw new IOException("cannot reach the server at " + base, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** A problem document's {@code code} and {@code detail}, or the bare status when the body is not one. */
    static Refused refused(int status, String body) {
        String code = "http_" + status;
        String detail = null;
        try {
            JsonNode problem = JSON.readTree(body == null || body.isBlank() ? "{}" : body);
            if (problem.hasNonNull("code")) {
                code = problem.get("code").asString();
            }
            if (problem.hasNonNull("detail")) {
                detail = problem.get("detail").asString();
            }
        } catch (JacksonException e) {
            // Not a problem document (a proxy's page): the status says enough.
        }
        return new Refused(status, code, detail);
    }
}

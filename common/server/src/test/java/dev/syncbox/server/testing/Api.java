package dev.syncbox.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for integration tests: real requests to a service on a loopback port. */
public final class Api {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String base;

    public Api(String base) {
        this.base = base;
    }

    public static Api local(int port) {
        return new Api("http://127.0.0.1:" + port);
    }

    /** A JSON (or problem) answer. */
    public record Response(int status, java.net.http.HttpHeaders headers, JsonNode body) {

        public String code() {
            return body.path("code").asString();
        }

        public String text(String field) {
            return body.path(field).asString();
        }
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(2));
    }

    public Response get(String path, String bearer) {
        HttpRequest.Builder request = request(path).GET();
        return json(bearer == null ? request : request.header("Authorization", bearer));
    }

    public Response postJson(String path, String bearer, Object body) {
        return sendJson("POST", path, bearer, body);
    }

    public Response putJson(String path, String bearer, Object body) {
        return sendJson("PUT", path, bearer, body);
    }

    /** {@code body} as JSON (a string is sent as it is). */
    private Response sendJson(String method, String path, String bearer, Object body) {
        HttpRequest.Builder request = request(path)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        HttpRequest.BodyPublishers.ofString(
                                body instanceof String s ? s : JSON.writeValueAsString(body), StandardCharsets.UTF_8));
        return json(bearer == null ? request : request.header("Authorization", bearer));
    }

    public Response upload(String path, String bearer, Multipart body) {
        HttpRequest.Builder request =
                request(path).header("Content-Type", body.contentType()).POST(body.publisher());
        return json(bearer == null ? request : request.header("Authorization", bearer));
    }

    /**
     * {@code POST /files/upload} of a text file: {@code parentVersionId} and {@code mode} are left out
     * when null.
     */
    public Response uploadText(String bearer, String filePath, String text, String parentVersionId, String mode) {
        Multipart form = new Multipart().field("file_path", filePath);
        if (parentVersionId != null) {
            form.field("parent_version_id", parentVersionId);
        }
        if (mode != null) {
            form.field("mode", mode);
        }
        return upload("/files/upload", bearer, form.file("content", text.getBytes(StandardCharsets.UTF_8)));
    }

    public Response json(HttpRequest.Builder request) {
        HttpResponse<byte[]> response = send(request, HttpResponse.BodyHandlers.ofByteArray());
        JsonNode body = response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
        return new Response(response.statusCode(), response.headers(), body);
    }

    public HttpResponse<InputStream> stream(HttpRequest.Builder request) {
        return send(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    public HttpResponse<byte[]> bytes(HttpRequest.Builder request) {
        return send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
        try {
            return CLIENT.send(request.build(), handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.id.Ids;
import dev.syncbox.server.testing.Api;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * tus 1.0.0 on {@code /files/tus} through the gateway, as tus-js-client speaks it: create, PATCH in parts, HEAD for
 * the offset, a PATCH whose connection drops mid-body (sent straight to upload-service on a raw socket, since the test
 * gateway buffers bodies) and its resumption, the commit on the last byte (overwrite, add, empty), and the refusals.
 */
class TusUploadIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String OFFSET_STREAM = "application/offset+octet-stream";

    static RunningSystem system;
    static TestGateway gateway;
    static Api gw;
    static Api sync;
    static Api upload;
    static String bearer;
    static String stranger;

    @BeforeAll
    static void start() throws IOException {
        system = RunningSystem.get();
        gateway = TestGateway.in(system);
        gw = new Api(gateway.url());
        sync = system.api(system.sync);
        upload = system.api(system.upload);
        bearer = person("tus");
        stranger = person("stranger");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void uploadsInPartsResumesAfterADroppedConnectionAndCommitsOnTheLastByte() throws Exception {
        byte[] content = random(9 * 1024 * 1024 + 123, 1);
        Instant modified = Instant.parse("2026-03-04T05:06:07Z");

        HttpResponse<byte[]> options = send("OPTIONS", "/files/tus", bearer, null, Map.of());
        assertThat(options.statusCode()).isEqualTo(204);
        assertThat(header(options, "Tus-Version")).isEqualTo("1.0.0");
        assertThat(header(options, "Tus-Extension")).isEqualTo("creation,creation-with-upload,termination");
        assertThat(Long.parseLong(header(options, "Tus-Max-Size"))).isGreaterThan(content.length);
        assertThat(header(options, "Tus-Resumable")).isEqualTo("1.0.0");

        String metadata =
                metadata(Map.of("path", "/Tus/big.bin", "client_modified", modified.toString(), "filename", "big.bin"));
        HttpResponse<byte[]> created = create(bearer, content.length, metadata, null);
        assertThat(created.statusCode()).isEqualTo(201);
        String location = header(created, "Location");
        assertThat(location).matches("/files/tus/[0-9A-Z]{26}");
        assertThat(header(created, "Upload-Offset")).isEqualTo("0");
        assertThat(header(created, "Upload-Expires")).endsWith(" GMT");
        assertThat(header(created, "Tus-Resumable")).isEqualTo("1.0.0");
        assertThat(created.headers().firstValue("Syncbox-File-Id")).isEmpty();

        int first = 3 * 1024 * 1024;
        HttpResponse<byte[]> patched = patch(bearer, location, 0, Arrays.copyOfRange(content, 0, first));
        assertThat(patched.statusCode()).isEqualTo(204);
        assertThat(header(patched, "Upload-Offset")).isEqualTo(Integer.toString(first));
        assertThat(header(patched, "Tus-Resumable")).isEqualTo("1.0.0");

        HttpResponse<byte[]> head = send("HEAD", location, bearer, null, Map.of());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(header(head, "Upload-Offset")).isEqualTo(Integer.toString(first));
        assertThat(header(head, "Upload-Length")).isEqualTo(Integer.toString(content.length));
        assertThat(header(head, "Upload-Metadata")).isEqualTo(metadata);
        assertThat(header(head, "Cache-Control")).isEqualTo("no-store");
        assertThat(header(head, "Tus-Resumable")).isEqualTo("1.0.0");

        HttpResponse<byte[]> stale = patch(bearer, location, 0, Arrays.copyOfRange(content, 0, 10));
        assertProblem(stale, 409, "incorrect_offset");
        assertThat(JSON.readTree(stale.body()).path("expected_offset").asLong()).isEqualTo(first);
        assertThat(header(stale, "Tus-Resumable")).isEqualTo("1.0.0");

        // The client goes away after 2.5 MiB of a PATCH that announced the rest of the file.
        int sent = 5 * 512 * 1024;
        dropMidBody(location, first, content, sent);
        long resumed = awaitOffsetPast(location, first);
        assertThat(resumed).as("what arrived before the drop is stored").isEqualTo(first + sent);

        HttpResponse<byte[]> last =
                patch(bearer, location, resumed, Arrays.copyOfRange(content, (int) resumed, content.length));
        assertThat(last.statusCode()).isEqualTo(204);
        assertThat(header(last, "Upload-Offset")).isEqualTo(Integer.toString(content.length));
        String fileId = header(last, "Syncbox-File-Id");
        String versionId = header(last, "Syncbox-Version-Id");
        assertThat(fileId).isNotBlank();
        assertThat(versionId).isNotBlank();

        HttpResponse<byte[]> done = send("HEAD", location, bearer, null, Map.of());
        assertThat(header(done, "Upload-Offset")).isEqualTo(Integer.toString(content.length));
        assertThat(header(done, "Syncbox-File-Id")).isEqualTo(fileId);
        assertThat(header(done, "Syncbox-Version-Id")).isEqualTo(versionId);
        HttpResponse<byte[]> again = patch(bearer, location, content.length, new byte[0]);
        assertThat(again.statusCode()).as("the last PATCH again: nothing new").isEqualTo(204);
        assertThat(header(again, "Syncbox-Version-Id")).isEqualTo(versionId);
        HttpResponse<byte[]> more = patch(bearer, location, content.length, new byte[1]);
        assertProblem(more, 413, "payload_too_large");

        assertThat(download(fileId)).isEqualTo(content);
        JsonNode file = gw.get("/files/" + fileId + "/metadata", bearer).body();
        assertThat(file.path("path").asString()).isEqualTo("/Tus/big.bin");
        assertThat(file.path("size").asLong()).isEqualTo(content.length);
        assertThat(file.path("current_version_id").asString()).isEqualTo(versionId);
        java.util.List<String> journaled = new java.util.ArrayList<>();
        for (JsonNode change : gw.get("/files/sync?limit=1000", bearer).body().path("changes")) {
            journaled.add(change.path("path").asString());
        }
        assertThat(journaled).as("journaled").contains("/Tus/big.bin");
        Instant kept = system.sync
                .getBean(JdbcTemplate.class)
                .queryForObject(
                        "SELECT client_modified_at FROM file_versions WHERE version_id = ?",
                        java.sql.Timestamp.class,
                        versionId)
                .toInstant();
        assertThat(kept).isEqualTo(modified);
    }

    @Test
    void overwriteMakesANewVersionAndAddTakesAFreeName() {
        HttpResponse<byte[]> one = create(bearer, 3, metadata(Map.of("path", "/Modes/a.txt")), bytes("one"));
        assertThat(one.statusCode())
                .as("creation with the whole upload commits")
                .isEqualTo(201);
        assertThat(header(one, "Upload-Offset")).isEqualTo("3");
        String fileId = header(one, "Syncbox-File-Id");
        assertThat(fileId).isNotBlank();

        String two = header(create(bearer, 3, metadata(Map.of("path", "/modes/A.txt")), null), "Location");
        HttpResponse<byte[]> overwritten = patch(bearer, two, 0, bytes("two"));
        assertThat(overwritten.statusCode()).isEqualTo(204);
        assertThat(header(overwritten, "Syncbox-File-Id")).isEqualTo(fileId);
        assertThat(header(overwritten, "Syncbox-Version-Id")).isNotEqualTo(header(one, "Syncbox-Version-Id"));
        assertThat(gw.get("/files/" + fileId + "/versions", bearer)
                        .body()
                        .path("versions")
                        .size())
                .isEqualTo(2);

        HttpResponse<byte[]> added =
                create(bearer, 5, metadata(Map.of("path", "/Modes/a.txt", "mode", "add")), bytes("three"));
        assertThat(added.statusCode()).isEqualTo(201);
        String addedId = header(added, "Syncbox-File-Id");
        assertThat(addedId).isNotEqualTo(fileId);
        assertThat(gw.get("/files/" + addedId + "/metadata", bearer).text("path"))
                .isEqualTo("/Modes/a (1).txt");
        assertThat(download(fileId)).isEqualTo(bytes("two"));
        assertThat(download(addedId)).isEqualTo(bytes("three"));
    }

    @Test
    void anEmptyUploadIsCommittedAtCreation() {
        HttpResponse<byte[]> created = create(bearer, 0, metadata(Map.of("path", "/Empty/none.txt")), null);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(header(created, "Upload-Offset")).isEqualTo("0");
        String fileId = header(created, "Syncbox-File-Id");
        assertThat(fileId).isNotBlank();
        assertThat(header(created, "Syncbox-Version-Id")).isNotBlank();
        assertThat(download(fileId)).isEmpty();
        HttpResponse<byte[]> head = send("HEAD", header(created, "Location"), bearer, null, Map.of());
        assertThat(header(head, "Upload-Offset")).isEqualTo("0");
        assertThat(header(head, "Syncbox-File-Id")).isEqualTo(fileId);
    }

    @Test
    void aCommitThatFailsLeavesTheOffsetWhereItWas() {
        String location = header(create(bearer, 4, metadata(Map.of("path", "/Clash/x")), null), "Location");
        assertThat(patch(bearer, location, 0, bytes("ab")).statusCode()).isEqualTo(204);
        assertThat(gw.postJson("/files/folder", bearer, Map.of("path", "/Clash/x"))
                        .status())
                .isEqualTo(201);

        assertProblem(patch(bearer, location, 2, bytes("cd")), 409, "path_conflict");
        assertThat(header(send("HEAD", location, bearer, null, Map.of()), "Upload-Offset"))
                .as("the last bytes count only once committed")
                .isEqualTo("2");
    }

    @Test
    void refusesWhatIsNotTusOrNotTheCallers() throws Exception {
        String good = metadata(Map.of("path", "/Bad/a.bin"));
        HttpResponse<byte[]> noVersion = send("POST", "/files/tus", bearer, null, Map.of("Upload-Length", "3"));
        assertProblem(noVersion, 412, "precondition_failed");
        assertThat(header(noVersion, "Tus-Version")).isEqualTo("1.0.0");
        assertThat(header(noVersion, "Tus-Resumable")).isEqualTo("1.0.0");
        HttpResponse<byte[]> oldVersion = send(
                "POST",
                "/files/tus",
                bearer,
                null,
                Map.of("Tus-Resumable", "0.2.2", "Upload-Length", "3", "Upload-Metadata", good));
        assertProblem(oldVersion, 412, "precondition_failed");
        assertThat(header(oldVersion, "Tus-Version")).isEqualTo("1.0.0");

        assertProblem(tusPost(Map.of("Upload-Metadata", good)), 400, "invalid_request");
        assertProblem(tusPost(Map.of("Upload-Defer-Length", "1", "Upload-Metadata", good)), 400, "invalid_request");
        assertProblem(tusPost(Map.of("Upload-Length", "-1", "Upload-Metadata", good)), 400, "invalid_request");
        assertProblem(tusPost(Map.of("Upload-Length", "3")), 400, "invalid_request");
        assertProblem(
                tusPost(Map.of("Upload-Length", "3", "Upload-Metadata", metadata(Map.of("filename", "a.bin")))),
                400,
                "invalid_request");
        assertProblem(
                tusPost(Map.of("Upload-Length", "3", "Upload-Metadata", metadata(Map.of("path", "no/slash")))),
                400,
                "invalid_path");
        assertProblem(
                tusPost(Map.of(
                        "Upload-Length", "3", "Upload-Metadata", metadata(Map.of("path", "/a", "mode", "update")))),
                400,
                "invalid_request");
        assertProblem(tusPost(Map.of("Upload-Length", "3", "Upload-Metadata", "path %%%")), 400, "invalid_request");

        String location = header(create(bearer, 10, good, null), "Location");
        HttpResponse<byte[]> wrongType = send(
                "PATCH",
                location,
                bearer,
                bytes("abc"),
                Map.of("Tus-Resumable", "1.0.0", "Upload-Offset", "0", "Content-Type", "application/octet-stream"));
        assertProblem(wrongType, 415, "unsupported_media_type");
        assertProblem(patch(bearer, location, 0, new byte[11]), 413, "payload_too_large");
        // Chunked, so that only the bytes themselves tell (straight to the service: the test gateway buffers).
        HttpResponse<byte[]> chunked = upload.bytes(upload.request(location)
                .header("Authorization", bearer)
                .header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", "0")
                .header("Content-Type", OFFSET_STREAM)
                .method(
                        "PATCH",
                        HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[11]))));
        assertProblem(chunked, 413, "payload_too_large");
        assertThat(header(send("HEAD", location, bearer, null, Map.of()), "Upload-Offset"))
                .isEqualTo("0");

        // Someone else's upload is no upload at all.
        assertThat(patch(bearer, location, 0, bytes("abc")).statusCode()).isEqualTo(204);
        assertProblem(send("HEAD", location, stranger, null, Map.of()), 404, null);
        assertProblem(patch(stranger, location, 3, bytes("def")), 404, "not_found");
        assertProblem(send("DELETE", location, stranger, null, Map.of()), 404, "not_found");
        assertProblem(send("HEAD", "/files/tus/" + Ids.newId(), bearer, null, Map.of()), 404, null);
        assertThat(header(send("HEAD", location, bearer, null, Map.of()), "Upload-Offset"))
                .isEqualTo("3");

        // No token: refused like every route, still saying which protocol this is.
        HttpResponse<byte[]> anonymous = send("OPTIONS", "/files/tus", null, null, Map.of());
        assertProblem(anonymous, 401, "unauthorized");
        assertThat(header(anonymous, "Tus-Resumable")).isEqualTo("1.0.0");
    }

    @Test
    void checksTheQuotaAtCreation() {
        String small = person("small");
        system.sync
                .getBean(JdbcTemplate.class)
                .update(
                        "UPDATE users SET max_space_bytes = 1000 WHERE user_id ="
                                + " (SELECT user_id FROM devices WHERE device_id = ?)",
                        deviceOf(small));

        HttpResponse<byte[]> options = send("OPTIONS", "/files/tus", small, null, Map.of());
        assertThat(header(options, "Tus-Max-Size")).isEqualTo("1000");
        assertProblem(create(small, 1001, metadata(Map.of("path", "/big")), null), 413, "payload_too_large");
        assertThat(create(small, 900, metadata(Map.of("path", "/fits")), new byte[900])
                        .statusCode())
                .isEqualTo(201);
        assertProblem(create(small, 200, metadata(Map.of("path", "/more")), null), 507, "quota_exceeded");
        assertThat(create(small, 950, metadata(Map.of("path", "/fits")), null).statusCode())
                .as("replacing the 900-byte file frees its space")
                .isEqualTo(201);
        assertProblem(
                create(small, 950, metadata(Map.of("path", "/fits", "mode", "add")), null), 507, "quota_exceeded");
    }

    @Test
    void terminationEndsTheUploadAndLetsItsSessionGo() {
        String location = header(create(bearer, 100, metadata(Map.of("path", "/Gone/a.bin")), null), "Location");
        assertThat(patch(bearer, location, 0, random(40, 3)).statusCode()).isEqualTo(204);

        HttpResponse<byte[]> terminated = send("DELETE", location, bearer, null, Map.of());
        assertThat(terminated.statusCode()).isEqualTo(204);
        assertThat(header(terminated, "Tus-Resumable")).isEqualTo("1.0.0");
        assertProblem(send("HEAD", location, bearer, null, Map.of()), 404, null);
        assertProblem(patch(bearer, location, 40, random(60, 4)), 404, "not_found");
        assertProblem(send("DELETE", location, bearer, null, Map.of()), 404, "not_found");
        Integer rows = system.upload
                .getBean(JdbcTemplate.class)
                .queryForObject(
                        "SELECT count(*) FROM upload_sessions WHERE session_id = ?",
                        Integer.class,
                        location.substring(location.lastIndexOf('/') + 1));
        assertThat(rows).isZero();
        assertThat(gw.get("/files/list?path=/", bearer).body().toString())
                .as("nothing committed, not even the folder")
                .doesNotContain("Gone");
    }

    // ---- the client

    private static HttpResponse<byte[]> create(String bearer, long length, String metadata, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Tus-Resumable", "1.0.0");
        headers.put("Upload-Length", Long.toString(length));
        headers.put("Upload-Metadata", metadata);
        if (body != null) {
            headers.put("Content-Type", OFFSET_STREAM);
        }
        return send("POST", "/files/tus", bearer, body, headers);
    }

    private static HttpResponse<byte[]> tusPost(Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Tus-Resumable", "1.0.0");
        return send("POST", "/files/tus", bearer, null, all);
    }

    private static HttpResponse<byte[]> patch(String bearer, String location, long offset, byte[] body) {
        return send(
                "PATCH",
                location,
                bearer,
                body,
                Map.of(
                        "Tus-Resumable",
                        "1.0.0",
                        "Upload-Offset",
                        Long.toString(offset),
                        "Content-Type",
                        OFFSET_STREAM));
    }

    private static HttpResponse<byte[]> send(
            String method, String path, String bearer, byte[] body, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        if (!method.equals("OPTIONS") && !all.containsKey("Tus-Resumable") && !path.equals("/files/tus")) {
            all.put("Tus-Resumable", "1.0.0");
        }
        HttpRequest.Builder request = gw.request(path)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        all.forEach(request::header);
        if (bearer != null) {
            request.header("Authorization", bearer);
        }
        return gw.bytes(request);
    }

    /**
     * A PATCH at {@code offset} announcing the rest of {@code content}, straight to upload-service on a socket that
     * is closed after {@code sent} bytes of the body.
     */
    private static void dropMidBody(String location, long offset, byte[] content, int sent) throws Exception {
        int port = Integer.parseInt(system.upload.getEnvironment().getRequiredProperty("local.server.port"));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            String head = "PATCH " + location + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + bearer
                    + "\r\nTus-Resumable: 1.0.0\r\nContent-Type: " + OFFSET_STREAM + "\r\nUpload-Offset: " + offset
                    + "\r\nContent-Length: " + (content.length - offset) + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(content, (int) offset, sent);
            out.flush();
            Thread.sleep(300);
        }
    }

    /** The offset HEAD tells once it has moved past {@code before} (the dropped PATCH ends on the server's time). */
    private static long awaitOffsetPast(String location, long before) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            long offset = Long.parseLong(header(send("HEAD", location, bearer, null, Map.of()), "Upload-Offset"));
            if (offset > before || System.nanoTime() > deadline) {
                return offset;
            }
            Thread.sleep(100);
        }
    }

    private static byte[] download(String fileId) {
        HttpResponse<InputStream> response = gw.stream(gw.request("/files/download/" + fileId)
                .header("Authorization", bearer)
                .GET());
        assertThat(response.statusCode()).isEqualTo(200);
        try (InputStream in = response.body()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertProblem(HttpResponse<byte[]> response, int status, String code) {
        assertThat(response.statusCode())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(status);
        assertThat(header(response, "Content-Type")).startsWith("application/problem+json");
        if (code != null) {
            assertThat(JSON.readTree(response.body()).path("code").asString()).isEqualTo(code);
        }
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** An Upload-Metadata header of these pairs (in no particular order). */
    private static String metadata(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> e.getKey() + " "
                        + Base64.getEncoder().encodeToString(e.getValue().getBytes(StandardCharsets.UTF_8)))
                .collect(Collectors.joining(","));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String person(String name) {
        String email = name + "-" + Ids.newId().toLowerCase() + "@example.test";
        assertThat(sync.postJson(
                                "/auth/register",
                                null,
                                Map.of("email", email, "password", "a long password", "name", name))
                        .status())
                .isEqualTo(201);
        Api.Response login = sync.postJson(
                "/auth/login", null, Map.of("email", email, "password", "a long password", "device_name", "tus"));
        assertThat(login.status()).isEqualTo(200);
        return "Bearer " + login.text("access_token");
    }

    private static String deviceOf(String bearer) {
        String token = bearer.substring("Bearer ".length());
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        return claims.path("device_id").asString();
    }
}

package dev.syncbox.bench.wire;

import dev.syncbox.core.chunk.ChunkRef;
import dev.syncbox.core.chunk.Chunker;
import dev.syncbox.core.delta.DeltaPlanner;
import dev.syncbox.core.delta.RandomAccessContent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Just enough of a sync client to push a new version of a file the way the reference client does. */
final class SyncboxClient {

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;
    private String bearer;
    private String lastFileId;

    SyncboxClient(String base) {
        this.base = base;
    }

    void signUp(String email, String password) throws IOException, InterruptedException {
        String credentials = "\"email\":\"" + email + "\",\"password\":\"" + password + "\"";
        send("POST", "/auth/register", "{" + credentials + ",\"name\":\"bench\"}", 201);
        String login = send("POST", "/auth/login", "{" + credentials + ",\"device_name\":\"bench\"}", 200);
        bearer = "Bearer " + field(login, "access_token");
    }

    /**
     * Pushes {@code next} as the new version of {@code path}: plans blocks against {@code previous}
     * (whose bytes are {@code old}), asks which uploads the server lacks, sends those (as deltas when
     * {@code deltas}), and commits. Returns the new version id.
     */
    String push(
            String path,
            String parentVersionId,
            Chunker chunker,
            List<ChunkRef> previous,
            byte[] old,
            byte[] next,
            boolean deltas)
            throws IOException, InterruptedException {
        DeltaPlanner.Plan plan =
                DeltaPlanner.plan(chunker, previous, RandomAccessContent.of(old), new ByteArrayInputStream(next));
        Set<String> missing = new HashSet<>();
        if (!plan.uploads().isEmpty()) {
            String ids =
                    plan.uploads().stream().map(u -> '"' + u.blockId() + '"').collect(Collectors.joining(","));
            String check = send("POST", "/blocks/check", "{\"block_hashes\":[" + ids + "]}", 200);
            missing.addAll(list(check, "missing"));
        }
        for (DeltaPlanner.BlockUpload upload : plan.uploads()) {
            if (!missing.contains(upload.blockId())) {
                continue;
            }
            if (deltas && upload.isDelta()) {
                sendBytes(
                        "/blocks/" + upload.blockId() + "/delta?base=" + String.join(",", upload.baseIds()),
                        upload.delta());
            } else {
                sendBytes("/blocks/" + upload.blockId(), upload.data());
            }
        }
        String blocks = plan.blocks().stream().map(b -> '"' + b.blockId() + '"').collect(Collectors.joining(","));
        String parent = parentVersionId == null ? "null" : '"' + parentVersionId + '"';
        String commit = send(
                "POST",
                "/files/commit",
                "{\"file_path\":\"" + path + "\",\"parent_version_id\":" + parent + ",\"blocks\":[" + blocks
                        + "],\"size\":" + plan.size() + ",\"content_hash\":\"" + plan.contentHash() + "\"}",
                200);
        lastFileId = field(commit, "file_id");
        return field(commit, "version_id");
    }

    /** The file id of the last {@link #push}. */
    String lastFileId() {
        return lastFileId;
    }

    /** {@code GET /files/download/{id}?version=}: the version's SHA-256 and the seconds it took to read it all. */
    Read download(String fileId, String versionId) throws IOException, InterruptedException {
        long started = System.nanoTime();
        HttpResponse<java.io.InputStream> response = http.send(
                HttpRequest.newBuilder(URI.create(base + "/files/download/" + fileId + "?version=" + versionId))
                        .header("Authorization", bearer)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("download of " + versionId + " → " + response.statusCode());
        }
        java.security.MessageDigest sha = dev.syncbox.core.hash.Sha256.newDigest();
        long bytes = 0;
        try (java.io.InputStream in = response.body()) {
            byte[] buffer = new byte[256 * 1024];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
                bytes += n;
            }
        }
        return new Read(dev.syncbox.core.hash.Hex.encode(sha.digest()), bytes, (System.nanoTime() - started) / 1e9);
    }

    record Read(String sha256, long bytes, double seconds) {}

    private void sendBytes(String path, byte[] body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", bearer)
                        .header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("PUT " + path + " → " + response.statusCode() + " " + response.body());
        }
    }

    private String send(String method, String path, String json, int expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (bearer != null) {
            request.header("Authorization", bearer);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(
                    method + " " + path + " → " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    static List<String> list(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(json);
        if (!m.find() || m.group(1).isBlank()) {
            return List.of();
        }
        return Pattern.compile("\"([^\"]*)\"")
                .matcher(m.group(1))
                .results()
                .map(r -> r.group(1))
                .toList();
    }
}

package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.id.Ids;
import dev.syncbox.server.testing.Api;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /conflicts} against the running services: the caller's open conflicts on their own files and on files
 * shared with them, newest first, each as {@code GET /files/{file_id}/conflicts} shows it plus its file's id and the
 * caller's path; resolved ones, deleted files' and other people's left out; one query whatever their number.
 */
class OpenConflictsIT {

    static RunningSystem system;
    static Api sync;
    static Api upload;
    static Api conflict;

    record Person(long userId, String email, String bearer) {}

    @BeforeAll
    static void services() {
        system = RunningSystem.get();
        sync = system.api(system.sync);
        upload = system.api(system.upload);
        conflict = system.api(system.conflict);
    }

    @Test
    void shouldListOpenConflictsOfOwnAndSharedFilesNewestFirstWithTheCallersPaths() {
        Person owner = person("conflicts-owner");
        Person reader = person("conflicts-reader");
        Person stranger = person("conflicts-stranger");
        String team = "/Team-" + Ids.newId();
        String sharedFile = put(owner, team + "/plan.txt", "a\nb\nc\n").text("file_id");
        String sharedConflict = rejected(owner, team + "/plan.txt");
        String ownConflict = rejected(reader, "/mine.txt");
        String privateConflict = rejected(owner, "/Private/secret.txt");
        String folderId = entry(owner, "/", team).path("file_id").asString();
        assertThat(sync.postJson(
                                "/files/" + folderId + "/share",
                                owner.bearer(),
                                Map.of("email", reader.email(), "permission", "READ"))
                        .status())
                .isEqualTo(201);
        // A merged conflict is resolved as it happens: never listed.
        String merged = put(owner, "/clean.txt", "one\ntwo\nthree\n").text("version_id");
        put(owner, "/clean.txt", "one!\ntwo\nthree\n");
        Api.Response clean = upload.uploadText(owner.bearer(), "/clean.txt", "one\ntwo\nthree!\n", merged, "auto");
        assertThat(clean.body().path("conflict").path("resolution").asString()).isEqualTo("MERGED");
        String newest = rejected(owner, team + "/later.txt");

        JsonNode owners = list(owner);
        JsonNode readers = list(reader);
        JsonNode strangers = list(stranger);

        assertThat(ids(owners)).containsExactly(newest, privateConflict, sharedConflict);
        assertThat(ids(readers)).containsExactly(newest, ownConflict, sharedConflict);
        assertThat(strangers.path("conflicts")).isEmpty();
        String readersPath =
                sync.get("/files/" + sharedFile + "/metadata", reader.bearer()).text("path");
        JsonNode item = byId(readers, sharedConflict);
        assertThat(item.path("file_id").asString()).isEqualTo(sharedFile);
        assertThat(item.path("path").asString()).isEqualTo(readersPath).endsWith("/plan.txt");
        assertThat(byId(owners, sharedConflict).path("path").asString()).isEqualTo(team + "/plan.txt");
        assertThat(byId(readers, ownConflict).path("path").asString()).isEqualTo("/mine.txt");

        // Each item is the per-file list's item, plus file_id and path.
        for (JsonNode listed : readers.path("conflicts")) {
            JsonNode perFile = byId(
                    conflict.get("/files/" + listed.path("file_id").asString() + "/conflicts", reader.bearer())
                            .body(),
                    listed.path("conflict_id").asString());
            var withoutFile = listed.deepCopy();
            ((tools.jackson.databind.node.ObjectNode) withoutFile).remove(List.of("file_id", "path"));
            assertThat(withoutFile).isEqualTo(perFile);
            assertThat(listed.path("status").asString()).isEqualTo("OPEN");
            assertThat(listed.path("resolution").asString()).isEqualTo("REJECTED");
        }
        List<String> fields = new ArrayList<>();
        item.propertyNames().forEach(fields::add);
        assertThat(fields)
                .containsExactly(
                        "conflict_id",
                        "file_id",
                        "path",
                        "device_a_version",
                        "device_b_version",
                        "base_version",
                        "diverged_at",
                        "status",
                        "resolution",
                        "result_version",
                        "copy_file_id",
                        "resolved_by_version",
                        "resolved_at");
    }

    @Test
    void shouldDropResolvedConflictsAndThoseOfDeletedFilesAndRevokedShares() {
        Person owner = person("conflicts-owner");
        Person reader = person("conflicts-reader");
        String team = "/Team-" + Ids.newId();
        String shared = rejected(owner, team + "/doc.txt");
        String resolved = rejected(owner, "/resolve-me.txt");
        String deleted = rejected(owner, "/delete-me.txt");
        String folderId = entry(owner, "/", team).path("file_id").asString();
        Api.Response share = sync.postJson(
                "/files/" + folderId + "/share", owner.bearer(), Map.of("email", reader.email(), "permission", "READ"));
        assertThat(share.status()).isEqualTo(201);
        assertThat(ids(list(reader))).containsExactly(shared);
        assertThat(ids(list(owner))).containsExactly(deleted, resolved, shared);

        JsonNode toResolve = byId(list(owner), resolved);
        String fileId = toResolve.path("file_id").asString();
        String current =
                sync.get("/files/" + fileId + "/metadata", owner.bearer()).text("current_version_id");
        assertThat(conflict.postJson(
                                "/files/" + fileId + "/conflicts/" + resolved + "/resolve",
                                owner.bearer(),
                                Map.of("version_id", current))
                        .status())
                .isEqualTo(200);
        String deletedFile = byId(list(owner), deleted).path("file_id").asString();
        assertThat(sync.postJson("/files/" + deletedFile + "/delete", owner.bearer(), Map.of("move_to_trash", true))
                        .status())
                .isEqualTo(200);
        assertThat(sync.bytes(sync.request("/files/" + folderId + "/share/" + share.text("share_id"))
                                .header("Authorization", owner.bearer())
                                .DELETE())
                        .statusCode())
                .isEqualTo(204);

        assertThat(ids(list(owner))).containsExactly(shared);
        assertThat(ids(list(reader))).isEmpty();
    }

    @Test
    void shouldReadEveryConflictInOneQueryWhateverTheirNumber() {
        Person owner = person("conflicts-owner");
        Person reader = person("conflicts-reader");
        String team = "/Team-" + Ids.newId();
        rejected(owner, team + "/one.txt");
        String folderId = entry(owner, "/", team).path("file_id").asString();
        assertThat(sync.postJson(
                                "/files/" + folderId + "/share",
                                owner.bearer(),
                                Map.of("email", reader.email(), "permission", "READ"))
                        .status())
                .isEqualTo(201);
        rejected(reader, "/own.txt");

        List<SqlRecorder.Captured> few = statements(reader, 2);
        for (int i = 0; i < 4; i++) {
            rejected(owner, team + "/more-" + i + ".txt");
        }
        List<SqlRecorder.Captured> many = statements(reader, 6);

        assertThat(few.stream().filter(s -> s.sql().contains("FROM conflicts"))).hasSize(1);
        assertThat(many.stream().filter(s -> s.sql().contains("FROM conflicts")))
                .hasSize(1);
        assertThat(many).hasSameSizeAs(few);
    }

    @Test
    void shouldBeRoutedToConflictEngineByTheGatewayAndRefuseWithoutAToken() throws Exception {
        Person owner = person("conflicts-owner");
        String id = rejected(owner, "/routed.txt");
        try (TestGateway gateway = TestGateway.in(system)) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> listed = http.send(
                    HttpRequest.newBuilder(URI.create(gateway.url() + "/conflicts"))
                            .header("Authorization", owner.bearer())
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> anonymous = http.send(
                    HttpRequest.newBuilder(URI.create(gateway.url() + "/conflicts"))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(listed.statusCode()).isEqualTo(200);
            assertThat(ids(JsonMapper.builder().build().readTree(listed.body())))
                    .containsExactly(id);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
    }

    /** The statements conflict-engine sends for {@code GET /conflicts}, caches warm, listing {@code expected}. */
    private static List<SqlRecorder.Captured> statements(Person p, int expected) {
        assertThat(list(p).path("conflicts")).hasSize(expected);
        SqlRecorder.drain();
        SqlRecorder.step("GET /conflicts");
        try {
            assertThat(list(p).path("conflicts")).hasSize(expected);
        } finally {
            SqlRecorder.step(null);
        }
        return SqlRecorder.drain().stream()
                .filter(s -> s.service().equals("conflict-engine") && !s.scheduled())
                .toList();
    }

    /** A file at {@code path} with an open REJECTED conflict: a device committed on top of a stale version. */
    private static String rejected(Person p, String path) {
        String first = put(p, path, "first\n").text("version_id");
        put(p, path, "second\n");
        Api.Response refused = upload.uploadText(p.bearer(), path, "stale\n", first, "reject");
        assertThat(refused.status()).isEqualTo(409);
        return refused.text("conflict_id");
    }

    private static JsonNode list(Person p) {
        Api.Response listed = conflict.get("/conflicts", p.bearer());
        assertThat(listed.status()).isEqualTo(200);
        return listed.body();
    }

    private static List<String> ids(JsonNode listed) {
        List<String> ids = new ArrayList<>();
        listed.path("conflicts").forEach(c -> ids.add(c.path("conflict_id").asString()));
        return ids;
    }

    private static JsonNode byId(JsonNode listed, String conflictId) {
        for (JsonNode c : listed.path("conflicts")) {
            if (c.path("conflict_id").asString().equals(conflictId)) {
                return c;
            }
        }
        throw new AssertionError("no conflict " + conflictId + " in " + listed);
    }

    private static Person person(String name) {
        String email = name + "-" + Ids.newId().toLowerCase() + "@example.test";
        Api.Response registered = sync.postJson(
                "/auth/register", null, Map.of("email", email, "password", "a long password", "name", name));
        assertThat(registered.status()).isEqualTo(201);
        Api.Response login = sync.postJson(
                "/auth/login", null, Map.of("email", email, "password", "a long password", "device_name", name));
        return new Person(registered.body().path("user_id").asLong(), email, "Bearer " + login.text("access_token"));
    }

    private static Api.Response put(Person p, String path, String text) {
        Api.Response response = upload.uploadText(p.bearer(), path, text, null, null);
        assertThat(response.status()).as("upload of " + path).isEqualTo(200);
        return response;
    }

    private static JsonNode entry(Person p, String folder, String path) {
        for (JsonNode e :
                sync.get("/files/list?path=" + folder, p.bearer()).body().path("entries")) {
            if (e.path("path").asString().equals(path)) {
                return e;
            }
        }
        throw new AssertionError(path + " is not listed in " + folder);
    }
}

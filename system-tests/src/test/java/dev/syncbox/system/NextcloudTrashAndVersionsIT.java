package dev.syncbox.system;

import static dev.syncbox.system.WebDavIT.assertProblem;
import static dev.syncbox.system.WebDavIT.parseMultistatus;
import static dev.syncbox.system.WebDavIT.props;
import static dev.syncbox.system.WebDavIT.put;
import static dev.syncbox.system.WebDavIT.send;
import static dev.syncbox.system.WebDavIT.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.system.WebDavIT.User;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Nextcloud's trash bin ({@code /remote.php/dav/trashbin/{user}/trash}) and versions
 * ({@code /remote.php/dav/versions/{user}/versions/{file id}}) through the gateway with app passwords, over syncbox's
 * own trash and version history: what they do is seen by syncbox's API, another user's entries and ids are 404s.
 */
class NextcloudTrashAndVersionsIT {

    private static final String D = "DAV:";
    private static final String NC = "http://nextcloud.org/ns";
    private static final String OC = "http://owncloud.org/ns";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeAll
    static void start() throws Exception {
        WebDavIT.start();
    }

    @AfterAll
    static void stop() {
        WebDavIT.stop();
    }

    private static String enc(String email) {
        return URLEncoder.encode(email, StandardCharsets.UTF_8);
    }

    private static String trash(User u) {
        return "/remote.php/dav/trashbin/" + enc(u.email()) + "/trash";
    }

    private static String versions(User u, String fileId) {
        return "/remote.php/dav/versions/" + enc(u.email()) + "/versions/" + fileId;
    }

    private static HttpResponse<String> call(User u, String method, String path, Map<String, String> headers) {
        return send(method, path, u.basic(), headers, null);
    }

    private static Map<String, Map<String, String>> propfind(User u, String path, String depth) {
        HttpResponse<String> r =
                send("PROPFIND", path, u.basic(), Map.of("Depth", depth), props("<d:getetag/><d:getcontentlength/>"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(207);
        return parseMultistatus(r.body());
    }

    private static String delete(User u, String fileId) {
        HttpResponse<String> r = send("POST", "/files/" + fileId + "/delete", u.bearer(), Map.of(), "{}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return fileId;
    }

    /** The href (path, as the server wrote it) of the trash entry of {@code fileId}. */
    private static String entryHref(Map<String, Map<String, String>> listing, String fileId) {
        return listing.entrySet().stream()
                .filter(e -> fileId.equals(e.getValue().get(OC + "fileid")))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no trash entry of " + fileId + " in " + listing));
    }

    private static JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }

    @Test
    void trashListsRestoresPurgesAndEmpties() {
        User u = user();
        String a = put(u, "/docs/a.txt", "alpha").path("file_id").asString();
        String b = put(u, "/b.txt", "bravo!").path("file_id").asString();
        String c = put(u, "/c.txt", "charlie").path("file_id").asString();
        delete(u, a);
        delete(u, b);
        delete(u, c);

        Map<String, Map<String, String>> listing = propfind(u, trash(u), "1");
        assertThat(listing).hasSize(4);
        String aHref = entryHref(listing, a);
        Map<String, String> aProps = listing.get(aHref);
        assertThat(aHref)
                .contains("/remote.php/dav/trashbin/")
                .endsWith("/trash/" + a + ".d" + aProps.get(NC + "trashbin-deletion-time"));
        assertThat(aProps.get(NC + "trashbin-filename")).isEqualTo("a.txt");
        assertThat(aProps.get(NC + "trashbin-original-location")).isEqualTo("docs/a.txt");
        assertThat(Long.parseLong(aProps.get(NC + "trashbin-deletion-time"))).isPositive();
        assertThat(aProps.get(D + "getcontentlength")).isEqualTo("5");
        assertThat(aProps.get(OC + "id")).isEqualTo(a);
        assertThat(aProps.get(D + "getlastmodified")).isNotBlank();
        assertThat(aProps.get(D + "getetag")).isNotBlank();
        assertThat(propfind(u, trash(u), "0")).hasSize(1);
        assertThat(propfind(u, aHref, "0")).containsOnlyKeys(aHref);

        // MOVE to restore/{name}: back where it was, seen by syncbox's own API.
        HttpResponse<String> restored = call(
                u,
                "MOVE",
                aHref,
                Map.of(
                        "Destination",
                        WebDavIT.gateway.url() + "/remote.php/dav/trashbin/" + enc(u.email()) + "/restore/a.txt"));
        assertThat(restored.statusCode()).as(restored.body()).isEqualTo(201);
        HttpResponse<String> meta = send("GET", "/files/" + a + "/metadata", u.bearer(), Map.of(), null);
        assertThat(meta.statusCode()).as(meta.body()).isEqualTo(200);
        assertThat(json(meta).path("path").asString()).isEqualToIgnoringCase("/docs/a.txt");
        assertThat(propfind(u, trash(u), "1")).hasSize(3);
        assertThat(call(
                                u,
                                "MOVE",
                                aHref,
                                Map.of("Destination", "/remote.php/dav/trashbin/" + enc(u.email()) + "/restore/a.txt"))
                        .statusCode())
                .isEqualTo(404);

        // DELETE an entry purges it; DELETE of the trash empties it.
        String bHref = entryHref(propfind(u, trash(u), "1"), b);
        assertThat(call(u, "DELETE", bHref, Map.of()).statusCode()).isEqualTo(204);
        assertThat(propfind(u, trash(u), "1")).hasSize(2);
        assertThat(json(send("GET", "/trash", u.bearer(), Map.of(), null))
                        .path("entries")
                        .size())
                .isEqualTo(1);
        assertThat(call(u, "DELETE", trash(u), Map.of()).statusCode()).isEqualTo(204);
        assertThat(propfind(u, trash(u), "1")).hasSize(1);
        assertThat(json(send("GET", "/trash", u.bearer(), Map.of(), null))
                        .path("entries")
                        .size())
                .isZero();
    }

    @Test
    void trashRefusesBadInputAndOtherUsers() {
        User u = user();
        User other = user();
        String a = delete(u, put(u, "/a.txt", "alpha").path("file_id").asString());
        String aHref = entryHref(propfind(u, trash(u), "1"), a);

        // Another user's segment, or another user's entry under one's own: 404.
        assertProblem(send("PROPFIND", trash(u), other.basic(), Map.of("Depth", "1"), null), 404, "not_found");
        assertProblem(call(other, "DELETE", trash(u), Map.of()), 404, "not_found");
        String foreign = trash(other) + aHref.substring(aHref.lastIndexOf('/'));
        assertProblem(call(other, "DELETE", foreign, Map.of()), 404, "not_found");
        assertProblem(
                call(
                        other,
                        "MOVE",
                        foreign,
                        Map.of("Destination", "/remote.php/dav/trashbin/" + enc(other.email()) + "/restore/x")),
                404,
                "not_found");
        // Unknown entries: a wrong time, no time, a made-up id.
        assertProblem(call(u, "DELETE", trash(u) + "/" + a + ".d1", Map.of()), 404, "not_found");
        assertProblem(call(u, "DELETE", trash(u) + "/" + a, Map.of()), 404, "not_found");
        assertProblem(call(u, "DELETE", trash(u) + "/nothing.d1700000000", Map.of()), 404, "not_found");
        // Bad Destinations: none, not restore/, the files tree.
        assertProblem(call(u, "MOVE", aHref, Map.of()), 400, "invalid_request");
        assertProblem(
                call(
                        u,
                        "MOVE",
                        aHref,
                        Map.of("Destination", "/remote.php/dav/trashbin/" + enc(u.email()) + "/trash/x")),
                400,
                "invalid_request");
        assertProblem(
                call(u, "MOVE", aHref, Map.of("Destination", "/remote.php/dav/files/" + enc(u.email()) + "/a.txt")),
                400,
                "invalid_request");
        assertProblem(send("PROPFIND", trash(u), u.basic(), Map.of("Depth", "infinity"), null), 400, "invalid_request");
        // Other user's attempts changed nothing.
        assertThat(propfind(u, trash(u), "1")).containsKey(aHref);
    }

    @Test
    void versionsListDownloadAndRestore() {
        User u = user();
        String id = put(u, "/v.txt", "first").path("file_id").asString();
        put(u, "/v.txt", "second!");
        put(u, "/v.txt", "third, the current");
        JsonNode api = json(send("GET", "/files/" + id + "/versions", u.bearer(), Map.of(), null))
                .path("versions");
        assertThat(api.size()).isEqualTo(3);
        String first = api.get(2).path("id").asString();

        Map<String, Map<String, String>> listing = propfind(u, versions(u, id), "1");
        assertThat(listing).hasSize(4);
        String firstHref = listing.keySet().stream()
                .filter(h -> h.endsWith("/versions/" + id + "/" + first))
                .findFirst()
                .orElseThrow();
        assertThat(listing.get(firstHref).get(D + "getcontentlength")).isEqualTo("5");
        assertThat(listing.get(firstHref).get(D + "getetag")).isEqualTo('"' + first + '"');
        assertThat(propfind(u, versions(u, id), "0")).hasSize(1);

        // GET of an old version streams its bytes (download-service).
        HttpResponse<String> got = call(u, "GET", versions(u, id) + "/" + first, Map.of());
        assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
        assertThat(got.body()).isEqualTo("first");
        assertThat(got.headers().firstValue("ETag")).contains('"' + first + '"');
        HttpResponse<String> head = call(u, "HEAD", versions(u, id) + "/" + first, Map.of());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("ETag")).contains('"' + first + '"');

        // COPY to restore/target: the old content is the current version, as syncbox's API shows.
        HttpResponse<String> restored = call(
                u,
                "COPY",
                versions(u, id) + "/" + first,
                Map.of(
                        "Destination",
                        WebDavIT.gateway.url() + "/remote.php/dav/versions/" + enc(u.email()) + "/restore/target"));
        assertThat(restored.statusCode()).as(restored.body()).isIn(201, 204);
        JsonNode after = json(send("GET", "/files/" + id + "/versions", u.bearer(), Map.of(), null))
                .path("versions");
        assertThat(after.size()).isEqualTo(4);
        assertThat(send("GET", "/files/download/" + id, u.bearer(), Map.of(), null)
                        .body())
                .isEqualTo("first");
        assertThat(propfind(u, versions(u, id), "1")).hasSize(5);
        // MOVE restores as well.
        String second = api.get(1).path("id").asString();
        assertThat(call(
                                u,
                                "MOVE",
                                versions(u, id) + "/" + second,
                                Map.of("Destination", "/remote.php/dav/versions/" + enc(u.email()) + "/restore/target"))
                        .statusCode())
                .isIn(201, 204);
        assertThat(send("GET", "/files/download/" + id, u.bearer(), Map.of(), null)
                        .body())
                .isEqualTo("second!");
    }

    @Test
    void versionsRefuseOtherUsersUnknownIdsAndBadDestinations() {
        User u = user();
        User other = user();
        String id = put(u, "/v.txt", "first").path("file_id").asString();
        put(u, "/v.txt", "second");
        String first = json(send("GET", "/files/" + id + "/versions", u.bearer(), Map.of(), null))
                .path("versions")
                .get(1)
                .path("id")
                .asString();
        String otherFile = put(other, "/o.txt", "other's").path("file_id").asString();
        String target = "/remote.php/dav/versions/" + enc(other.email()) + "/restore/target";

        for (String path : List.of(versions(other, id), versions(other, id) + "/" + first, versions(u, id))) {
            assertProblem(send("PROPFIND", path, other.basic(), Map.of("Depth", "1"), null), 404, "not_found");
        }
        assertProblem(call(other, "GET", versions(other, id) + "/" + first, Map.of()), 404, "not_found");
        assertProblem(call(other, "GET", versions(u, id) + "/" + first, Map.of()), 404, "not_found");
        assertProblem(
                call(other, "COPY", versions(other, id) + "/" + first, Map.of("Destination", target)),
                404,
                "not_found");
        // An unknown file id, a version of another file, a made-up version.
        assertProblem(
                send("PROPFIND", versions(u, "nosuchfile"), u.basic(), Map.of("Depth", "1"), null), 404, "not_found");
        assertProblem(call(other, "GET", versions(other, otherFile) + "/" + first, Map.of()), 404, "not_found");
        assertProblem(call(u, "GET", versions(u, id) + "/nosuchversion", Map.of()), 404, "not_found");
        String ownTarget = "/remote.php/dav/versions/" + enc(u.email()) + "/restore/target";
        assertProblem(
                call(u, "COPY", versions(u, id) + "/nosuchversion", Map.of("Destination", ownTarget)),
                404,
                "not_found");
        // Bad Destinations.
        assertProblem(call(u, "COPY", versions(u, id) + "/" + first, Map.of()), 400, "invalid_request");
        assertProblem(
                call(u, "COPY", versions(u, id) + "/" + first, Map.of("Destination", ownTarget + "x")),
                400,
                "invalid_request");
        assertProblem(
                call(
                        u,
                        "COPY",
                        versions(u, id) + "/" + first,
                        Map.of("Destination", "/remote.php/dav/files/" + enc(u.email()) + "/v.txt")),
                400,
                "invalid_request");
        // Nothing changed.
        assertThat(send("GET", "/files/download/" + id, u.bearer(), Map.of(), null)
                        .body())
                .isEqualTo("second");
        assertThat(send("GET", "/files/download/" + otherFile, other.bearer(), Map.of(), null)
                        .body())
                .isEqualTo("other's");
    }
}

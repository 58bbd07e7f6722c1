package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.id.Ids;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.Multipart;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * WebDAV through the gateway with app passwords, as a DAV client sees it: each method with its RFC 4918 answers and
 * bad inputs, folder ETags that change whenever something beneath changes, and changes made over DAV seen by
 * syncbox's own API and the other way round.
 */
class WebDavIT {

    private static final String D = "DAV:";
    private static final String OC = "http://owncloud.org/ns";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static RunningSystem system;
    static TestGateway gateway;
    static Api sync;
    static Api upload;

    @BeforeAll
    static void start() throws Exception {
        system = RunningSystem.get();
        gateway = TestGateway.in(system);
        sync = system.api(system.sync);
        upload = system.api(system.upload);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    /** A registered user with a bearer token and an app password. */
    record User(String email, String bearer, String appPasswordId, String appPassword) {

        String basic() {
            return "Basic "
                    + Base64.getEncoder().encodeToString((email + ":" + appPassword).getBytes(StandardCharsets.UTF_8));
        }

        String root() {
            return "/remote.php/dav/files/" + URLEncoder.encode(email, StandardCharsets.UTF_8) + "/";
        }
    }

    static User user() {
        String email = "dav-" + Ids.newId().toLowerCase() + "@example.test";
        assertThat(sync.postJson(
                                "/auth/register",
                                null,
                                Map.of("email", email, "password", "a long password", "name", "Dav User"))
                        .status())
                .isEqualTo(201);
        Api.Response login = sync.postJson(
                "/auth/login", null, Map.of("email", email, "password", "a long password", "device_name", "it"));
        assertThat(login.status()).isEqualTo(200);
        String bearer = "Bearer " + login.text("access_token");
        HttpResponse<String> created = send("POST", "/auth/app-passwords", bearer, Map.of(), "{\"name\":\"davfs\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(created.body());
        assertThat(body.path("created_at").asString()).isNotBlank();
        return new User(
                email,
                bearer,
                body.path("id").asString(),
                body.path("app_password").asString());
    }

    static HttpResponse<String> send(
            String method, String path, String authorization, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url() + path))
                .timeout(Duration.ofMinutes(1))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body != null && body.startsWith("{")) {
            request.header("Content-Type", "application/json");
        } else if (body != null) {
            request.header("Content-Type", "application/xml; charset=utf-8");
        }
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> dav(User u, String method, String relative, Map<String, String> headers, String body) {
        return send(method, u.root() + relative, u.basic(), headers, body);
    }

    static HttpResponse<String> dav(User u, String method, String relative) {
        return dav(u, method, relative, Map.of(), null);
    }

    static JsonNode put(User u, String path, String text) {
        Api.Response uploaded = upload.upload(
                "/files/upload",
                u.bearer(),
                new Multipart().field("file_path", path).file("content", text.getBytes(StandardCharsets.UTF_8)));
        assertThat(uploaded.status()).as("upload %s: %s", path, uploaded.body()).isEqualTo(200);
        return uploaded.body();
    }

    static Document xml(String text) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException("not XML: " + text, e);
        }
    }

    /** A PROPFIND's answer: each href with its found (200) properties' text, and its 404 ones as "404". */
    static Map<String, Map<String, String>> propfind(User u, String relative, String depth, String body) {
        HttpResponse<String> response = dav(u, "PROPFIND", relative, Map.of("Depth", depth), body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(207);
        return parseMultistatus(response.body());
    }

    static Map<String, Map<String, String>> parseMultistatus(String body) {
        Map<String, Map<String, String>> out = new HashMap<>();
        NodeList responses = xml(body).getElementsByTagNameNS(D, "response");
        for (int i = 0; i < responses.getLength(); i++) {
            Element response = (Element) responses.item(i);
            String href = response.getElementsByTagNameNS(D, "href").item(0).getTextContent();
            Map<String, String> props = new HashMap<>();
            NodeList propstats = response.getElementsByTagNameNS(D, "propstat");
            for (int j = 0; j < propstats.getLength(); j++) {
                Element propstat = (Element) propstats.item(j);
                String status =
                        propstat.getElementsByTagNameNS(D, "status").item(0).getTextContent();
                Element prop =
                        (Element) propstat.getElementsByTagNameNS(D, "prop").item(0);
                NodeList children = prop.getChildNodes();
                for (int k = 0; k < children.getLength(); k++) {
                    if (children.item(k) instanceof Element e) {
                        String key = (e.getNamespaceURI() == null ? "" : e.getNamespaceURI()) + e.getLocalName();
                        props.put(
                                key,
                                status.contains(" 200 ")
                                        ? (e.getElementsByTagNameNS(D, "collection")
                                                                .getLength()
                                                        > 0
                                                ? "collection"
                                                : e.getTextContent())
                                        : status.substring(9, 12));
                    }
                }
            }
            out.put(href, props);
        }
        return out;
    }

    static String etag(User u, String relative) {
        return propfind(u, relative, "0", props("<d:getetag/>"))
                .values()
                .iterator()
                .next()
                .get(D + "getetag");
    }

    static String props(String inner) {
        return "<?xml version=\"1.0\"?><d:propfind xmlns:d=\"DAV:\" xmlns:oc=\"http://owncloud.org/ns\""
                + " xmlns:nc=\"http://nextcloud.org/ns\"><d:prop>" + inner + "</d:prop></d:propfind>";
    }

    static Map<String, String> destination(User u, String relative, boolean overwrite) {
        return Map.of("Destination", gateway.url() + u.root() + relative, "Overwrite", overwrite ? "T" : "F");
    }

    static void assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(JSON.readTree(response.body()).path("code").asString()).isEqualTo(code);
    }

    @Test
    void optionsAdvertiseClassTwoAndTheMethods() {
        User u = user();
        HttpResponse<String> options = dav(u, "OPTIONS", "");
        assertThat(options.statusCode()).isEqualTo(200);
        assertThat(options.headers().firstValue("DAV").orElse("")).contains("1").contains("2");
        assertThat(options.headers().firstValue("Allow").orElse(""))
                .contains("PROPFIND")
                .contains("LOCK")
                .contains("MOVE");
        assertThat(options.headers().firstValue("MS-Author-Via")).contains("DAV");
    }

    @Test
    void propfindDescribesWhatTheApiUploadedAndOnlyTheCallersTree() {
        User u = user();
        JsonNode uploaded = put(u, "/Docs/Notes Ünï.txt", "hello dav");
        Map<String, Map<String, String>> listing = propfind(u, "Docs/", "1", null);
        String folderHref = u.root() + "Docs/";
        String fileHref = u.root() + "Docs/Notes%20%C3%9Cn%C3%AF.txt";
        assertThat(listing).containsOnlyKeys(folderHref, fileHref);
        Map<String, String> file = listing.get(fileHref);
        assertThat(file.get(D + "getcontentlength")).isEqualTo("9");
        assertThat(file.get(D + "getcontenttype")).isEqualTo("text/plain");
        assertThat(file.get(D + "getetag"))
                .isEqualTo("\"" + uploaded.path("version_id").asString() + "\"");
        assertThat(file.get(OC + "fileid")).isEqualTo(uploaded.path("file_id").asString());
        assertThat(file.get(OC + "permissions")).isEqualTo("RGDNVW");
        assertThat(file.get(D + "getlastmodified")).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} .* GMT");
        assertThat(file.get(D + "displayname")).isEqualTo("Notes Ünï.txt");
        Map<String, String> folder = listing.get(folderHref);
        assertThat(folder.get(D + "resourcetype")).isEqualTo("collection");
        assertThat(folder.get(OC + "size")).isEqualTo("9");
        assertThat(folder.get(OC + "permissions")).isEqualTo("RGDNVCK");
        assertThat(folder.get(D + "getetag")).matches("\"[0-9a-f]{32}\"");

        Map<String, String> asked = propfind(
                        u, "Docs/Notes%20%C3%9Cn%C3%AF.txt", "0", props("<d:getetag/><x:nope xmlns:x=\"urn:x\"/>"))
                .get(fileHref);
        assertThat(asked).containsEntry("urn:xnope", "404").containsKey(D + "getetag");

        assertProblem(dav(u, "PROPFIND", "", Map.of("Depth", "infinity"), null), 403, "permission_denied");
        assertProblem(
                dav(u, "PROPFIND", "", Map.of("Depth", "1"), "<d:propfind xmlns:d=\"DAV:\"><d:prop>"),
                400,
                "invalid_request");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<d:propfind xmlns:d=\"DAV:\"><d:prop><d:displayname>&x;</d:displayname></d:prop></d:propfind>";
        HttpResponse<String> refused = dav(u, "PROPFIND", "", Map.of("Depth", "0"), xxe);
        assertProblem(refused, 400, "invalid_request");
        assertThat(refused.body()).doesNotContain("root:");

        User other = user();
        HttpResponse<String> foreign = send("PROPFIND", other.root(), u.basic(), Map.of("Depth", "0"), null);
        assertProblem(foreign, 404, "not_found");
        assertProblem(dav(u, "PROPFIND", "Missing/", Map.of("Depth", "0"), null), 404, "not_found");

        // The same tree on the other two routes.
        HttpResponse<String> legacy =
                send("PROPFIND", "/remote.php/webdav/Docs/", u.basic(), Map.of("Depth", "0"), null);
        assertThat(legacy.statusCode()).isEqualTo(207);
        assertThat(parseMultistatus(legacy.body())).containsOnlyKeys("/remote.php/webdav/Docs/");
        HttpResponse<String> plain = send("PROPFIND", "/dav/Docs/", u.basic(), Map.of("Depth", "0"), null);
        assertThat(parseMultistatus(plain.body())).containsOnlyKeys("/dav/Docs/");
    }

    @Test
    void folderTagsChangeWithEveryChangeBeneathAndOnlyThen() {
        User u = user();
        assertThat(dav(u, "MKCOL", "A").statusCode()).isEqualTo(201);
        assertThat(dav(u, "MKCOL", "A/B").statusCode()).isEqualTo(201);
        assertThat(dav(u, "MKCOL", "Other").statusCode()).isEqualTo(201);
        List<String> seen = new ArrayList<>();
        String root = etag(u, "");
        String a = etag(u, "A/");
        String b = etag(u, "A/B/");
        assertThat(etag(u, "A/")).as("nothing changed").isEqualTo(a);

        put(u, "/A/B/f.txt", "one");
        assertThat(etag(u, "A/B/")).as("create").isNotEqualTo(b);
        assertThat(etag(u, "A/")).as("create below").isNotEqualTo(a);
        assertThat(etag(u, "")).as("create, root").isNotEqualTo(root);
        String other = etag(u, "Other/");
        seen.add(etag(u, "A/"));

        put(u, "/A/B/f.txt", "two");
        seen.add(etag(u, "A/"));
        assertThat(etag(u, "Other/")).as("a sibling's change").isEqualTo(other);

        assertThat(dav(u, "MOVE", "A/B/f.txt", destination(u, "A/B/g.txt", false), null)
                        .statusCode())
                .isEqualTo(201);
        seen.add(etag(u, "A/"));

        assertThat(dav(u, "MOVE", "A/B/g.txt", destination(u, "Other/g.txt", false), null)
                        .statusCode())
                .isEqualTo(201);
        seen.add(etag(u, "A/"));
        assertThat(etag(u, "Other/")).as("moved in").isNotEqualTo(other);

        assertThat(dav(u, "MKCOL", "A/C").statusCode()).isEqualTo(201);
        seen.add(etag(u, "A/"));
        assertThat(dav(u, "DELETE", "A/C").statusCode()).isEqualTo(204);
        seen.add(etag(u, "A/"));
        assertThat(seen).as("every change gives a new tag").doesNotHaveDuplicates();
        assertThat(etag(u, "A/")).as("and it stays").isEqualTo(seen.get(seen.size() - 1));

        // Inside a share mounted beneath a folder of the sharee: the sharee's root tag follows the owner's edits.
        User owner = user();
        JsonNode shared = put(owner, "/Team/doc.txt", "team");
        String teamId = propfind(owner, "Team/", "0", props("<oc:fileid/>"))
                .values()
                .iterator()
                .next()
                .get(OC + "fileid");
        assertThat(sync.postJson(
                                "/files/" + teamId + "/share",
                                owner.bearer(),
                                Map.of("email", u.email(), "permission", "READ_WRITE"))
                        .status())
                .isEqualTo(201);
        String before = etag(u, "");
        assertThat(propfind(u, "Team/", "0", null).values().iterator().next().get(OC + "permissions"))
                .contains("S")
                .contains("M");
        put(owner, "/Team/more.txt", "more");
        assertThat(etag(u, "")).as("a change in a mount beneath").isNotEqualTo(before);
        assertThat(shared.path("file_id").asString()).isNotBlank();
    }

    @Test
    void mkcolAnswersAsRfc4918AndShowsInSyncboxsOwnListing() {
        User u = user();
        HttpResponse<String> made = dav(u, "MKCOL", "New");
        assertThat(made.statusCode()).isEqualTo(201);
        assertThat(made.headers().firstValue("OC-FileId"))
                .contains(propfind(u, "New/", "0", props("<oc:fileid/>"))
                        .get(u.root() + "New/")
                        .get(OC + "fileid"));
        assertThat(made.headers().firstValue("OC-ETag")).contains(etag(u, "New/"));
        assertProblem(dav(u, "MKCOL", "New"), 405, "method_not_allowed");
        assertProblem(dav(u, "MKCOL", "Missing/Child"), 409, "conflict");
        assertProblem(dav(u, "MKCOL", "Body", Map.of(), "<x/>"), 415, "unsupported_media_type");
        Api.Response listed = sync.get("/files/list?path=/", u.bearer());
        assertThat(listed.body().path("entries").get(0).path("path").asString()).isEqualTo("/New");
        assertThat(dav(u, "PROPFIND", "Missing/", Map.of("Depth", "0"), null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void deleteSendsToTheTrash() {
        User u = user();
        JsonNode file = put(u, "/Gone/x.txt", "x");
        assertThat(dav(u, "DELETE", "Gone").statusCode()).isEqualTo(204);
        assertProblem(dav(u, "DELETE", "Gone"), 404, "not_found");
        Api.Response trash = sync.get("/trash", u.bearer());
        assertThat(trash.body().toString()).contains("/Gone");
        assertThat(sync.get("/files/list?path=/", u.bearer()).body().path("entries"))
                .isEmpty();
        assertThat(file.path("file_id").asString()).isNotBlank();
    }

    @Test
    void moveAndCopyFollowOverwriteAndDestinationRules() {
        User u = user();
        put(u, "/src.txt", "source");
        put(u, "/taken.txt", "taken");
        assertProblem(dav(u, "MOVE", "src.txt", destination(u, "taken.txt", false), null), 412, "precondition_failed");
        assertProblem(dav(u, "COPY", "src.txt", destination(u, "Nowhere/x.txt", true), null), 409, "conflict");
        assertProblem(dav(u, "MOVE", "src.txt", destination(u, "src.txt", true), null), 403, "permission_denied");
        assertProblem(
                dav(u, "MOVE", "src.txt", Map.of("Destination", "http://elsewhere.example/remote.php/webdav/x"), null),
                400,
                "invalid_request");
        assertProblem(dav(u, "MOVE", "src.txt"), 400, "invalid_request");

        assertThat(dav(u, "COPY", "src.txt", destination(u, "copy.txt", true), null)
                        .statusCode())
                .isEqualTo(201);
        assertThat(dav(u, "COPY", "src.txt", destination(u, "taken.txt", true), null)
                        .statusCode())
                .isEqualTo(204);
        Map<String, Map<String, String>> root = propfind(u, "", "1", null);
        assertThat(root.get(u.root() + "taken.txt").get(D + "getcontentlength")).isEqualTo("6");
        assertThat(root.get(u.root() + "copy.txt").get(D + "getcontentlength")).isEqualTo("6");

        assertThat(dav(u, "MKCOL", "Dir").statusCode()).isEqualTo(201);
        put(u, "/Dir/inner.txt", "inner");
        assertThat(dav(
                                u,
                                "COPY",
                                "Dir",
                                Map.of("Destination", gateway.url() + u.root() + "Shallow", "Depth", "0"),
                                null)
                        .statusCode())
                .isEqualTo(201);
        assertThat(propfind(u, "Shallow/", "1", null)).hasSize(1);
        assertThat(dav(u, "COPY", "Dir", destination(u, "Deep", true), null).statusCode())
                .isEqualTo(201);
        assertThat(propfind(u, "Deep/", "1", null)).containsKey(u.root() + "Deep/inner.txt");
        assertProblem(dav(u, "MOVE", "Dir", destination(u, "Dir/Sub", true), null), 403, "permission_denied");
        assertThat(dav(u, "MOVE", "Dir", destination(u, "Deep", true), null).statusCode())
                .isEqualTo(204);
        assertThat(propfind(u, "Deep/", "1", null)).containsKey(u.root() + "Deep/inner.txt");
        assertThat(dav(u, "PROPFIND", "Dir/", Map.of("Depth", "0"), null).statusCode())
                .isEqualTo(404);
        assertProblem(dav(u, "MOVE", "Deep/inner.txt", destination(u, "Deep", true), null), 403, "permission_denied");
        // The move reached syncbox's own listing.
        assertThat(sync.get("/files/list?path=/Deep", u.bearer()).body().toString())
                .contains("/Deep/inner.txt");
    }

    @Test
    void deadPropertiesAreAtomicFollowMovesAndAreCopied() {
        User u = user();
        put(u, "/p.txt", "props");
        String set = "<?xml version=\"1.0\"?><d:propertyupdate xmlns:d=\"DAV:\" xmlns:z=\"urn:z\">"
                + "<d:set><d:prop><z:colour>red <z:b>bold</z:b> \uD83D\uDE00</z:colour><z:gone>x</z:gone></d:prop></d:set>"
                + "<d:remove><d:prop><z:gone/></d:prop></d:remove></d:propertyupdate>";
        HttpResponse<String> patched = dav(u, "PROPPATCH", "p.txt", Map.of(), set);
        assertThat(patched.statusCode()).isEqualTo(207);
        Map<String, String> got = propfind(
                        u, "p.txt", "0", props("<z:colour xmlns:z=\"urn:z\"/><z:gone xmlns:z=\"urn:z\"/>"))
                .get(u.root() + "p.txt");
        assertThat(got).containsEntry("urn:zcolour", "red bold \uD83D\uDE00").containsEntry("urn:zgone", "404");

        String mixed = "<d:propertyupdate xmlns:d=\"DAV:\" xmlns:z=\"urn:z\"><d:set><d:prop>"
                + "<d:getetag>x</d:getetag><z:other>y</z:other></d:prop></d:set></d:propertyupdate>";
        Map<String, String> statuses = parseMultistatus(
                        dav(u, "PROPPATCH", "p.txt", Map.of(), mixed).body())
                .get(u.root() + "p.txt");
        assertThat(statuses).containsEntry(D + "getetag", "403").containsEntry("urn:zother", "424");
        assertThat(propfind(u, "p.txt", "0", props("<z:other xmlns:z=\"urn:z\"/>"))
                        .get(u.root() + "p.txt"))
                .containsEntry("urn:zother", "404");

        assertThat(dav(u, "MOVE", "p.txt", destination(u, "q.txt", true), null).statusCode())
                .isEqualTo(201);
        assertThat(dav(u, "COPY", "q.txt", destination(u, "r.txt", true), null).statusCode())
                .isEqualTo(201);
        for (String name : List.of("q.txt", "r.txt")) {
            assertThat(propfind(u, name, "0", props("<z:colour xmlns:z=\"urn:z\"/>"))
                            .get(u.root() + name))
                    .containsEntry("urn:zcolour", "red bold \uD83D\uDE00");
        }
        assertProblem(
                dav(u, "PROPPATCH", "q.txt", Map.of(), "<d:propertyupdate xmlns:d=\"DAV:\">"), 400, "invalid_request");
    }

    @Test
    void locksGuardWritesAndUnmappedLocksCreateEmptyFiles() {
        User alice = user();
        User bob = user();
        put(alice, "/Team/doc.txt", "doc");
        String teamId = propfind(alice, "Team/", "0", props("<oc:fileid/>"))
                .values()
                .iterator()
                .next()
                .get(OC + "fileid");
        assertThat(sync.postJson(
                                "/files/" + teamId + "/share",
                                alice.bearer(),
                                Map.of("email", bob.email(), "permission", "READ_WRITE"))
                        .status())
                .isEqualTo(201);
        String lockinfo =
                "<?xml version=\"1.0\"?><d:lockinfo xmlns:d=\"DAV:\"><d:lockscope><d:exclusive/></d:lockscope>"
                        + "<d:locktype><d:write/></d:locktype><d:owner><d:href>alice</d:href></d:owner></d:lockinfo>";
        HttpResponse<String> locked =
                dav(alice, "LOCK", "Team/doc.txt", Map.of("Depth", "0", "Timeout", "Second-600"), lockinfo);
        assertThat(locked.statusCode()).as(locked.body()).isEqualTo(200);
        String token = locked.headers().firstValue("Lock-Token").orElseThrow();
        assertThat(token).startsWith("<opaquelocktoken:");
        assertThat(locked.body())
                .contains("lockdiscovery")
                .contains(token.substring(1, token.length() - 1))
                .contains("alice");

        assertProblem(dav(bob, "DELETE", "Team/doc.txt"), 423, "locked");
        assertProblem(dav(alice, "DELETE", "Team/doc.txt"), 423, "locked");
        assertProblem(dav(bob, "LOCK", "Team/doc.txt", Map.of(), lockinfo), 423, "locked");
        // syncbox's own API carries no lock tokens: someone else's lock stands there too, for deletes and moves.
        String docId = propfind(alice, "Team/doc.txt", "0", props("<oc:fileid/>"))
                .values()
                .iterator()
                .next()
                .get(OC + "fileid");
        Api.Response apiDelete =
                sync.postJson("/files/" + docId + "/delete", bob.bearer(), Map.of("move_to_trash", true));
        assertThat(apiDelete.status()).isEqualTo(423);
        assertThat(apiDelete.text("code")).isEqualTo("locked");
        Api.Response apiMove = sync.postJson(
                "/files/move", bob.bearer(), Map.of("from_path", "/Team/doc.txt", "to_path", "/Team/moved.txt"));
        assertThat(apiMove.status()).isEqualTo(423);
        assertThat(sync.get("/files/list?path=/Team", alice.bearer()).body().toString())
                .contains("/Team/doc.txt")
                .doesNotContain("/Team/moved.txt");
        assertProblem(
                dav(alice, "DELETE", "Team/doc.txt", Map.of("If", "(<opaquelocktoken:wrong>)"), null),
                412,
                "precondition_failed");
        assertThat(propfind(alice, "Team/doc.txt", "0", props("<d:lockdiscovery/>"))
                        .toString())
                .contains("opaquelocktoken:");

        HttpResponse<String> refreshed =
                dav(alice, "LOCK", "Team/doc.txt", Map.of("If", "(" + token + ")", "Timeout", "Second-900"), null);
        assertThat(refreshed.statusCode()).isEqualTo(200);
        assertThat(refreshed.body()).containsPattern("Second-(8[5-9][0-9]|900)<");
        assertProblem(
                dav(alice, "UNLOCK", "Team/doc.txt", Map.of("Lock-Token", "<opaquelocktoken:nope>"), null),
                409,
                "conflict");
        assertProblem(dav(bob, "UNLOCK", "Team/doc.txt", Map.of("Lock-Token", token), null), 409, "conflict");
        assertThat(dav(alice, "DELETE", "Team/doc.txt", Map.of("If", "(" + token + ")"), null)
                        .statusCode())
                .isEqualTo(204);

        HttpResponse<String> unmapped = dav(alice, "LOCK", "Team/new.txt", Map.of(), lockinfo);
        assertThat(unmapped.statusCode()).isEqualTo(201);
        String newToken = unmapped.headers().firstValue("Lock-Token").orElseThrow();
        Map<String, String> empty = propfind(alice, "Team/new.txt", "0", null).get(alice.root() + "Team/new.txt");
        assertThat(empty.get(D + "getcontentlength")).isEqualTo("0");
        assertThat(sync.get("/files/list?path=/Team", bob.bearer()).body().toString())
                .contains("/Team/new.txt");
        assertThat(dav(alice, "UNLOCK", "Team/new.txt", Map.of("Lock-Token", newToken), null)
                        .statusCode())
                .isEqualTo(204);
        assertThat(dav(bob, "DELETE", "Team/new.txt").statusCode()).isEqualTo(204);

        HttpResponse<String> shared =
                dav(alice, "LOCK", "Team", Map.of(), lockinfo.replace("<d:exclusive/>", "<d:shared/>"));
        assertThat(shared.statusCode()).isEqualTo(412);
    }

    @Test
    void appPasswordsAreMintedWithBearerTokensOnlyAndRevocable() {
        User u = user();
        HttpResponse<String> viaBasic = send("POST", "/auth/app-passwords", u.basic(), Map.of(), "{\"name\":\"x\"}");
        assertThat(viaBasic.statusCode()).isIn(401, 403);
        HttpResponse<String> list = send("GET", "/auth/app-passwords", u.bearer(), Map.of(), null);
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode listed = JSON.readTree(list.body()).path("app_passwords");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("id").asString()).isEqualTo(u.appPasswordId());
        assertThat(listed.get(0).has("app_password")).isFalse();
        assertThat(send("DELETE", "/auth/app-passwords/" + Ids.newId(), u.bearer(), Map.of(), null)
                        .statusCode())
                .isEqualTo(404);
        User other = user();
        assertThat(send("DELETE", "/auth/app-passwords/" + other.appPasswordId(), u.bearer(), Map.of(), null)
                        .statusCode())
                .isEqualTo(404);
        assertThat(dav(u, "PROPFIND", "", Map.of("Depth", "0"), null).statusCode())
                .isEqualTo(207);
        assertThat(send("DELETE", "/auth/app-passwords/" + u.appPasswordId(), u.bearer(), Map.of(), null)
                        .statusCode())
                .isEqualTo(204);
        HttpResponse<String> revoked = dav(u, "PROPFIND", "", Map.of("Depth", "0"), null);
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(revoked.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Basic");
    }

    @Test
    void readOnlySharesAreReadOnlyOverDav() {
        User owner = user();
        User reader = user();
        put(owner, "/RO/doc.txt", "read me");
        String id = propfind(owner, "RO/", "0", props("<oc:fileid/>"))
                .values()
                .iterator()
                .next()
                .get(OC + "fileid");
        assertThat(sync.postJson(
                                "/files/" + id + "/share",
                                owner.bearer(),
                                Map.of("email", reader.email(), "permission", "READ"))
                        .status())
                .isEqualTo(201);
        Map<String, Map<String, String>> listing =
                propfind(reader, "RO/", "1", props("<oc:permissions/><nc:mount-type/>"));
        assertThat(listing.get(reader.root() + "RO/").get(OC + "permissions")).isEqualTo("SRMG");
        assertThat(listing.get(reader.root() + "RO/").get("http://nextcloud.org/nsmount-type"))
                .isEqualTo("shared");
        assertThat(listing.get(reader.root() + "RO/doc.txt").get(OC + "permissions"))
                .isEqualTo("SRG");
        assertProblem(dav(reader, "MKCOL", "RO/Sub"), 403, "permission_denied");
        assertProblem(dav(reader, "DELETE", "RO/doc.txt"), 403, "permission_denied");
        assertProblem(
                dav(reader, "MOVE", "RO/doc.txt", destination(reader, "RO/other.txt", true), null),
                403,
                "permission_denied");
        String patch =
                "<d:propertyupdate xmlns:d=\"DAV:\" xmlns:z=\"urn:z\"><d:set><d:prop><z:p>v</z:p></d:prop></d:set>"
                        + "</d:propertyupdate>";
        assertThat(parseMultistatus(dav(reader, "PROPPATCH", "RO/doc.txt", Map.of(), patch)
                                .body())
                        .get(reader.root() + "RO/doc.txt"))
                .containsEntry("urn:zp", "403");
        // A copy out of the share is the reader's own file.
        assertThat(dav(reader, "COPY", "RO/doc.txt", destination(reader, "mine.txt", false), null)
                        .statusCode())
                .isEqualTo(201);
        assertThat(propfind(reader, "mine.txt", "0", null)
                        .get(reader.root() + "mine.txt")
                        .get(OC + "permissions"))
                .isEqualTo("RGDNVW");
    }
}

package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.hash.Sha256;
import dev.syncbox.core.id.Ids;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.Multipart;
import jakarta.servlet.http.HttpServletRequest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Another user's ids are worth nothing: every endpoint of every service that takes an id in its path, as the running
 * services map them (so a new one cannot escape), answers a stranger holding the owner's real ids exactly as it
 * answers ids that do not exist — a 4xx problem with the same status and code — and the owner's files, versions,
 * trash, shares, devices, upload session and journal are untouched afterwards.
 */
class ForeignIdsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern VARIABLE = Pattern.compile("\\{\\*?([^}]+)}");

    static RunningSystem system;
    static Api sync;
    static Api upload;
    static Api download;

    record Person(long userId, String email, String bearer, String deviceId) {}

    /** The ids an endpoint can name, one set of the owner's and one that names nothing. */
    record Ids4(
            String file,
            String folder,
            String trashed,
            String version,
            String device,
            String session,
            String share,
            String block,
            String conflict,
            String appPassword,
            String tus) {}

    static Person owner;
    static Person tablet;
    static Person stranger;
    static Person reader;
    static Ids4 owners;
    static Ids4 nobodys;
    static final byte[] DOC = ("line 1\nline 2 " + Ids.newId() + "\n").getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void anOwnerWithOneOfEverything() {
        system = RunningSystem.get();
        sync = system.api(system.sync);
        upload = system.api(system.upload);
        download = system.api(system.download);
        owner = person("owner", null);
        tablet = person("owner", owner);
        stranger = person("stranger", null);
        reader = person("reader", null);
        Api.Response first = put(owner, "/Team/doc.txt", DOC, null);
        String file = first.text("file_id");
        put(
                owner,
                "/Team/doc.txt",
                "line 1\nline 2 from the laptop\n".getBytes(StandardCharsets.UTF_8),
                first.text("version_id"));
        Api.Response merged = put(
                tablet,
                "/Team/doc.txt",
                "line 1 from the tablet\nline 2\n".getBytes(StandardCharsets.UTF_8),
                first.text("version_id"));
        assertThat(merged.status()).isEqualTo(200);
        JsonNode conflicts = system.api(system.conflict)
                .get("/files/" + file + "/conflicts", owner.bearer())
                .body();
        String conflict = conflicts.path("conflicts").get(0).path("conflict_id").asString();
        String folder = entry(owner, "/", "/Team").path("file_id").asString();
        Api.Response shared = sync.postJson(
                "/files/" + folder + "/share", owner.bearer(), Map.of("email", reader.email(), "permission", "READ"));
        assertThat(shared.status()).isEqualTo(201);
        String trashed = put(owner, "/old.txt", "old".getBytes(StandardCharsets.UTF_8), null)
                .text("file_id");
        assertThat(sync.postJson("/files/" + trashed + "/delete", owner.bearer(), Map.of("move_to_trash", true))
                        .status())
                .isEqualTo(200);
        Api.Response session = upload.postJson("/upload-sessions", owner.bearer(), Map.of());
        assertThat(session.status()).isEqualTo(201);
        Api.Response appPassword = sync.postJson("/auth/app-passwords", owner.bearer(), Map.of("name", "mount"));
        assertThat(appPassword.status()).isEqualTo(201);
        HttpResponse<byte[]> tus = upload.bytes(upload.request("/files/tus")
                .header("Authorization", owner.bearer())
                .header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", "10")
                .header(
                        "Upload-Metadata",
                        "path " + Base64.getEncoder().encodeToString("/Team/tus.bin".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/offset+octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString("four")));
        assertThat(tus.statusCode()).isEqualTo(201);
        String tusLocation = tus.headers().firstValue("Location").orElseThrow();
        owners = new Ids4(
                file,
                folder,
                trashed,
                first.text("version_id"),
                tablet.deviceId(),
                session.text("session_id"),
                shared.text("share_id"),
                Sha256.hex(DOC),
                conflict,
                appPassword.text("id"),
                tusLocation.substring(tusLocation.lastIndexOf('/') + 1));
        nobodys = new Ids4(
                Ids.newId(),
                Ids.newId(),
                Ids.newId(),
                Ids.newId(),
                Ids.newId(),
                Ids.newId(),
                Ids.newId(),
                Sha256.hex(Ids.newId().getBytes(StandardCharsets.UTF_8)),
                Ids.newId(),
                Ids.newId(),
                Ids.newId());
    }

    @Test
    void aStrangerWithTheOwnersIdsIsAnsweredAsForIdsThatDoNotExist() {
        String before = ownersState();
        List<String> failures = new ArrayList<>();
        int tried = 0;
        for (ConfigurableApplicationContext service :
                List.of(system.sync, system.upload, system.download, system.conflict)) {
            for (ServiceMappings.Mapping mapping : ServiceMappings.of(service)) {
                // A temporary link's token is no id: it is signed, and DropboxContentIT tries forged ones.
                if (!VARIABLE.matcher(mapping.pattern()).find()
                        || mapping.pattern().startsWith("/apitl/")) {
                    continue;
                }
                tried++;
                Answer theirs = send(system.api(service), mapping, owners);
                Answer none = send(system.api(service), mapping, nobodys);
                if (theirs.status() < 400 || theirs.status() >= 500) {
                    failures.add(mapping + ": status " + theirs.status() + " " + theirs.body());
                } else if (theirs.status() != none.status() || !theirs.code().equals(none.code())) {
                    failures.add(mapping + ": " + theirs.status() + " " + theirs.code() + " for the owner's ids, "
                            + none.status() + " " + none.code() + " for ids of nobody's");
                } else if (theirs.code().isEmpty() && !mapping.method().equals("HEAD")) {
                    // A HEAD answer has no body: its status is all there is to compare.
                    failures.add(mapping + ": no problem code in " + theirs.body());
                }
            }
        }

        assertThat(tried).as("endpoints with ids in their path").isGreaterThan(20);
        assertThat(failures).isEmpty();
        assertThat(ownersState())
                .as("the owner's files, trash, shares, devices, session and conflicts")
                .isEqualTo(before);
    }

    /**
     * The Dropbox API takes ids in its arguments ({@code id:…}, {@code rev:…}, a shared folder's id, an upload
     * session): a stranger holding the owner's gets the answer ids of nobody's get (same status, same {@code
     * error_summary}), never a 2xx, and the owner's things are untouched.
     */
    @Test
    void aStrangerWithTheOwnersIdsGetsTheDropboxAnswerForIdsThatDoNotExist() {
        String before = ownersState();
        List<String> failures = new ArrayList<>();
        List<DropboxCall> calls = List.of(
                new DropboxCall(sync, "files/get_metadata", ids -> Map.of("path", "id:" + ids.file())),
                new DropboxCall(sync, "files/get_metadata", ids -> Map.of("path", "rev:" + rev(ids.version()))),
                new DropboxCall(
                        sync,
                        "files/get_metadata",
                        ids -> Map.of("path", "id:" + ids.trashed(), "include_deleted", true)),
                new DropboxCall(sync, "files/list_folder", ids -> Map.of("path", "id:" + ids.folder())),
                new DropboxCall(sync, "files/list_revisions", ids -> Map.of("path", "id:" + ids.file(), "mode", "id")),
                new DropboxCall(
                        sync, "files/restore", ids -> Map.of("path", "id:" + ids.file(), "rev", rev(ids.version()))),
                new DropboxCall(sync, "files/get_temporary_link", ids -> Map.of("path", "id:" + ids.file())),
                new DropboxCall(
                        sync, "files/copy_v2", ids -> Map.of("from_path", "id:" + ids.file(), "to_path", "/mine.txt")),
                new DropboxCall(
                        sync, "files/move_v2", ids -> Map.of("from_path", "id:" + ids.file(), "to_path", "/mine.txt")),
                new DropboxCall(sync, "files/delete_v2", ids -> Map.of("path", "id:" + ids.file())),
                new DropboxCall(sync, "sharing/get_folder_metadata", ids -> Map.of("shared_folder_id", ids.folder())),
                new DropboxCall(sync, "sharing/list_folder_members", ids -> Map.of("shared_folder_id", ids.folder())),
                new DropboxCall(
                        sync,
                        "sharing/add_folder_member",
                        ids -> Map.of(
                                "shared_folder_id",
                                ids.folder(),
                                "members",
                                List.of(Map.of(
                                        "member",
                                        Map.of(".tag", "email", "email", stranger.email()),
                                        "access_level",
                                        "editor")))),
                new DropboxCall(
                        sync,
                        "sharing/remove_folder_member",
                        ids -> Map.of(
                                "shared_folder_id",
                                ids.folder(),
                                "member",
                                Map.of(".tag", "email", "email", reader.email()),
                                "leave_a_copy",
                                false)),
                new DropboxCall(download, "files/download", ids -> Map.of("path", "id:" + ids.file())),
                new DropboxCall(download, "files/download", ids -> Map.of("path", "rev:" + rev(ids.version()))),
                new DropboxCall(upload, "files/upload", ids -> Map.of("path", "id:" + ids.file(), "mode", "overwrite")),
                new DropboxCall(
                        upload,
                        "files/upload_session/append_v2",
                        ids -> Map.of("cursor", Map.of("session_id", ids.session(), "offset", 0))),
                new DropboxCall(
                        upload,
                        "files/upload_session/finish",
                        ids -> Map.of(
                                "cursor",
                                Map.of("session_id", ids.session(), "offset", 0),
                                "commit",
                                Map.of("path", "/stolen.txt"))));
        for (DropboxCall call : calls) {
            DropboxAnswer theirs = call.send(owners);
            DropboxAnswer none = call.send(nobodys);
            if (theirs.status() < 400 || theirs.status() >= 500) {
                failures.add(call + ": status " + theirs.status() + " " + theirs.body());
            } else if (theirs.status() != none.status() || !theirs.summary().equals(none.summary())) {
                failures.add(call + ": " + theirs.status() + " " + theirs.summary() + " for the owner's ids, "
                        + none.status() + " " + none.summary() + " for ids of nobody's");
            }
        }

        assertThat(failures).isEmpty();
        assertThat(ownersState())
                .as("the owner's files, trash, shares and session")
                .isEqualTo(before);
    }

    private static String rev(String versionId) {
        return dev.syncbox.server.dropbox.DropboxWire.rev(versionId);
    }

    record DropboxAnswer(int status, String summary, String body) {}

    /** A Dropbox route of {@code service}, its argument built from a set of ids. */
    record DropboxCall(Api service, String route, java.util.function.Function<Ids4, Map<String, Object>> argument) {

        DropboxAnswer send(Ids4 ids) {
            String arg = JSON.writeValueAsString(argument.apply(ids));
            HttpRequest.Builder request = service.request("/2/" + route).header("Authorization", stranger.bearer());
            if (service == sync) {
                request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(arg));
            } else {
                request.header("Content-Type", "application/octet-stream")
                        .header("Dropbox-API-Arg", arg)
                        .POST(HttpRequest.BodyPublishers.ofString("x"));
            }
            HttpResponse<byte[]> response = service.bytes(request);
            String body = new String(response.body(), StandardCharsets.UTF_8);
            String summary =
                    response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")
                            ? JSON.readTree(body).path("error_summary").asString()
                            : "a plain-text " + response.statusCode();
            return new DropboxAnswer(response.statusCode(), summary, body);
        }

        @Override
        public String toString() {
            return "/2/" + route + " " + argument.apply(owners).keySet();
        }
    }

    /** Everything of the owner's that a stranger's request could change, as text. */
    private static String ownersState() {
        StringBuilder state = new StringBuilder();
        state.append(sync.get("/files/list?path=/Team", owner.bearer()).body()).append('\n');
        state.append(sync.get("/files/" + owners.file() + "/versions", owner.bearer())
                        .body())
                .append('\n');
        state.append(sync.get("/files/" + owners.folder() + "/shares", owner.bearer())
                        .body())
                .append('\n');
        state.append(sync.get("/trash", owner.bearer()).body()).append('\n');
        state.append(sync.get("/auth/app-passwords", owner.bearer()).body()).append('\n');
        state.append(sync.get("/devices", tablet.bearer()).body()).append('\n');
        state.append(sync.get("/devices/" + tablet.deviceId() + "/selective-sync", owner.bearer())
                        .body())
                .append('\n');
        state.append(upload.get("/upload-sessions/" + owners.session(), owner.bearer())
                        .body())
                .append('\n');
        HttpResponse<byte[]> tus = upload.bytes(upload.request("/files/tus/" + owners.tus())
                .header("Authorization", owner.bearer())
                .header("Tus-Resumable", "1.0.0")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        state.append(tus.statusCode())
                .append(' ')
                .append(tus.headers().firstValue("Upload-Offset").orElse(""))
                .append('\n');
        state.append(system.api(system.conflict)
                .get("/files/" + owners.file() + "/conflicts", owner.bearer())
                .body());
        HttpResponse<byte[]> content = download.bytes(download.request("/files/download/" + owners.file())
                .header("Authorization", owner.bearer())
                .GET());
        state.append('\n').append(content.statusCode()).append(' ').append(Sha256.hex(content.body()));
        return state.toString();
    }

    private static Answer send(Api api, ServiceMappings.Mapping mapping, Ids4 ids) {
        Matcher variables = VARIABLE.matcher(mapping.pattern());
        StringBuilder path = new StringBuilder();
        while (variables.find()) {
            variables.appendReplacement(
                    path, Matcher.quoteReplacement(value(mapping.pattern(), variables.group(1), ids)));
        }
        variables.appendTail(path);
        String query = query(mapping, ids);
        HttpRequest.Builder request =
                api.request(path + (query.isEmpty() ? "" : "?" + query)).header("Authorization", stranger.bearer());
        if (mapping.pattern().startsWith("/files/tus/")) {
            // A tus request as a client sends it, so that only the id can be what is refused.
            request.header("Tus-Resumable", "1.0.0")
                    .header("Upload-Offset", "4")
                    .header("Content-Type", "application/offset+octet-stream")
                    .method(mapping.method(), HttpRequest.BodyPublishers.ofString("more"));
        } else if (takes(mapping, RequestBody.class)) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("version_id", ids.version());
            body.put("file_path", "/taken.txt");
            body.put("move_to_trash", true);
            body.put("permission", "READ_WRITE");
            body.put("email", stranger.email());
            body.put("excluded", List.of("/Team"));
            request.header("Content-Type", "application/json")
                    .method(mapping.method(), HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else if (readsTheRequest(mapping)) {
            Multipart edit = new Multipart()
                    .field("start_offset", "0")
                    .field("parent_version_id", ids.version())
                    .file("delta", "X".getBytes(StandardCharsets.UTF_8));
            request.header("Content-Type", edit.contentType()).method(mapping.method(), edit.publisher());
        } else {
            request.method(mapping.method(), HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> response = api.bytes(request);
        String body = new String(response.body(), StandardCharsets.UTF_8);
        String code = "";
        if (response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
            code = JSON.readTree(body).path("code").asString();
        }
        return new Answer(response.statusCode(), code, body);
    }

    /** The id the variable names: a share's endpoints are on the shared folder, the trash's on a trashed file. */
    private static String value(String pattern, String variable, Ids4 ids) {
        return switch (variable) {
            case "fileId" ->
                pattern.contains("/share") ? ids.folder() : pattern.startsWith("/trash") ? ids.trashed() : ids.file();
            case "deviceId" -> ids.device();
            case "sessionId" -> ids.session();
            case "shareId" -> ids.share();
            case "blockId" -> ids.block();
            case "conflictId" -> ids.conflict();
            case "uploadId" -> ids.tus();
            case "id" -> {
                if (!pattern.startsWith("/auth/app-passwords/")) {
                    throw new AssertionError(pattern + ": no id of the owner's for {id}; add one to this test");
                }
                yield ids.appPassword();
            }
            default ->
                throw new AssertionError(
                        pattern + ": no id of the owner's for {" + variable + "}; add one to this test");
        };
    }

    /** The required query parameters, with the ids they name. */
    private static String query(ServiceMappings.Mapping mapping, Ids4 ids) {
        List<String> parameters = new ArrayList<>();
        for (MethodParameter parameter : mapping.handler().getMethodParameters()) {
            RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
            if (param == null) {
                continue;
            }
            String name = param.name().isEmpty() ? param.value() : param.name();
            switch (name) {
                case "base" -> parameters.add("base=" + ids.block());
                case "version" -> parameters.add("version=" + ids.version());
                case "offset" -> parameters.add("offset=0");
                default -> {
                    if (param.required()
                            && param.defaultValue()
                                    .equals(org.springframework.web.bind.annotation.ValueConstants.DEFAULT_NONE)) {
                        parameters.add(name + "=1");
                    }
                }
            }
        }
        return String.join("&", parameters);
    }

    private static boolean takes(
            ServiceMappings.Mapping mapping, Class<? extends java.lang.annotation.Annotation> kind) {
        for (MethodParameter parameter : mapping.handler().getMethodParameters()) {
            if (parameter.hasParameterAnnotation(kind)) {
                return true;
            }
        }
        return false;
    }

    private static boolean readsTheRequest(ServiceMappings.Mapping mapping) {
        for (MethodParameter parameter : mapping.handler().getMethodParameters()) {
            if (HttpServletRequest.class.isAssignableFrom(parameter.getParameterType())) {
                return true;
            }
        }
        return false;
    }

    record Answer(int status, String code, String body) {}

    /** A new account, or with {@code of} another device of that account. */
    private static Person person(String name, Person of) {
        String email = of != null ? of.email() : name + "-" + Ids.newId().toLowerCase() + "@example.test";
        if (of == null) {
            Api.Response registered = sync.postJson(
                    "/auth/register", null, Map.of("email", email, "password", "a long password", "name", name));
            assertThat(registered.status()).isEqualTo(201);
        }
        Api.Response login = sync.postJson(
                "/auth/login",
                null,
                Map.of("email", email, "password", "a long password", "device_name", of == null ? name : "tablet"));
        assertThat(login.status()).isEqualTo(200);
        return new Person(
                login.body().path("user_id").asLong(),
                email,
                "Bearer " + login.text("access_token"),
                login.text("device_id"));
    }

    private static Api.Response put(Person p, String path, byte[] content, String parent) {
        Multipart body = new Multipart().field("file_path", path);
        if (parent != null) {
            body.field("parent_version_id", parent).field("mode", "auto");
        }
        return upload.upload("/files/upload", p.bearer(), body.file("content", content));
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

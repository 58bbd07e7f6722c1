package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.core.id.Ids;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.testing.Api;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.Adler32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * WebDAV's content routes against the services themselves: PUT into upload-service (create, replace, identical
 * content, preconditions, locks, checksums, client mtimes, a 100 MiB body streamed), GET and HEAD from
 * download-service (ranges, 304), and Nextcloud's chunked upload v2 end to end, each result checked through
 * syncbox's own API.
 */
class WebDavContentIT {

    private static final int MIB = 1024 * 1024;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static RunningSystem system;
    static Api sync;
    static String upload;
    static String download;
    static JdbcTemplate jdbc;

    /** A registered user: their email and bearer header. */
    record User(long id, String email, String bearer) {

        String files() {
            return "/remote.php/dav/files/" + email;
        }

        String uploads() {
            return "/remote.php/dav/uploads/" + email;
        }
    }

    @BeforeAll
    static void start() {
        system = RunningSystem.get();
        sync = system.api(system.sync);
        upload = "http://127.0.0.1" + ":" + system.upload.getEnvironment().getRequiredProperty("local.server.port");
        download = "http://127.0.0.1" + ":" + system.download.getEnvironment().getRequiredProperty("local.server.port");
        jdbc = system.sync.getBean(JdbcTemplate.class);
    }

    @Test
    void putCreatesReplacesAndKeepsIdenticalContent() {
        User ada = user("Ada");
        mkdir(ada, "/Docs");
        HttpResponse<byte[]> created = put(ada, "/Docs/a.txt", bytes("first"));
        assertThat(created.statusCode()).isEqualTo(201);
        String etag = header(created, "ETag");
        assertThat(etag).matches("\"[0-9A-Z]{26}\"");
        assertThat(header(created, "OC-ETag")).isEqualTo(etag);
        String fileId = header(created, "OC-FileId");
        JsonNode metadata = metadata(ada, fileId);
        assertThat(metadata.path("path").asString()).isEqualTo("/Docs/a.txt");
        assertThat('"' + metadata.path("current_version_id").asString() + '"').isEqualTo(etag);
        assertThat(metadata.path("content_hash").asString()).isEqualTo(ContentHasher.of(bytes("first")));

        HttpResponse<byte[]> replaced = put(ada, "/Docs/a.txt", bytes("second"));
        assertThat(replaced.statusCode()).isEqualTo(204);
        assertThat(header(replaced, "OC-FileId")).isEqualTo(fileId);
        assertThat(header(replaced, "ETag")).isNotEqualTo(etag);
        assertThat(metadata(ada, fileId).path("versions")).hasSize(2);

        HttpResponse<byte[]> same = put(ada, "/Docs/a.txt", bytes("second"));
        assertThat(same.statusCode()).isEqualTo(204);
        assertThat(header(same, "ETag")).isEqualTo(header(replaced, "ETag"));
        assertThat(metadata(ada, fileId).path("versions")).hasSize(2);

        assertThat(get(ada, "/Docs/a.txt").body()).isEqualTo(bytes("second"));
        // The other two routes name the same tree.
        assertThat(send("GET", download, "/remote.php/webdav/Docs/a.txt", ada, null)
                        .body())
                .isEqualTo(bytes("second"));
        assertThat(send("GET", download, "/dav/Docs/a.txt", ada, null).body()).isEqualTo(bytes("second"));
    }

    @Test
    void putNeedsItsFolderAndIsNoFolder() {
        User ada = user("Ada");
        HttpResponse<byte[]> orphan = put(ada, "/Missing/a.txt", bytes("x"));
        assertThat(orphan.statusCode()).isEqualTo(409);
        assertThat(get(ada, "/Missing/a.txt").statusCode()).isEqualTo(404);
        assertThat(get(ada, "/Missing").statusCode()).isEqualTo(404);
        mkdir(ada, "/Folder");
        HttpResponse<byte[]> onFolder = put(ada, "/Folder", bytes("x"));
        assertThat(onFolder.statusCode()).isEqualTo(405);
        assertThat(code(onFolder)).isEqualTo("method_not_allowed");
        // Another user's segment is nobody's tree.
        User bob = user("Bob");
        assertThat(send("PUT", upload, ada.files() + "/x.txt", bob, bytes("x")).statusCode())
                .isEqualTo(404);
    }

    @Test
    void preconditionsGuardTheWrite() {
        User ada = user("Ada");
        String etag = header(put(ada, "/p.txt", bytes("one")), "ETag");

        HttpResponse<byte[]> stale = put(ada, "/p.txt", bytes("two"), "If-Match", "\"01ARZ3NDEKTSV4RRFFQ69G5FAV\"");
        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(code(stale)).isEqualTo("precondition_failed");
        assertThat(put(ada, "/p.txt", bytes("two"), "If-Match", etag).statusCode())
                .isEqualTo(204);
        assertThat(put(ada, "/p.txt", bytes("three"), "If-None-Match", "*").statusCode())
                .isEqualTo(412);
        assertThat(put(ada, "/new.txt", bytes("three"), "If-None-Match", "*").statusCode())
                .isEqualTo(201);
        assertThat(put(ada, "/none.txt", bytes("x"), "If-Match", "*").statusCode())
                .isEqualTo(412);
        assertThat(get(ada, "/p.txt").body()).isEqualTo(bytes("two"));
        // RFC 4918's If header, on the entity tag.
        String current = header(get(ada, "/p.txt"), "ETag");
        assertThat(put(ada, "/p.txt", bytes("four"), "If", "([\"nope\"])").statusCode())
                .isEqualTo(412);
        assertThat(put(ada, "/p.txt", bytes("four"), "If", "([" + current + "])")
                        .statusCode())
                .isEqualTo(204);
    }

    @Test
    void checksumsAreVerifiedBeforeAnythingIsCommitted() throws Exception {
        User ada = user("Ada");
        byte[] content = random(3 * MIB + 17, 1);
        HttpResponse<byte[]> good = put(ada, "/sum.bin", content, "OC-Checksum", "SHA1:" + digest("SHA-1", content));
        assertThat(good.statusCode()).isEqualTo(201);
        String fileId = header(good, "OC-FileId");
        Adler32 adler = new Adler32();
        adler.update(content);
        byte[] changed = random(1000, 2);
        assertThat(put(ada, "/sum.bin", changed, "OC-Checksum", "MD5:" + digest("MD5", changed))
                        .statusCode())
                .isEqualTo(204);
        assertThat(put(ada, "/sum.bin", content, "OC-Checksum", "Adler32:" + Long.toHexString(adler.getValue()))
                        .statusCode())
                .isEqualTo(204);
        assertThat(metadata(ada, fileId).path("versions")).hasSize(3);

        HttpResponse<byte[]> bad =
                put(ada, "/sum.bin", random(5000, 3), "OC-Checksum", "SHA256:" + digest("SHA-256", content));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(code(bad)).isEqualTo("content_hash_mismatch");
        assertThat(metadata(ada, fileId).path("versions")).hasSize(3);
        HttpResponse<byte[]> badNew = put(ada, "/never.bin", content, "OC-Checksum", "SHA1:" + "0".repeat(40));
        assertThat(badNew.statusCode()).isEqualTo(400);
        assertThat(get(ada, "/never.bin").statusCode()).isEqualTo(404);
        assertThat(get(ada, "/sum.bin").body()).isEqualTo(content);
    }

    @Test
    void clientMtimeIsTheLastModifiedTime() {
        User ada = user("Ada");
        HttpResponse<byte[]> put = put(ada, "/old.txt", bytes("old"), "X-OC-Mtime", "1500000000.75");
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(header(put, "X-OC-MTime")).isEqualTo("accepted");
        HttpResponse<byte[]> got = get(ada, "/old.txt");
        assertThat(lastModified(got)).isEqualTo(Instant.ofEpochSecond(1500000000));
        Timestamp stored = jdbc.queryForObject(
                "SELECT v.client_modified_at FROM files f JOIN file_versions v ON v.version_id = f.current_version_id"
                        + " WHERE f.file_id = ?",
                Timestamp.class,
                header(put, "OC-FileId"));
        assertThat(stored.toInstant()).isEqualTo(Instant.ofEpochSecond(1500000000, 750_000_000));

        // A version without a client time: the server's time again.
        HttpResponse<byte[]> plain = put(ada, "/old.txt", bytes("new"));
        assertThat(header(plain, "X-OC-MTime")).isNull();
        assertThat(lastModified(get(ada, "/old.txt"))).isAfter(Instant.now().minus(Duration.ofHours(1)));
        assertThat(put(ada, "/old.txt", bytes("x"), "X-OC-Mtime", "yesterday").statusCode())
                .isEqualTo(400);
    }

    @Test
    void dropboxClientModifiedIsKeptToo() {
        User ada = user("Ada");
        HttpResponse<byte[]> uploaded = send(
                "POST",
                upload,
                "/2/files/upload",
                ada,
                bytes("from dropbox"),
                "Dropbox-API-Arg",
                "{\"path\":\"/dbx.txt\",\"client_modified\":\"2019-05-06T07:08:09Z\"}",
                "Content-Type",
                "application/octet-stream");
        assertThat(uploaded.statusCode()).isEqualTo(200);
        String result = new String(uploaded.body(), StandardCharsets.UTF_8);
        assertThat(result).contains("\"client_modified\":\"2019-05-06T07:08:09Z\"");
        assertThat(result).doesNotContain("\"server_modified\":\"2019-05-06T07:08:09Z\"");
        assertThat(lastModified(get(ada, "/dbx.txt"))).isEqualTo(Instant.parse("2019-05-06T07:08:09Z"));
        // The listing routes read the same stored time: an SDK that compares times sees one answer.
        Api.Response listed = sync.postJson("/2/files/list_folder", ada.bearer(), java.util.Map.of("path", ""));
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body().toString()).contains("\"client_modified\":\"2019-05-06T07:08:09Z\"");
    }

    @Test
    void locksOfOthersRefuseWrites() throws Exception {
        User ada = user("Ada");
        User bob = user("Bob");
        mkdir(ada, "/Locked");
        put(ada, "/Locked/a.txt", bytes("a"));
        String theirs = lock(ada, bob.id(), "/Locked/a.txt", false);
        HttpResponse<byte[]> refused = put(ada, "/Locked/a.txt", bytes("b"));
        assertThat(refused.statusCode()).isEqualTo(423);
        assertThat(code(refused)).isEqualTo("locked");
        // syncbox's own upload honours the lock too.
        Api.Response own = new Api(upload).uploadText(ada.bearer(), "/Locked/a.txt", "b", null, null);
        assertThat(own.status()).isEqualTo(423);
        assertThat(own.code()).isEqualTo("locked");
        // And Dropbox's, as a write error of its own (its API has no 423).
        HttpResponse<byte[]> dropbox = send(
                "POST",
                upload,
                "/2/files/upload",
                ada,
                bytes("b"),
                "Dropbox-API-Arg",
                "{\"path\":\"/Locked/a.txt\",\"mode\":\"overwrite\"}",
                "Content-Type",
                "application/octet-stream");
        assertThat(dropbox.statusCode()).isEqualTo(409);
        // And a batch commit, entry by entry.
        byte[] block = bytes("batched");
        String blockId = digest("SHA-256", block);
        assertThat(send("PUT", upload, "/blocks/" + blockId, ada, block, "Content-Type", "application/octet-stream")
                        .statusCode())
                .isBetween(200, 201);
        Api.Response batch = new Api(upload)
                .postJson(
                        "/files/commit_batch",
                        ada.bearer(),
                        Map.of(
                                "entries",
                                List.of(entry("/Locked/a.txt", blockId, block), entry("/b.txt", blockId, block))));
        assertThat(batch.status()).isEqualTo(200);
        assertThat(batch.body().path("entries").get(0).path("code").asString()).isEqualTo("locked");
        assertThat(batch.body().path("entries").get(1).path("file_id").asString())
                .isNotBlank();
        assertThat(get(ada, "/Locked/a.txt").body()).isEqualTo(bytes("a"));
        jdbc.update("DELETE FROM dav_locks WHERE token = ?", theirs);

        // Ada's own lock on the folder (depth infinity): only a write that submits its token passes.
        String mine = lock(ada, ada.id(), "/Locked", true);
        assertThat(put(ada, "/Locked/new.txt", bytes("n")).statusCode()).isEqualTo(423);
        assertThat(put(ada, "/Locked/new.txt", bytes("n"), "If", "(<" + mine + ">)")
                        .statusCode())
                .isEqualTo(201);
        // Through syncbox's own API the holder of the lock may write.
        assertThat(new Api(upload)
                        .uploadText(ada.bearer(), "/Locked/own.txt", "o", null, null)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void getServesRangesAndConditions() {
        User ada = user("Ada");
        byte[] content = random(6 * MIB + 5, 4);
        String etag = header(put(ada, "/big.bin", content), "ETag");

        HttpResponse<byte[]> whole = get(ada, "/big.bin");
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(content);
        assertThat(header(whole, "ETag")).isEqualTo(etag);
        assertThat(header(whole, "OC-ETag")).isEqualTo(etag);
        assertThat(header(whole, "Accept-Ranges")).isEqualTo("bytes");
        assertThat(header(whole, "Content-Length")).isEqualTo(Integer.toString(content.length));
        assertThat(header(whole, "OC-FileId")).isNotBlank();

        HttpResponse<byte[]> part = get(ada, "/big.bin", "Range", "bytes=4194300-4194310");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(content, 4194300, 4194311));
        assertThat(header(part, "Content-Range")).isEqualTo("bytes 4194300-4194310/" + content.length);
        assertThat(get(ada, "/big.bin", "Range", "bytes=" + content.length + "-")
                        .statusCode())
                .isEqualTo(416);
        assertThat(get(ada, "/big.bin", "Range", "bytes=0-9", "If-Range", "\"other\"")
                        .statusCode())
                .isEqualTo(200);
        assertThat(get(ada, "/big.bin", "Range", "bytes=0-9", "If-Range", etag).statusCode())
                .isEqualTo(206);
        assertThat(get(ada, "/big.bin", "If-None-Match", etag).statusCode()).isEqualTo(304);

        HttpResponse<byte[]> head = send("HEAD", download, ada.files() + "/big.bin", ada, null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(header(head, "Content-Length")).isEqualTo(Integer.toString(content.length));
        assertThat(header(head, "ETag")).isEqualTo(etag);

        assertThat(get(ada, "/nothing.bin").statusCode()).isEqualTo(404);
        mkdir(ada, "/Dir");
        HttpResponse<byte[]> folder = get(ada, "/Dir");
        assertThat(folder.statusCode()).isEqualTo(200);
        assertThat(folder.body()).isEmpty();
    }

    @Test
    void hundredMebibytesStreamThrough() throws Exception {
        User ada = user("Ada");
        long size = 100L * MIB;
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upload + ada.files() + "/huge.bin"))
                .timeout(Duration.ofMinutes(10))
                .header("Authorization", ada.bearer())
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new Generated(size, 7, sent)));
        HttpResponse<byte[]> put = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(put.statusCode()).isEqualTo(201);
        String expected = HexFormat.of().formatHex(sent.digest());

        HttpResponse<InputStream> got = HTTP.send(
                HttpRequest.newBuilder(URI.create(download + ada.files() + "/huge.bin"))
                        .timeout(Duration.ofMinutes(10))
                        .header("Authorization", ada.bearer())
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(got.statusCode()).isEqualTo(200);
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        long count = 0;
        try (InputStream in = got.body()) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                received.update(buffer, 0, n);
                count += n;
            }
        }
        assertThat(count).isEqualTo(size);
        assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(expected);
    }

    @Test
    void chunkedUploadAssemblesInOrderAndResumes() throws Exception {
        User ada = user("Ada");
        mkdir(ada, "/Up");
        String transfer = ada.uploads() + "/web-file-upload-" + Ids.newId();
        String destination = upload + ada.files() + "/Up/assembled.bin";
        assertThat(send("MKCOL", upload, transfer, ada, null, "Destination", destination)
                        .statusCode())
                .isEqualTo(201);
        assertThat(send("MKCOL", upload, transfer, ada, null).statusCode()).isEqualTo(405);
        byte[] one = random(5 * MIB, 11);
        byte[] two = random(5 * MIB, 12);
        byte[] three = random(MIB + 99, 13);
        // Out of order, and chunk 2 sent twice: the second one counts.
        assertThat(chunk(ada, transfer, "00002", random(1000, 14), destination).statusCode())
                .isEqualTo(201);
        assertThat(chunk(ada, transfer, "00003", three, destination).statusCode())
                .isEqualTo(201);
        assertThat(chunk(ada, transfer, "00001", one, destination).statusCode()).isEqualTo(201);
        assertThat(chunk(ada, transfer, "00002", two, destination).statusCode()).isEqualTo(204);

        // What a resuming client sees: the chunks received and their sizes.
        HttpResponse<byte[]> listing = send("PROPFIND", upload, transfer, ada, null, "Depth", "1");
        assertThat(listing.statusCode()).isEqualTo(207);
        String xml = new String(listing.body(), StandardCharsets.UTF_8);
        assertThat(xml).contains(transfer + "/00001</d:href>", transfer + "/00002</d:href>", transfer + "/00003");
        assertThat(xml).contains("<d:getcontentlength>" + two.length + "</d:getcontentlength>");
        assertThat(xml).contains("<d:getcontentlength>" + three.length + "</d:getcontentlength>");
        assertThat(xml).doesNotContain("<d:getcontentlength>1000<");

        byte[] whole = concat(one, two, three);
        HttpResponse<byte[]> moved = send(
                "MOVE",
                upload,
                transfer + "/.file",
                ada,
                null,
                "Destination",
                destination,
                "OC-Total-Length",
                Integer.toString(whole.length),
                "OC-Checksum",
                "SHA1:" + digest("SHA-1", whole),
                "X-OC-Mtime",
                "1600000000");
        assertThat(moved.statusCode()).isEqualTo(201);
        assertThat(header(moved, "X-OC-MTime")).isEqualTo("accepted");
        String fileId = header(moved, "OC-FileId");
        JsonNode metadata = metadata(ada, fileId);
        assertThat(metadata.path("path").asString()).isEqualTo("/Up/assembled.bin");
        assertThat(metadata.path("content_hash").asString()).isEqualTo(ContentHasher.of(whole));
        assertThat('"' + metadata.path("current_version_id").asString() + '"').isEqualTo(header(moved, "ETag"));
        HttpResponse<byte[]> got = get(ada, "/Up/assembled.bin");
        assertThat(got.body()).isEqualTo(whole);
        assertThat(lastModified(got)).isEqualTo(Instant.ofEpochSecond(1600000000));
        // Done: the transfer is gone.
        assertThat(send("PROPFIND", upload, transfer, ada, null, "Depth", "1").statusCode())
                .isEqualTo(404);

        // A second transfer to the same file replaces it.
        String again = ada.uploads() + "/" + Ids.newId();
        send("MKCOL", upload, again, ada, null, "Destination", destination);
        chunk(ada, again, "1", bytes("small"), destination);
        assertThat(send("MOVE", upload, again + "/.file", ada, null, "Destination", destination, "Overwrite", "F")
                        .statusCode())
                .isEqualTo(412);
        HttpResponse<byte[]> replaced = send("MOVE", upload, again + "/.file", ada, null, "Destination", destination);
        assertThat(replaced.statusCode()).isEqualTo(204);
        assertThat(header(replaced, "OC-FileId")).isEqualTo(fileId);
        assertThat(get(ada, "/Up/assembled.bin").body()).isEqualTo(bytes("small"));
    }

    @Test
    void chunkedUploadRefusesBadInputAndAborts() {
        User ada = user("Ada");
        User bob = user("Bob");
        String transfer = ada.uploads() + "/" + Ids.newId();
        String destination = upload + ada.files() + "/target.bin";
        assertThat(send("MKCOL", upload, transfer, ada, null, "Destination", destination)
                        .statusCode())
                .isEqualTo(201);

        HttpResponse<byte[]> badName = chunk(ada, transfer, "first", bytes("x"), destination);
        assertThat(badName.statusCode()).isEqualTo(400);
        HttpResponse<byte[]> empty = send("MOVE", upload, transfer + "/.file", ada, null, "Destination", destination);
        assertThat(empty.statusCode()).isEqualTo(400);

        chunk(ada, transfer, "00001", bytes("12345"), destination);
        HttpResponse<byte[]> mismatch = send(
                "MOVE", upload, transfer + "/.file", ada, null, "Destination", destination, "OC-Total-Length", "6");
        assertThat(mismatch.statusCode()).isEqualTo(400);
        assertThat(code(mismatch)).isEqualTo("size_mismatch");
        assertThat(get(ada, "/target.bin").statusCode()).isEqualTo(404);

        // Another user finds nothing, by their own segment or by Ada's.
        String id = transfer.substring(transfer.lastIndexOf('/') + 1);
        assertThat(send("PROPFIND", upload, bob.uploads() + "/" + id, bob, null, "Depth", "1")
                        .statusCode())
                .isEqualTo(404);
        assertThat(send("PROPFIND", upload, transfer, bob, null, "Depth", "1").statusCode())
                .isEqualTo(404);
        assertThat(chunk(bob, bob.uploads() + "/" + id, "00002", bytes("x"), destination)
                        .statusCode())
                .isEqualTo(404);

        // Abandoned: the transfer and its chunks go.
        assertThat(send("DELETE", upload, transfer, ada, null).statusCode()).isEqualTo(204);
        assertThat(send("PROPFIND", upload, transfer, ada, null, "Depth", "1").statusCode())
                .isEqualTo(404);
        assertThat(chunk(ada, transfer, "00002", bytes("x"), destination).statusCode())
                .isEqualTo(404);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM dav_upload_chunks WHERE user_id = ?", Long.class, ada.id()))
                .isZero();
    }

    // --- helpers ---

    private static User user(String name) {
        String email = "dav-" + Ids.newId().toLowerCase() + "@example.test";
        assertThat(sync.postJson(
                                "/auth/register",
                                null,
                                Map.of("email", email, "password", "a long password", "name", name))
                        .status())
                .isEqualTo(201);
        Api.Response login = sync.postJson(
                "/auth/login", null, Map.of("email", email, "password", "a long password", "device_name", "dav"));
        assertThat(login.status()).isEqualTo(200);
        long id = jdbc.queryForObject("SELECT user_id FROM users WHERE email = ?", Long.class, email);
        return new User(id, email, "Bearer " + login.text("access_token"));
    }

    private static void mkdir(User user, String path) {
        assertThat(sync.postJson("/files/folder", user.bearer(), Map.of("path", path))
                        .status())
                .isBetween(200, 201);
    }

    /** A lock row as a LOCK would write it, in {@code owner}'s namespace, held by {@code holder}. */
    private static String lock(User owner, long holder, String path, boolean infinity) {
        String token = "opaquelocktoken:" + java.util.UUID.randomUUID();
        long namespace =
                jdbc.queryForObject("SELECT root_namespace_id FROM users WHERE user_id = ?", Long.class, owner.id());
        jdbc.update(
                "INSERT INTO dav_locks (token, namespace_id, path_key, file_path, depth_infinity, user_id, timeout_s,"
                        + " expires_at) VALUES (?, ?, ?, ?, ?, ?, 600, ?)",
                token,
                namespace,
                PathKeys.of(path),
                path,
                infinity,
                holder,
                Timestamp.from(Instant.now().plus(Duration.ofMinutes(10))));
        return token;
    }

    private static Map<String, Object> entry(String path, String blockId, byte[] block) {
        return Map.of(
                "file_path",
                path,
                "blocks",
                List.of(blockId),
                "size",
                block.length,
                "content_hash",
                ContentHasher.of(block));
    }

    private static JsonNode metadata(User user, String fileId) {
        Api.Response response = sync.get("/files/" + fileId + "/metadata", user.bearer());
        assertThat(response.status()).isEqualTo(200);
        return response.body();
    }

    private static HttpResponse<byte[]> put(User user, String path, byte[] body, String... headers) {
        return send("PUT", upload, user.files() + path, user, body, headers);
    }

    private static HttpResponse<byte[]> get(User user, String path, String... headers) {
        return send("GET", download, user.files() + path, user, null, headers);
    }

    private static HttpResponse<byte[]> chunk(User user, String transfer, String name, byte[] body, String dest) {
        return send("PUT", upload, transfer + "/" + name, user, body, "Destination", dest);
    }

    private static HttpResponse<byte[]> send(
            String method, String base, String path, User user, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofMinutes(5))
                .header("Authorization", user.bearer())
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    private static String code(HttpResponse<byte[]> response) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"code\"\\s*:\\s*\"([a-z_]+)\"")
                .matcher(body);
        return m.find() ? m.group(1) : body;
    }

    private static Instant lastModified(HttpResponse<?> response) {
        return ZonedDateTime.parse(header(response, "Last-Modified"), DateTimeFormatter.RFC_1123_DATE_TIME)
                .toInstant();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] part : parts) {
            size += part.length;
        }
        byte[] all = new byte[size];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private static String digest(String algorithm, byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    }

    /** {@code size} pseudo-random bytes made as they are read, digested on the way: never all in memory. */
    private static final class Generated extends InputStream {

        private final Random random;
        private final MessageDigest digest;
        private long left;

        Generated(long size, long seed, MessageDigest digest) {
            this.random = new Random(seed);
            this.digest = digest;
            this.left = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, b, off, n);
            digest.update(chunk);
            left -= n;
            return n;
        }
    }
}

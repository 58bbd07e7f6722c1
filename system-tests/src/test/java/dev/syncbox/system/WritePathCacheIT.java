package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.core.hash.Sha256;
import dev.syncbox.core.id.Ids;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.Multipart;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every write path, then a read of metadata, listing and feed through the Redis cache: each read sees
 * the state the write left, whichever service made it. The metadata of every file touched is read
 * just before each write, so a stale cache entry would be served if the write forgot to drop it.
 */
class WritePathCacheIT {

    static Api sync;
    static Api upload;
    static Session owner;
    static Session friend;

    record Session(long userId, String email, String bearer) {}

    @BeforeAll
    static void signIn() {
        RunningSystem system = RunningSystem.get();
        sync = system.api(system.sync);
        upload = system.api(system.upload);
        owner = account("owner");
        friend = account("friend");
    }

    private static Session account(String name) {
        String email = name + "-" + Ids.newId().toLowerCase() + "@example.test";
        Api.Response registered = sync.postJson(
                "/auth/register", null, Map.of("email", email, "password", "a long password", "name", name));
        Api.Response login = sync.postJson(
                "/auth/login", null, Map.of("email", email, "password", "a long password", "device_name", "laptop"));
        assertThat(login.status()).isEqualTo(200);
        return new Session(registered.body().path("user_id").asLong(), email, "Bearer " + login.text("access_token"));
    }

    @Test
    void shouldSeeTheNewStateAfterEveryWritePath() {
        Feed feed = new Feed(owner);
        Api.Response v1 = uploadFile("/notes/todo.txt", null, null, "one\ntwo\nthree\nfour\nfive\n");
        String file = v1.text("file_id");
        feed.next();
        assertCurrent(file, v1.text("version_id"), 1);

        // upload on top of a version
        Api.Response v2 = uploadFile("/notes/todo.txt", v1.text("version_id"), null, "one\ntwo\nthree\nfour\nfive!\n");
        assertCurrent(file, v2.text("version_id"), 2);
        assertListed("/notes", "todo.txt", v2.text("version_id"));
        assertThat(feed.next()).containsExactly("UPDATE /notes/todo.txt " + v2.text("version_id"));

        // commit of uploaded blocks
        byte[] v3Content = "one\ntwo\nthree\nfour!\nfive!\n".getBytes(StandardCharsets.UTF_8);
        Api.Response v3 = commitBlocks("/notes/todo.txt", v2.text("version_id"), v3Content);
        assertCurrent(file, v3.text("version_id"), 3);
        assertThat(feed.next()).containsExactly("UPDATE /notes/todo.txt " + v3.text("version_id"));

        // in-place update
        Api.Response v4 = update(file, v3.text("version_id"), 0, "ONE");
        assertCurrent(file, v4.text("version_id"), 4);
        assertThat(feed.next()).containsExactly("UPDATE /notes/todo.txt " + v4.text("version_id"));

        // a merge: based on v3, edits a line two away from the one v4 changed
        Api.Response merged =
                uploadFile("/notes/todo.txt", v3.text("version_id"), "auto", "one\ntwo\nthree!\nfour!\nfive!\n");
        assertThat(merged.body().path("conflict").path("resolution").asString()).isEqualTo("MERGED");
        assertCurrent(file, merged.text("version_id"), 6);
        assertThat(feed.next()).containsExactly("UPDATE /notes/todo.txt " + merged.text("version_id"));

        // a conflicted copy: a stale binary upload
        Api.Response b1 = uploadFile("/notes/pic.bin", null, null, "\0binary one");
        String pic = b1.text("file_id");
        Api.Response b2 = uploadFile("/notes/pic.bin", b1.text("version_id"), null, "\0binary two");
        feed.next();
        assertCurrent(pic, b2.text("version_id"), 2);
        Api.Response copy = uploadFile("/notes/pic.bin", b1.text("version_id"), "auto", "\0binary three");
        assertThat(copy.body().path("conflict").path("resolution").asString()).isEqualTo("CONFLICTED_COPY");
        assertCurrent(pic, b2.text("version_id"), 2);
        String copyPath = metadata(owner, copy.text("file_id")).text("path");
        assertThat(copyPath).startsWith("/notes/pic (conflicted copy laptop ");
        assertListed("/notes", copyPath.substring("/notes/".length()), copy.text("version_id"));
        assertThat(feed.next()).containsExactly("CREATE " + copyPath + " " + copy.text("version_id"));

        // restore of an old version
        Api.Response restored = sync.postJson(
                "/files/" + file + "/restore", owner.bearer(), Map.of("version_id", v1.text("version_id")));
        assertThat(restored.status()).isEqualTo(200);
        assertCurrent(file, restored.text("version_id"), 7);

        // a move of the folder holding the file
        metadata(owner, file);
        Api.Response moved = sync.postJson(
                "/files/move", owner.bearer(), Map.of("from_path", "/notes", "to_path", "/archive/notes"));
        assertThat(moved.status()).isEqualTo(200);
        assertThat(metadata(owner, file).text("path")).isEqualTo("/archive/notes/todo.txt");
        assertListed("/archive/notes", "todo.txt", restored.text("version_id"));
        feed.next();

        // delete to the trash, and back
        metadata(owner, file);
        assertThat(sync.postJson("/files/" + file + "/delete", owner.bearer(), Map.of())
                        .status())
                .isEqualTo(200);
        assertThat(metadata(owner, file).status()).isEqualTo(404);
        assertThat(feed.next()).containsExactly("DELETE /archive/notes/todo.txt null");
        assertThat(sync.postJson("/trash/" + file + "/restore", owner.bearer(), Map.of())
                        .status())
                .isEqualTo(200);
        assertThat(metadata(owner, file).text("path")).isEqualTo("/archive/notes/todo.txt");

        // a share, then its end
        String archive = folderId("/archive");
        assertThat(metadata(friend, file).status()).isEqualTo(404);
        Api.Response share = sync.postJson(
                "/files/" + archive + "/share", owner.bearer(), Map.of("email", friend.email(), "permission", "READ"));
        assertThat(share.status()).isEqualTo(201);
        assertThat(metadata(friend, file).text("path")).isEqualTo("/archive/notes/todo.txt");
        assertThat(names(friend, "/")).contains("archive");
        assertThat(delete("/files/" + archive + "/share/" + share.text("share_id"), owner.bearer()))
                .isEqualTo(204);
        assertThat(metadata(friend, file).status()).isEqualTo(404);
        assertThat(names(friend, "/")).doesNotContain("archive");
    }

    private void assertCurrent(String fileId, String versionId, int versions) {
        Api.Response metadata = metadata(owner, fileId);
        assertThat(metadata.text("current_version_id")).isEqualTo(versionId);
        assertThat(metadata.body().path("versions")).hasSize(versions);
        // Read again: the answer now comes from the cache, and is the same.
        assertThat(metadata(owner, fileId).text("current_version_id")).isEqualTo(versionId);
    }

    private void assertListed(String folder, String name, String versionId) {
        Api.Response listing = sync.get("/files/list?path=" + folder, owner.bearer());
        assertThat(listing.status()).isEqualTo(200);
        JsonNode entry = null;
        for (JsonNode e : listing.body().path("entries")) {
            if (e.path("name").asString().equals(name)) {
                entry = e;
            }
        }
        assertThat(entry).as("%s in %s", name, folder).isNotNull();
        assertThat(entry.path("current_version_id").asString()).isEqualTo(versionId);
    }

    private static List<String> names(Session who, String folder) {
        List<String> names = new ArrayList<>();
        sync.get("/files/list?path=" + folder, who.bearer())
                .body()
                .path("entries")
                .forEach(e -> names.add(e.path("name").asString()));
        return names;
    }

    private static String folderId(String path) {
        for (JsonNode e : sync.get("/files/list?path=/", owner.bearer()).body().path("entries")) {
            if (e.path("path").asString().equals(path)) {
                return e.path("file_id").asString();
            }
        }
        throw new AssertionError("no folder " + path);
    }

    private static Api.Response metadata(Session who, String fileId) {
        return sync.get("/files/" + fileId + "/metadata", who.bearer());
    }

    private static Api.Response uploadFile(String path, String parent, String mode, String text) {
        Multipart body = new Multipart().field("file_path", path);
        if (parent != null) {
            body.field("parent_version_id", parent);
        }
        if (mode != null) {
            body.field("mode", mode);
        }
        Api.Response response = upload.upload(
                "/files/upload", owner.bearer(), body.file("content", text.getBytes(StandardCharsets.UTF_8)));
        assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
        return response;
    }

    private static Api.Response commitBlocks(String path, String parent, byte[] content) {
        String block = Sha256.hex(content);
        Api.Response put = upload.json(upload.request("/blocks/" + block)
                .header("Authorization", owner.bearer())
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
        assertThat(put.status()).isEqualTo(200);
        Map<String, Object> commit = new LinkedHashMap<>();
        commit.put("file_path", path);
        commit.put("parent_version_id", parent);
        commit.put("blocks", List.of(block));
        commit.put("size", content.length);
        commit.put("content_hash", ContentHasher.of(content));
        Api.Response response = upload.postJson("/files/commit", owner.bearer(), commit);
        assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
        return response;
    }

    private static Api.Response update(String fileId, String parent, long offset, String delta) {
        Multipart body = updateBody(parent, offset, delta);
        Api.Response response = upload.json(upload.request("/files/" + fileId + "/update")
                .header("Authorization", owner.bearer())
                .header("Content-Type", body.contentType())
                .PUT(body.publisher()));
        assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
        return response;
    }

    private static Multipart updateBody(String parent, long offset, String delta) {
        return new Multipart()
                .field("start_offset", Long.toString(offset))
                .field("parent_version_id", parent)
                .file("delta", delta.getBytes(StandardCharsets.UTF_8));
    }

    private static int delete(String path, String bearer) {
        return sync.bytes(sync.request(path).header("Authorization", bearer).DELETE())
                .statusCode();
    }

    /** A second device of the owner, paging its feed: each call returns what changed since the last. */
    private static final class Feed {

        private final String bearer;
        private String cursor;

        Feed(Session who) {
            Api.Response login = sync.postJson(
                    "/auth/login",
                    null,
                    Map.of("email", who.email(), "password", "a long password", "device_name", "phone"));
            this.bearer = "Bearer " + login.text("access_token");
            this.cursor = next(null).cursor;
        }

        private record Page(List<String> changes, String cursor) {}

        List<String> next() {
            Page page = next(cursor);
            cursor = page.cursor();
            return page.changes();
        }

        private Page next(String from) {
            List<String> changes = new ArrayList<>();
            String at = from;
            boolean more = true;
            while (more) {
                Api.Response page = sync.get("/files/sync?limit=100" + (at == null ? "" : "&cursor=" + at), bearer);
                assertThat(page.status()).isEqualTo(200);
                page.body()
                        .path("changes")
                        .forEach(c -> changes.add(c.path("operation").asString() + " "
                                + c.path("path").asString() + " "
                                + (c.path("version_id").isNull()
                                        ? "null"
                                        : c.path("version_id").asString())));
                at = page.text("next_cursor");
                more = page.body().path("has_more").asBoolean();
            }
            return new Page(changes, at);
        }
    }
}

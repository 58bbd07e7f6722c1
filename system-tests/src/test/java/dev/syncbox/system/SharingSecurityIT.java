package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.hash.Sha256;
import dev.syncbox.core.id.Ids;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.Multipart;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Sharing and access control across every service, through their real HTTP endpoints: A owns a tree
 * and shares /Team with C (READ) and D (READ_WRITE); B has no share. Every endpoint that takes an id
 * answers B with the same 404 as a missing id; C can read and cannot write anywhere in the share; D
 * can write; revocation takes effect on the next request; block hashes give nobody anything.
 */
class SharingSecurityIT {

    static RunningSystem system;
    static Api sync;
    static Api upload;
    static Api download;
    static Api conflict;

    record Person(long userId, String email, String bearer) {}

    static Person a;
    static Person b;
    static Person c;
    static Person d;
    static String team;
    static String doc;
    static String docVersion;
    static String docBlock;
    static String secret;
    static String cShare;
    static final byte[] DOC = ("shared notes " + Ids.newId() + "\n").getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void shareATree() {
        system = RunningSystem.get();
        sync = system.api(system.sync);
        upload = system.api(system.upload);
        download = system.api(system.download);
        conflict = system.api(system.conflict);
        a = person("owner");
        b = person("stranger");
        c = person("reader");
        d = person("writer");
        Api.Response uploaded = put(a, "/Team/doc.txt", DOC);
        doc = uploaded.text("file_id");
        docVersion = uploaded.text("version_id");
        docBlock = Sha256.hex(DOC);
        put(a, "/Team/sub/data.bin", "some data".getBytes(StandardCharsets.UTF_8));
        secret = put(a, "/Private/secret.txt", "not shared".getBytes(StandardCharsets.UTF_8))
                .text("file_id");
        team = entry(a, "/", "/Team").path("file_id").asString();
        Api.Response toC = share(a, team, Map.of("email", c.email(), "permission", "READ"));
        assertThat(toC.status()).isEqualTo(201);
        cShare = toC.text("share_id");
        assertThat(toC.text("shared_at")).isNotBlank();
        assertThat(share(a, team, Map.of("user_id", d.userId(), "permission", "READ_WRITE"))
                        .status())
                .isEqualTo(201);
    }

    /** One endpoint that names an id of A's, and whether it changes something. */
    record Endpoint(String name, boolean write, Function<Person, Api.Response> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Endpoint> endpoints() {
        List<Endpoint> all = new ArrayList<>();
        all.add(read("GET metadata", p -> sync.get("/files/" + doc + "/metadata", p.bearer())));
        all.add(read("GET versions", p -> sync.get("/files/" + doc + "/versions", p.bearer())));
        all.add(read("GET shares", p -> sync.get("/files/" + team + "/shares", p.bearer())));
        all.add(read("GET download", p -> status(download, "/files/download/" + doc, p)));
        all.add(read(
                "GET download version", p -> status(download, "/files/download/" + doc + "?version=" + docVersion, p)));
        all.add(read("GET block", p -> status(download, "/blocks/" + docBlock, p)));
        all.add(read("GET conflicts", p -> conflict.get("/files/" + doc + "/conflicts", p.bearer())));
        all.add(write(
                "POST restore version",
                p -> sync.postJson("/files/" + doc + "/restore", p.bearer(), Map.of("version_id", docVersion))));
        all.add(write(
                "POST delete",
                p -> sync.postJson("/files/" + doc + "/delete", p.bearer(), Map.of("move_to_trash", true))));
        all.add(write(
                "POST move by id",
                p -> sync.postJson("/files/move", p.bearer(), Map.of("file_id", doc, "to_path", "/Team/renamed.txt"))));
        all.add(write("POST share", p -> share(p, doc, Map.of("email", b.email(), "permission", "READ"))));
        all.add(write(
                "PATCH share",
                p -> send(sync, "PATCH", "/files/" + team + "/share/" + cShare, p, "{\"permission\":\"READ_WRITE\"}")));
        all.add(write("PUT update", p -> {
            Multipart edit =
                    new Multipart().field("start_offset", "0").file("delta", "X".getBytes(StandardCharsets.UTF_8));
            return upload.json(upload.request("/files/" + doc + "/update")
                    .header("Authorization", p.bearer())
                    .header("Content-Type", edit.contentType())
                    .PUT(edit.publisher()));
        }));
        all.add(write(
                "POST resolve conflict",
                p -> conflict.postJson(
                        "/files/" + doc + "/conflicts/" + Ids.newId() + "/resolve",
                        p.bearer(),
                        Map.of("version_id", docVersion))));
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void aStrangerGetsTheSame404AsForAMissingId(Endpoint endpoint) {
        Api.Response response = endpoint.call().apply(b);
        assertThat(response.status()).as(endpoint.name()).isEqualTo(404);
        if (!response.body().isEmpty()) {
            assertThat(response.code()).isEqualTo("not_found");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void aReadShareeReadsButCannotWrite(Endpoint endpoint) {
        Api.Response response = endpoint.call().apply(c);
        if (endpoint.write()) {
            // The conflict id is made up: a write check that passed would answer 404 for it, not 403.
            assertThat(response.status()).as(endpoint.name()).isEqualTo(403);
            assertThat(response.code()).isEqualTo("permission_denied");
        } else {
            assertThat(response.status()).as(endpoint.name()).isEqualTo(200);
        }
        assertThat(download.bytes(download.request("/files/download/" + doc)
                                .header("Authorization", a.bearer())
                                .GET())
                        .body())
                .as("A's file is untouched")
                .isEqualTo(DOC);
    }

    @Test
    void aReadShareeCannotCreateAnythingInTheShare() {
        assertThat(put(c, "/Team/new.txt", "x".getBytes(StandardCharsets.UTF_8)).status())
                .isEqualTo(403);
        assertThat(sync.postJson("/files/folder", c.bearer(), Map.of("path", "/Team/new-folder"))
                        .status())
                .isEqualTo(403);
        assertThat(sync.postJson(
                                "/files/move",
                                c.bearer(),
                                Map.of("from_path", "/Team/sub/data.bin", "to_path", "/Team/moved.bin"))
                        .status())
                .isEqualTo(403);
        Api.Response commit = upload.postJson(
                "/files/commit",
                c.bearer(),
                Map.of(
                        "file_path",
                        "/Team/commit.txt",
                        "blocks",
                        List.of(docBlock),
                        "size",
                        DOC.length,
                        "content_hash",
                        contentHash(DOC)));
        assertThat(commit.status()).isEqualTo(403);
        assertThat(commit.code()).isEqualTo("permission_denied");
    }

    @Test
    void shareesSeeTheShareAtTheTopOfTheirTree() {
        JsonNode mounted = entry(c, "/", "/Team");
        assertThat(mounted.path("file_id").asString()).isEqualTo(team);
        assertThat(mounted.path("is_dir").asBoolean()).isTrue();
        Api.Response inside = sync.get("/files/list?path=/Team", c.bearer());
        assertThat(inside.status()).isEqualTo(200);
        assertThat(inside.body().path("entries").findValuesAsString("path")).contains("/Team/doc.txt", "/Team/sub");
        Api.Response metadata = sync.get("/files/" + doc + "/metadata", c.bearer());
        assertThat(metadata.text("path")).isEqualTo("/Team/doc.txt");
        Api.Response shared = sync.get("/shared", c.bearer());
        assertThat(shared.body().path("items").get(0).path("permission").asString())
                .isEqualTo("READ");
        assertThat(shared.body()
                        .path("items")
                        .get(0)
                        .path("owner")
                        .path("user_id")
                        .asLong())
                .isEqualTo(a.userId());
        assertThat(sync.get("/files/" + secret + "/metadata", c.bearer()).status())
                .isEqualTo(404);
    }

    @Test
    void aReadWriteShareeWritesIntoTheOwnersTreeAndQuota() {
        long before = usedSpace(a);
        byte[] content = ("from D " + Ids.newId()).getBytes(StandardCharsets.UTF_8);
        Api.Response written = put(d, "/Team/from-d.txt", content);
        assertThat(written.status()).isEqualTo(200);
        assertThat(usedSpace(a)).isEqualTo(before + content.length);
        Api.Response seenByA = sync.get("/files/" + written.text("file_id") + "/metadata", a.bearer());
        assertThat(seenByA.text("path")).isEqualTo("/Team/from-d.txt");
        assertThat(seenByA.body().path("owner_id").asLong()).isEqualTo(a.userId());
        assertThat(sync.postJson("/files/folder", d.bearer(), Map.of("path", "/Team/by-d"))
                        .status())
                .isEqualTo(201);
        Api.Response moved = sync.postJson(
                "/files/move",
                d.bearer(),
                Map.of("file_id", written.text("file_id"), "to_path", "/Team/by-d/from-d.txt"));
        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.text("path")).isEqualTo("/Team/by-d/from-d.txt");
        assertThat(sync.postJson(
                                "/files/move",
                                d.bearer(),
                                Map.of("file_id", written.text("file_id"), "to_path", "/mine.txt"))
                        .code())
                .isEqualTo("cross_namespace_move");
        assertThat(sync.postJson("/files/" + team + "/delete", d.bearer(), Map.of())
                        .status())
                .isEqualTo(403);
        assertThat(sync.postJson("/files/" + written.text("file_id") + "/delete", d.bearer(), Map.of())
                        .status())
                .isEqualTo(200);
    }

    @Test
    void revocationTakesEffectOnTheVeryNextRequest() {
        Person e = person("revoked");
        Api.Response granted = share(a, team, Map.of("email", e.email(), "permission", "READ"));
        assertThat(sync.get("/files/" + doc + "/metadata", e.bearer()).status()).isEqualTo(200);
        Api.Response revoked = send(sync, "DELETE", "/files/" + team + "/share/" + granted.text("share_id"), a, null);
        assertThat(revoked.status()).isEqualTo(204);
        assertThat(sync.get("/files/" + doc + "/metadata", e.bearer()).status()).isEqualTo(404);
        assertThat(status(download, "/files/download/" + doc, e).status()).isEqualTo(404);
        assertThat(status(download, "/blocks/" + docBlock, e).status()).isEqualTo(404);
        assertThat(sync.get("/files/" + team + "/shares", e.bearer()).status()).isEqualTo(404);
    }

    @Test
    void aBlockHashCopiedFromAnotherUsersFileGivesNothing() {
        Api.Response check = upload.postJson("/blocks/check", b.bearer(), Map.of("block_hashes", List.of(docBlock)));
        assertThat(check.body().path("missing").get(0).asString()).isEqualTo(docBlock);
        assertThat(check.body().path("existing")).isEmpty();
        Api.Response commit = upload.postJson(
                "/files/commit",
                b.bearer(),
                Map.of(
                        "file_path",
                        "/stolen.txt",
                        "blocks",
                        List.of(docBlock),
                        "size",
                        DOC.length,
                        "content_hash",
                        contentHash(DOC)));
        assertThat(commit.code()).isEqualTo("missing_blocks");
        assertThat(status(download, "/blocks/" + docBlock, b).status()).isEqualTo(404);
        Api.Response readerCheck =
                upload.postJson("/blocks/check", c.bearer(), Map.of("block_hashes", List.of(docBlock)));
        assertThat(readerCheck.body().path("existing").get(0).asString()).isEqualTo(docBlock);
    }

    @Test
    void theShareesFeedGetsTheShareItsEditsAndLosesWhatMovesOut() {
        Person f = person("follower");
        String shareId =
                share(a, team, Map.of("email", f.email(), "permission", "READ")).text("share_id");
        Feed feed = new Feed(f);
        assertThat(feed.drain()).contains("CREATE /Team", "CREATE /Team/doc.txt", "CREATE /Team/sub/data.bin");

        put(a, "/Team/later.txt", "later".getBytes(StandardCharsets.UTF_8));
        assertThat(sync.postJson(
                                "/files/move",
                                a.bearer(),
                                Map.of("from_path", "/Team/sub/data.bin", "to_path", "/Private/data.bin"))
                        .status())
                .isEqualTo(200);
        put(a, "/Private/still-private.txt", "x".getBytes(StandardCharsets.UTF_8));
        List<String> changes = feed.drain();
        assertThat(changes).containsExactly("CREATE /Team/later.txt", "DELETE /Team/sub/data.bin");

        assertThat(sync.postJson(
                                "/files/move",
                                a.bearer(),
                                Map.of("from_path", "/Private/data.bin", "to_path", "/Team/sub/data.bin"))
                        .status())
                .isEqualTo(200);
        assertThat(feed.drain()).containsExactly("CREATE /Team/sub/data.bin");

        send(sync, "DELETE", "/files/" + team + "/share/" + shareId, a, null);
        assertThat(feed.drain()).containsExactly("DELETE /Team");
    }

    @Test
    void aPermissionChangeAppliesOnTheNextRequestEitherWay() {
        Person g = person("upgraded");
        String shareId =
                share(a, team, Map.of("email", g.email(), "permission", "READ")).text("share_id");
        assertThat(put(g, "/Team/g.txt", "g".getBytes(StandardCharsets.UTF_8)).status())
                .isEqualTo(403);
        Api.Response upgraded =
                send(sync, "PATCH", "/files/" + team + "/share/" + shareId, a, "{\"permission\":\"READ_WRITE\"}");
        assertThat(upgraded.status()).isEqualTo(200);
        assertThat(upgraded.text("permission")).isEqualTo("READ_WRITE");
        assertThat(put(g, "/Team/g.txt", "g".getBytes(StandardCharsets.UTF_8)).status())
                .isEqualTo(200);
        send(sync, "PATCH", "/files/" + team + "/share/" + shareId, a, "{\"permission\":\"READ\"}");
        assertThat(put(g, "/Team/g.txt", "g2".getBytes(StandardCharsets.UTF_8)).status())
                .isEqualTo(403);
        assertThat(send(sync, "PATCH", "/files/" + team + "/share/" + shareId, a, "{\"permission\":\"ADMIN\"}")
                        .code())
                .isEqualTo("invalid_request");
    }

    @Test
    void aShareeMayLeaveButNotRemoveOthersOrReshare() {
        Person h = person("leaver");
        String shareId = share(a, team, Map.of("email", h.email(), "permission", "READ_WRITE"))
                .text("share_id");
        assertThat(share(h, team, Map.of("email", b.email(), "permission", "READ"))
                        .code())
                .isEqualTo("permission_denied");
        assertThat(send(sync, "DELETE", "/files/" + team + "/share/" + cShare, h, null)
                        .code())
                .isEqualTo("permission_denied");
        assertThat(sync.get("/files/" + team + "/shares", h.bearer())
                        .body()
                        .path("shares")
                        .size())
                .isGreaterThanOrEqualTo(3);
        assertThat(send(sync, "DELETE", "/files/" + team + "/share/" + shareId, h, null)
                        .status())
                .isEqualTo(204);
        assertThat(sync.get("/files/" + doc + "/metadata", h.bearer()).status()).isEqualTo(404);
        assertThat(sync.get("/shared", h.bearer()).body().path("items")).isEmpty();
    }

    @Test
    void badSharesAreRefusedWithAClearCode() {
        assertThat(share(a, team, Map.of("email", c.email(), "permission", "READ"))
                        .code())
                .isEqualTo("already_shared");
        assertThat(share(a, doc, Map.of("email", c.email(), "permission", "READ"))
                        .code())
                .as("a file inside a folder already shared with C")
                .isEqualTo("already_shared");
        assertThat(share(a, team, Map.of("email", a.email(), "permission", "READ"))
                        .code())
                .isEqualTo("invalid_request");
        assertThat(share(a, team, Map.of("email", b.email(), "permission", "OWNER"))
                        .code())
                .isEqualTo("invalid_request");
        assertThat(share(a, team, Map.of("email", b.email(), "user_id", b.userId(), "permission", "READ"))
                        .code())
                .isEqualTo("invalid_request");
        assertThat(share(a, team, Map.of("email", "nobody-" + Ids.newId() + "@example.test", "permission", "READ"))
                        .status())
                .isEqualTo(404);
        assertThat(share(a, Ids.newId(), Map.of("email", b.email(), "permission", "READ"))
                        .status())
                .isEqualTo(404);
        assertThat(send(sync, "DELETE", "/files/" + team + "/share/999999999", a, null)
                        .status())
                .isEqualTo(404);
        assertThat(send(sync, "DELETE", "/files/" + team + "/share/not-a-number", a, null)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void aMountPointTakesAFreeNameInTheShareesTree() {
        Person k = person("has-a-team");
        put(k, "/Team/own.txt", "mine".getBytes(StandardCharsets.UTF_8));
        share(a, team, Map.of("email", k.email(), "permission", "READ"));
        assertThat(sync.get("/shared", k.bearer())
                        .body()
                        .path("items")
                        .get(0)
                        .path("path")
                        .asString())
                .isEqualTo("/Team (2)");
        Api.Response listing = sync.get("/files/list?path=/", k.bearer());
        assertThat(listing.body().path("entries").findValuesAsString("path")).contains("/Team", "/Team (2)");
        assertThat(sync.get("/files/" + doc + "/metadata", k.bearer()).text("path"))
                .isEqualTo("/Team (2)/doc.txt");
    }

    @Test
    void aShareWhoseItemIsInTheTrashLeavesItsNameToTheShareeAndMovesAsideWhenItComesBack() {
        Person o = person("album-owner");
        Person s = person("album-sharee");
        assertThat(put(o, "/Album/one.txt", "one".getBytes(StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(200);
        String album = entry(o, "/", "/Album").path("file_id").asString();
        assertThat(share(o, album, Map.of("email", s.email(), "permission", "READ_WRITE"))
                        .status())
                .isEqualTo(201);
        Feed feed = new Feed(s);
        assertThat(feed.drain()).contains("CREATE /Album", "CREATE /Album/one.txt");

        // In the trash, the item holds no paths: the sharee's writes there are their own.
        assertThat(sync.postJson("/files/" + album + "/delete", o.bearer(), Map.of())
                        .status())
                .isEqualTo(200);
        assertThat(feed.drain()).containsExactly("DELETE /Album");
        Api.Response mine = put(s, "/Album/mine.txt", "mine".getBytes(StandardCharsets.UTF_8));
        assertThat(mine.status()).isEqualTo(200);
        assertThat(usedSpace(s)).as("in the sharee's own tree and quota").isEqualTo(4);
        assertThat(feed.drain()).contains("CREATE /Album", "CREATE /Album/mine.txt");

        // Back from the trash, the share takes a free name beside what the sharee made.
        assertThat(sync.postJson("/trash/" + album + "/restore", o.bearer(), Map.of())
                        .status())
                .isEqualTo(200);
        assertThat(sync.get("/shared", s.bearer())
                        .body()
                        .path("items")
                        .get(0)
                        .path("path")
                        .asString())
                .isEqualTo("/Album (2)");
        assertThat(feed.drain()).contains("CREATE /Album (2)", "CREATE /Album (2)/one.txt");
        assertThat(sync.get("/files/list?path=/", s.bearer())
                        .body()
                        .path("entries")
                        .findValuesAsString("path"))
                .contains("/Album", "/Album (2)");
        assertThat(sync.get("/files/list?path=/Album", s.bearer())
                        .body()
                        .path("entries")
                        .findValuesAsString("name"))
                .containsExactly("mine.txt");
    }

    @Test
    void aReadWriteShareeUsesTheTrashOfTheShare() {
        Api.Response written = put(d, "/Team/to-trash-" + Ids.newId() + ".txt", "t".getBytes(StandardCharsets.UTF_8));
        String id = written.text("file_id");
        assertThat(sync.postJson("/files/" + id + "/delete", d.bearer(), Map.of())
                        .status())
                .isEqualTo(200);
        assertThat(sync.get("/trash", d.bearer()).body().path("entries").findValuesAsString("file_id"))
                .contains(id);
        assertThat(sync.get("/trash", a.bearer()).body().path("entries").findValuesAsString("file_id"))
                .contains(id);
        assertThat(sync.postJson("/trash/" + id + "/restore", c.bearer(), Map.of())
                        .status())
                .isEqualTo(403);
        Api.Response restored = sync.postJson("/trash/" + id + "/restore", d.bearer(), Map.of());
        assertThat(restored.status()).isEqualTo(200);
        assertThat(restored.text("path")).startsWith("/Team/to-trash-");
        assertThat(sync.postJson("/trash/" + id + "/restore", b.bearer(), Map.of())
                        .status())
                .isEqualTo(404);
    }

    @Test
    void longPollWakesForANewShareAndForChangesInIt() throws Exception {
        Person w = person("waiter");
        Feed feed = new Feed(w);
        feed.drain();
        CompletableFuture<Api.Response> poll = feed.longpoll();
        String shareId =
                share(a, team, Map.of("email", w.email(), "permission", "READ")).text("share_id");
        assertThat(poll.get(60, TimeUnit.SECONDS).body().path("changes").asBoolean())
                .isTrue();
        assertThat(feed.drain()).contains("CREATE /Team/doc.txt");

        poll = feed.longpoll();
        put(a, "/Team/poll-" + Ids.newId() + ".txt", "p".getBytes(StandardCharsets.UTF_8));
        assertThat(poll.get(60, TimeUnit.SECONDS).body().path("changes").asBoolean())
                .isTrue();
        assertThat(feed.drain()).singleElement().asString().startsWith("CREATE /Team/poll-");

        poll = feed.longpoll();
        send(sync, "DELETE", "/files/" + team + "/share/" + shareId, a, null);
        assertThat(poll.get(60, TimeUnit.SECONDS).body().path("changes").asBoolean())
                .isTrue();
        assertThat(feed.drain()).containsExactly("DELETE /Team");
    }

    @Test
    void aShareExcludedBySelectiveSyncComesBackWhenIncludedAgain() {
        Person s = person("selective");
        share(a, team, Map.of("email", s.email(), "permission", "READ"));
        Feed feed = new Feed(s);
        assertThat(feed.drain()).contains("CREATE /Team/doc.txt");
        String device = sync.get("/devices", s.bearer())
                .body()
                .path("devices")
                .get(0)
                .path("device_id")
                .asString();
        assertThat(send(sync, "PUT", "/devices/" + device + "/selective-sync", s, "{\"excluded\":[\"/team\"]}")
                        .status())
                .isEqualTo(200);
        String name = "/Team/while-excluded-" + Ids.newId() + ".txt";
        put(a, name, "x".getBytes(StandardCharsets.UTF_8));
        assertThat(feed.drain()).isEmpty();
        send(sync, "PUT", "/devices/" + device + "/selective-sync", s, "{\"excluded\":[]}");
        assertThat(feed.drain()).contains("CREATE /Team", "CREATE /Team/doc.txt", "CREATE " + name);
    }

    @Test
    void aSharedFileIsMountedAsAFileAndFollowsItsEdits() {
        Person m = person("file-sharee");
        String id = put(a, "/Reports/q3-" + Ids.newId() + ".txt", "v1".getBytes(StandardCharsets.UTF_8))
                .text("file_id");
        String mount = "/" + sync.get("/files/" + id + "/metadata", a.bearer()).text("name");
        share(a, id, Map.of("email", m.email(), "permission", "READ_WRITE"));
        Feed feed = new Feed(m);
        assertThat(feed.drain()).containsExactly("CREATE " + mount);

        put(a, "/Reports" + mount, "v2".getBytes(StandardCharsets.UTF_8));
        assertThat(feed.drain()).containsExactly("UPDATE " + mount);
        Api.Response byM = put(m, mount, "v3 by the sharee".getBytes(StandardCharsets.UTF_8));
        assertThat(byM.status()).isEqualTo(200);
        assertThat(byM.text("file_id")).isEqualTo(id);
        assertThat(download.bytes(download.request("/files/download/" + id)
                                .header("Authorization", a.bearer())
                                .GET())
                        .body())
                .isEqualTo("v3 by the sharee".getBytes(StandardCharsets.UTF_8));
        assertThat(put(m, mount + "/inside.txt", "x".getBytes(StandardCharsets.UTF_8))
                        .code())
                .isEqualTo("path_conflict");
        assertThat(sync.get("/files/" + doc + "/metadata", m.bearer()).status())
                .as("a share of one file of A's shows nothing else of A's")
                .isEqualTo(404);
    }

    @Test
    void concurrentShareeEditsOfOneParentKeepOneAndRefuseTheRest() throws Exception {
        Person n = person("racer");
        Api.Response first = put(a, "/Race/file-" + Ids.newId() + ".txt", "v1".getBytes(StandardCharsets.UTF_8));
        String id = first.text("file_id");
        String mount = "/" + sync.get("/files/" + id + "/metadata", a.bearer()).text("name");
        share(a, id, Map.of("email", n.email(), "permission", "READ_WRITE"));
        List<CompletableFuture<Api.Response>> edits = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            byte[] content = ("edit " + i).getBytes(StandardCharsets.UTF_8);
            edits.add(CompletableFuture.supplyAsync(() -> upload.upload(
                    "/files/upload",
                    n.bearer(),
                    new Multipart()
                            .field("file_path", mount)
                            .field("parent_version_id", first.text("version_id"))
                            .file("content", content))));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<Api.Response> edit : edits) {
            statuses.add(edit.get(60, TimeUnit.SECONDS).status());
        }
        assertThat(statuses).containsOnly(200, 409);
        assertThat(statuses).filteredOn(st -> st == 200).hasSize(1);
        assertThat(sync.get("/files/" + id + "/versions", a.bearer())
                        .body()
                        .path("versions")
                        .size())
                .isEqualTo(2);
    }

    /** A device following its feed. */
    static final class Feed {
        private final Person person;
        private String cursor;

        Feed(Person person) {
            this.person = person;
        }

        List<String> drain() {
            List<String> seen = new ArrayList<>();
            boolean more = true;
            while (more) {
                Api.Response page = sync.get(
                        "/files/sync?limit=100" + (cursor == null ? "" : "&cursor=" + cursor), person.bearer());
                assertThat(page.status()).isEqualTo(200);
                page.body()
                        .path("changes")
                        .forEach(ch -> seen.add(ch.path("operation").asString() + " "
                                + ch.path("path").asString()));
                cursor = page.text("next_cursor");
                more = page.body().path("has_more").asBoolean();
            }
            return seen;
        }

        CompletableFuture<Api.Response> longpoll() {
            return CompletableFuture.supplyAsync(
                    () -> sync.get("/files/sync/longpoll?timeout=30&cursor=" + cursor, person.bearer()));
        }
    }

    /** Dropbox's content hash of content under 4 MiB: SHA-256 of its SHA-256. */
    private static String contentHash(byte[] content) {
        return Sha256.hex(Sha256.newDigest().digest(Sha256.newDigest().digest(content)));
    }

    private static Endpoint read(String name, Function<Person, Api.Response> call) {
        return new Endpoint(name, false, call);
    }

    private static Endpoint write(String name, Function<Person, Api.Response> call) {
        return new Endpoint(name, true, call);
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

    private static Api.Response put(Person p, String path, byte[] content) {
        return upload.upload(
                "/files/upload",
                p.bearer(),
                new Multipart().field("file_path", path).file("content", content));
    }

    private static Api.Response share(Person p, String fileId, Map<String, Object> body) {
        return sync.postJson("/files/" + fileId + "/share", p.bearer(), body);
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

    private static long usedSpace(Person p) {
        return system.sync
                .getBean(org.springframework.jdbc.core.JdbcTemplate.class)
                .queryForObject("SELECT used_space_bytes FROM users WHERE user_id = ?", Long.class, p.userId());
    }

    /** A binary endpoint's status, with the problem body when there is one. */
    private static Api.Response status(Api api, String path, Person p) {
        var response =
                api.bytes(api.request(path).header("Authorization", p.bearer()).GET());
        JsonNode body = response.statusCode() >= 400
                ? tools.jackson.databind.json.JsonMapper.builder().build().readTree(response.body())
                : tools.jackson.databind.json.JsonMapper.builder().build().createObjectNode();
        return new Api.Response(response.statusCode(), response.headers(), body);
    }

    private static Api.Response send(Api api, String method, String path, Person p, String json) {
        HttpRequest.Builder request = api.request(path)
                .header("Authorization", p.bearer())
                .header("Content-Type", "application/json")
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return api.json(request);
    }
}

package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.core.hash.Sha256;
import dev.syncbox.core.id.Ids;
import dev.syncbox.server.testing.Api;
import dev.syncbox.system.ShardRouting.Route;
import dev.syncbox.system.ShardRouting.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Every hot path driven through the running services' HTTP API while the SQL they send is captured
 * at the JDBC level ({@link SqlCaptureAutoConfiguration}), and each statement judged by whether
 * Citus would run it on one shard were the metadata distributed as {@link ShardRouting#PLAN} says.
 *
 * <p>The statements that would not route are pinned in {@code shard-routing/not-routed.tsv}, each
 * with the reason: a new one (a hot path that Citus would have to fan out) fails the test and is
 * printed as the line to add, and so does a listed one no longer seen. Statements of scheduled jobs
 * that happen to run meanwhile are summarized but not pinned (whether they run is a matter of time).
 */
class ShardRoutingIT {

    private static final String EXPECTED = "/shard-routing/not-routed.tsv";
    private static final String PASSWORD = "a long password";

    private static Api sync;
    private static Api upload;
    private static Api download;
    private static Api conflict;

    /** A captured statement with its verdict. */
    record Judged(SqlRecorder.Captured captured, Verdict verdict) {

        String key() {
            return captured.caller() + "\t" + verdict.hash() + "\t" + verdict.route();
        }
    }

    private final Map<String, List<SqlRecorder.Captured>> steps = new LinkedHashMap<>();

    @Test
    void everyHotPathStatementRoutesToOneShardOrIsAKnownException() throws IOException {
        RunningSystem system = RunningSystem.get();
        sync = system.api(system.sync);
        upload = system.api(system.upload);
        download = system.api(system.download);
        conflict = system.api(system.conflict);
        ShardRouting routing = new ShardRouting(ShardRouting.schema(system.sync.getBean(JdbcTemplate.class)));
        SqlRecorder.drain();
        try {
            driveHotPaths();
        } finally {
            SqlRecorder.step(null);
        }

        List<Judged> judged = new ArrayList<>();
        List<String> unparsable = new ArrayList<>();
        for (List<SqlRecorder.Captured> statements : steps.values()) {
            for (SqlRecorder.Captured captured : statements) {
                try {
                    judged.add(new Judged(captured, routing.classify(captured.sql())));
                } catch (IllegalArgumentException | IllegalStateException e) {
                    unparsable.add(captured.caller() + ": " + e.getMessage());
                }
            }
        }
        String summary = summary(judged);
        System.out.println(summary);
        Path target = Path.of("target");
        Files.createDirectories(target);
        Files.writeString(target.resolve("shard-routing-summary.txt"), summary);
        Files.write(target.resolve("shard-routing-statements.tsv"), statements(judged));

        assertThat(unparsable).as("statements not parsed or not classified").isEmpty();
        steps.forEach((step, statements) -> assertThat(statements.stream().filter(c -> !c.scheduled()))
                .as("statements captured in step '%s'", step)
                .isNotEmpty());

        Map<String, Judged> seen = new TreeMap<>();
        for (Judged j : judged) {
            Route route = j.verdict().route();
            if (!j.captured().scheduled() && route != Route.ROUTED && route != Route.NONE) {
                seen.putIfAbsent(j.key(), j);
            }
        }
        Map<String, String> expected = expected();
        List<String> missing = new ArrayList<>();
        seen.forEach((key, j) -> {
            if (!expected.containsKey(key)) {
                missing.add(key + "\tTODO (" + j.verdict().detail() + "; step "
                        + j.captured().step() + ")\t" + j.verdict().fingerprint());
            }
        });
        List<String> stale = expected.keySet().stream()
                .filter(key -> !seen.containsKey(key))
                .map(key -> key + "\t" + expected.get(key))
                .toList();
        assertThat(missing)
                .as("statements of a hot path that Citus would not route to one shard, not listed in " + EXPECTED
                        + ": add each line with the reason in place of TODO (or make the statement pin its"
                        + " distribution column)")
                .isEmpty();
        assertThat(stale)
                .as("lines of " + EXPECTED + " no statement matches any more: remove them")
                .isEmpty();
        assertThat(expected.values())
                .as("every line of " + EXPECTED + " gives its reason")
                .allSatisfy(reason -> assertThat(reason).isNotBlank().doesNotStartWith("TODO"));
    }

    private void driveHotPaths() {
        String ownerEmail = "shard-owner-" + Ids.newId().toLowerCase() + "@example.test";
        String shareeEmail = "shard-sharee-" + Ids.newId().toLowerCase() + "@example.test";
        String tag = Ids.newId();

        step("sign up", () -> {
            register(ownerEmail);
            register(shareeEmail);
        });
        Api.Response laptopLogin = step("log in", () -> login(ownerEmail, "laptop"));
        String laptop = "Bearer " + laptopLogin.text("access_token");
        String laptopDevice = laptopLogin.text("device_id");
        String phone = "Bearer "
                + step("log in from a new device", () -> login(ownerEmail, "phone"))
                        .text("access_token");
        String sharee = "Bearer " + login(shareeEmail, "sharee laptop").text("access_token");

        Api.Response docs =
                step("create folder", () -> ok(sync.postJson("/files/folder", laptop, Map.of("path", "/Docs")), 201));
        step("create folder", () -> ok(sync.postJson("/files/folder", laptop, Map.of("path", "/Archive")), 201));

        Api.Response note = step(
                "upload small file", () -> ok(put(laptop, "/Docs/note.txt", "note " + tag + "\n", null, null), 200));
        String noteId = note.text("file_id");

        byte[] first = random(64 * 1024, 1);
        byte[] second = random(48 * 1024, 2);
        List<String> blocks = List.of(Sha256.hex(first), Sha256.hex(second));
        step("blocks check", () -> {
            Api.Response check = ok(upload.postJson("/blocks/check", laptop, Map.of("block_hashes", blocks)), 200);
            assertThat(check.body().path("missing")).hasSize(2);
            return check;
        });
        step("block upload", () -> {
            ok(putBytes(laptop, "/blocks/" + blocks.get(0), first), 200);
            return ok(putBytes(laptop, "/blocks/" + blocks.get(1), second), 200);
        });
        byte[] whole = concat(first, second);
        Api.Response committed = step(
                "commit from blocks",
                () -> ok(
                        upload.postJson(
                                "/files/commit",
                                laptop,
                                Map.of(
                                        "file_path",
                                        "/Docs/blocks.bin",
                                        "blocks",
                                        blocks,
                                        "size",
                                        whole.length,
                                        "content_hash",
                                        ContentHasher.of(whole))),
                        200));

        step("resumable upload session", () -> {
            Api.Response session = ok(upload.postJson("/upload-sessions", laptop, Map.of()), 201);
            String id = session.text("session_id");
            byte[] body = ("resumed " + tag).getBytes(StandardCharsets.UTF_8);
            ok(
                    upload.json(upload.request("/upload-sessions/" + id + "?offset=0")
                            .header("Authorization", laptop)
                            .header("Content-Type", "application/octet-stream")
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(body))),
                    200);
            ok(upload.get("/upload-sessions/" + id, laptop), 200);
            return ok(
                    upload.postJson(
                            "/upload-sessions/" + id + "/finish", laptop, Map.of("file_path", "/Docs/resumed.txt")),
                    200);
        });

        step("file metadata", () -> ok(sync.get("/files/" + noteId + "/metadata", laptop), 200));
        step("download content", () -> {
            HttpResponse<byte[]> content =
                    download.bytes(download.request("/files/download/" + committed.text("file_id"))
                            .header("Authorization", laptop)
                            .GET());
            assertThat(content.body()).isEqualTo(whole);
            return ok(download.get("/files/download/" + committed.text("file_id") + "/blocks", laptop), 200);
        });
        step("list folder", () -> ok(sync.get("/files/list?path=/Docs", laptop), 200));

        String cursor = step("changes feed", () -> {
                    Api.Response page = ok(sync.get("/files/sync?limit=100", phone), 200);
                    return ok(sync.get("/files/sync?limit=100&cursor=" + page.text("next_cursor"), phone), 200);
                })
                .text("next_cursor");
        step("long-poll (woken by an upload)", () -> {
            CompletableFuture<Api.Response> poll = CompletableFuture.supplyAsync(
                    () -> sync.get("/files/sync/longpoll?timeout=30&cursor=" + cursor, phone));
            sleep(500);
            ok(put(laptop, "/Docs/wake.txt", "wake " + tag, null, null), 200);
            Api.Response woken = poll.get(20, TimeUnit.SECONDS);
            assertThat(woken.body().path("changes").asBoolean()).isTrue();
            return woken;
        });

        step(
                "rename",
                () -> ok(
                        sync.postJson(
                                "/files/move",
                                laptop,
                                Map.of("from_path", "/Docs/note.txt", "to_path", "/Docs/renamed.txt")),
                        200));
        step(
                "move",
                () -> ok(
                        sync.postJson(
                                "/files/move", laptop, Map.of("file_id", noteId, "to_path", "/Archive/renamed.txt")),
                        200));
        step(
                "delete to trash",
                () -> ok(sync.postJson("/files/" + noteId + "/delete", laptop, Map.of("move_to_trash", true)), 200));
        step("list trash", () -> ok(sync.get("/trash", laptop), 200));
        step("restore from trash", () -> ok(sync.postJson("/trash/" + noteId + "/restore", laptop, Map.of()), 200));

        String firstVersion = note.text("version_id");
        Api.Response edited = step(
                "upload new version",
                () -> ok(put(laptop, "/Archive/renamed.txt", "edited " + tag + "\n", firstVersion, null), 200));
        step("list versions", () -> ok(sync.get("/files/" + noteId + "/versions", laptop), 200));
        step(
                "restore version",
                () -> ok(
                        sync.postJson("/files/" + noteId + "/restore", laptop, Map.of("version_id", firstVersion)),
                        200));

        step(
                "share folder",
                () -> ok(
                        sync.postJson(
                                "/files/" + docs.text("file_id") + "/share",
                                laptop,
                                Map.of("email", shareeEmail, "permission", "READ_WRITE")),
                        201));
        step("sharee lists shares and the shared folder", () -> {
            ok(sync.get("/shared", sharee), 200);
            return ok(sync.get("/files/list?path=/Docs", sharee), 200);
        });
        step("sharee follows the feed", () -> {
            Api.Response page = ok(sync.get("/files/sync?limit=100", sharee), 200);
            assertThat(page.body().path("changes").findValuesAsString("path")).contains("/Docs/blocks.bin");
            return page;
        });

        Api.Response refused = step(
                "conflicting upload (stale parent)",
                () -> ok(
                        put(phone, "/Archive/renamed.txt", "phone " + tag + "\n", edited.text("version_id"), "reject"),
                        409));
        step("list conflicts", () -> ok(conflict.get("/files/" + noteId + "/conflicts", laptop), 200));
        step("resolve conflict", () -> {
            String current = sync.get("/files/" + noteId + "/metadata", laptop).text("current_version_id");
            return ok(
                    conflict.postJson(
                            "/files/" + noteId + "/conflicts/" + refused.text("conflict_id") + "/resolve",
                            laptop,
                            Map.of("version_id", current)),
                    200);
        });

        step("selective sync", () -> {
            ok(
                    send(
                            sync,
                            "PUT",
                            "/devices/" + laptopDevice + "/selective-sync",
                            laptop,
                            "{\"excluded\":[\"/Archive\"]}"),
                    200);
            return ok(sync.get("/devices/" + laptopDevice + "/selective-sync", laptop), 200);
        });
        step("list devices", () -> ok(sync.get("/devices", laptop), 200));
    }

    /** Runs {@code action} with the recorder labelling what the services send {@code label}. */
    private <T> T step(String label, Checked<T> action) {
        SqlRecorder.step(label);
        try {
            return action.get();
        } catch (Exception e) {
            throw new AssertionError("step '" + label + "' failed", e);
        } finally {
            // Work a request hands to other threads (block writers) is done before it answers; a
            // moment more for anything that still lands under this label.
            sleep(100);
            SqlRecorder.step(null);
            steps.computeIfAbsent(label, l -> new ArrayList<>()).addAll(SqlRecorder.drain());
        }
    }

    private void step(String label, Runnable action) {
        step(label, () -> {
            action.run();
            return null;
        });
    }

    @FunctionalInterface
    private interface Checked<T> {
        T get() throws Exception;
    }

    private static String summary(List<Judged> judged) {
        Map<String, EnumMap<Route, Integer>> perStep = new LinkedHashMap<>();
        EnumMap<Route, Integer> scheduled = new EnumMap<>(Route.class);
        Map<String, Set<String>> scheduledNotRouted = new TreeMap<>();
        for (Judged j : judged) {
            Route route = j.verdict().route();
            if (j.captured().scheduled()) {
                scheduled.merge(route, 1, Integer::sum);
                if (route == Route.MULTI_SHARD || route == Route.CROSS_GROUP) {
                    scheduledNotRouted
                            .computeIfAbsent(j.captured().caller(), c -> new TreeSet<>())
                            .add(route + " " + j.verdict().hash() + " ("
                                    + j.verdict().detail() + ")");
                }
            } else {
                perStep.computeIfAbsent(j.captured().step(), s -> new EnumMap<>(Route.class))
                        .merge(route, 1, Integer::sum);
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("Shard routing of the hot paths' SQL (plan: the create_distributed_table calls of db/citus)\n");
        String format = "%-45s %10s %7s %12s %12s %5s%n";
        out.append(String.format(format, "step", "statements", "routed", "multi-shard", "cross-group", "none"));
        EnumMap<Route, Integer> total = new EnumMap<>(Route.class);
        perStep.forEach((step, counts) -> {
            row(out, format, step, counts);
            counts.forEach((route, n) -> total.merge(route, n, Integer::sum));
        });
        row(out, format, "TOTAL", total);
        row(out, format, "(scheduled jobs meanwhile, not pinned)", scheduled);

        Map<String, Set<String>> distinct = new TreeMap<>();
        Map<String, Set<String>> byDetail = new TreeMap<>();
        for (Judged j : judged) {
            Route route = j.verdict().route();
            if (!j.captured().scheduled() && (route == Route.MULTI_SHARD || route == Route.CROSS_GROUP)) {
                distinct.computeIfAbsent(route.name(), r -> new TreeSet<>()).add(j.key());
                byDetail.computeIfAbsent(route + ": " + j.verdict().detail(), d -> new TreeSet<>())
                        .add(j.key());
            }
        }
        out.append("\nDistinct statements not routed (caller + fingerprint):\n");
        distinct.forEach((route, keys) -> out.append(String.format("  %-12s %d%n", route, keys.size())));
        out.append("\nBy what keeps them off one shard:\n");
        byDetail.forEach((detail, keys) -> out.append(String.format("  %3d  %s%n", keys.size(), detail)));
        if (!scheduledNotRouted.isEmpty()) {
            out.append("\nScheduled jobs' statements not routed (not pinned):\n");
            scheduledNotRouted.forEach((caller, routes) -> routes.forEach(
                    r -> out.append("  ").append(caller).append(' ').append(r).append('\n')));
        }
        return out.toString();
    }

    /** Every statement judged, one line each, for reading: step, service, caller, route, hash, why, SQL. */
    private static List<String> statements(List<Judged> judged) {
        List<String> lines = new ArrayList<>();
        lines.add("step\tservice\tcaller\tscheduled\troute\thash\tdetail\tstatement");
        for (Judged j : judged) {
            lines.add(String.join(
                    "\t",
                    j.captured().step(),
                    j.captured().service(),
                    j.captured().caller(),
                    Boolean.toString(j.captured().scheduled()),
                    j.verdict().route().name(),
                    j.verdict().hash(),
                    j.verdict().detail(),
                    j.verdict().fingerprint()));
        }
        return lines;
    }

    private static void row(StringBuilder out, String format, String label, Map<Route, Integer> counts) {
        int all = counts.values().stream().mapToInt(Integer::intValue).sum();
        out.append(String.format(
                format,
                label,
                all,
                counts.getOrDefault(Route.ROUTED, 0),
                counts.getOrDefault(Route.MULTI_SHARD, 0),
                counts.getOrDefault(Route.CROSS_GROUP, 0),
                counts.getOrDefault(Route.NONE, 0)));
    }

    /** caller, hash, route → reason; {@code #} starts a comment line. */
    private static Map<String, String> expected() throws IOException {
        Map<String, String> expected = new LinkedHashMap<>();
        try (InputStream in = ShardRoutingIT.class.getResourceAsStream(EXPECTED)) {
            assertThat(in).as(EXPECTED).isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\t", -1);
                assertThat(fields)
                        .as("caller, hash, route, reason, statement: %s", line)
                        .hasSize(5);
                String key = fields[0] + "\t" + fields[1] + "\t" + fields[2];
                assertThat(expected.put(key, fields[3]))
                        .as("listed twice: %s", key)
                        .isNull();
            }
        }
        return expected;
    }

    private static Api.Response ok(Api.Response response, int status) {
        assertThat(response.status()).as("%s", response.body()).isEqualTo(status);
        return response;
    }

    private static void register(String email) {
        ok(sync.postJson("/auth/register", null, Map.of("email", email, "password", PASSWORD, "name", "Shard")), 201);
    }

    private static Api.Response login(String email, String device) {
        return ok(
                sync.postJson("/auth/login", null, Map.of("email", email, "password", PASSWORD, "device_name", device)),
                200);
    }

    private static Api.Response put(String bearer, String path, String text, String parent, String mode) {
        return upload.uploadText(bearer, path, text, parent, mode);
    }

    private static Api.Response putBytes(String bearer, String path, byte[] body) {
        return upload.json(upload.request(path)
                .header("Authorization", bearer)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private static Api.Response send(Api api, String method, String path, String bearer, String json) {
        return api.json(api.request(path)
                .header("Authorization", bearer)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)));
    }

    private static byte[] random(int size, long salt) {
        byte[] bytes = new byte[size];
        new Random(System.nanoTime() ^ salt).nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.Multipart;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Random bad input through the gateway, on the real services: paths (Unicode forms, case, control characters, very
 * long, dot segments, names Windows reserves), bodies that are not the JSON asked for (malformed, wrong types, huge),
 * multipart uploads with parts missing or cut short, {@code Range} headers of every form, and cursors forged,
 * truncated, altered or another user's. Each gets a 4xx problem with a stable code (or, for what is valid after all,
 * what a valid request gets); nothing is written for what is refused (the account's journal does not move); and the
 * services are healthy afterwards. How many inputs each endpoint got is printed at the end.
 */
class BadInputIT {

    /** Writes anything outside ASCII as an escape, so a lone surrogate reaches the server as one. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(tools.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII)
            .build();

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Map<String, AtomicInteger> TRIED = new ConcurrentHashMap<>();

    /** One account and one file, shared by every try. */
    private static final class Fixture {
        final RunningSystem system = RunningSystem.get();
        final TestGateway gateway;
        final JdbcTemplate db = system.sync.getBean(JdbcTemplate.class);
        final String bearer;
        final String otherCursor;
        final String cursor;
        final long namespace;
        final String fileId;
        final byte[] content = new byte[10_000];

        Fixture() throws IOException {
            gateway = TestGateway.in(system);
            Api sync = system.api(system.sync);
            bearer = login(sync, DesktopClientIT.register(sync, "fuzz", "Ada"));
            String other = login(sync, DesktopClientIT.register(sync, "fuzz-other", "Eve"));
            otherCursor = sync.get("/files/sync", other).text("next_cursor");
            long userId = sync.get("/auth/check", bearer).body().path("user_id").asLong();
            namespace = db.queryForObject("SELECT root_namespace_id FROM users WHERE user_id = ?", Long.class, userId);
            new java.util.Random(7).nextBytes(content);
            Api.Response uploaded = system.api(system.upload)
                    .upload(
                            "/files/upload",
                            bearer,
                            new Multipart()
                                    .field("file_path", "/fuzz/range.bin")
                                    .field("file_size", Integer.toString(content.length))
                                    .file("content", content));
            assertThat(uploaded.status()).isEqualTo(200);
            fileId = uploaded.text("file_id");
            cursor = sync.get("/files/sync", bearer).text("next_cursor");
        }

        private static String login(Api api, String email) {
            return "Bearer "
                    + api.postJson(
                                    "/auth/login",
                                    null,
                                    Map.of("email", email, "password", DesktopClientIT.PASSWORD, "device_name", "fuzz"))
                            .text("access_token");
        }

        long head() {
            return db.queryForObject("SELECT last_seq FROM namespaces WHERE namespace_id = ?", Long.class, namespace);
        }
    }

    private static Fixture fixture;

    private static synchronized Fixture fixture() throws IOException {
        if (fixture == null) {
            fixture = new Fixture();
        }
        return fixture;
    }

    @AfterContainer
    static void healthyAndCounted() throws Exception {
        if (fixture == null) {
            return;
        }
        for (ConfigurableApplicationContext service :
                List.of(fixture.system.sync, fixture.system.upload, fixture.system.download, fixture.system.conflict)) {
            Api.Response health = fixture.system.api(service).get("/actuator/health", null);
            assertThat(health.status()).as("health after the bad input").isEqualTo(200);
        }
        fixture.gateway.close();
        System.out.println("bad inputs tried: " + new TreeMap<>(TRIED));
    }

    private record Answer(int status, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    private static Answer send(String endpoint, HttpRequest.Builder request) throws IOException, InterruptedException {
        TRIED.computeIfAbsent(endpoint, k -> new AtomicInteger()).incrementAndGet();
        HttpResponse<byte[]> response = HTTP.send(
                request.header("Authorization", fixture().bearer).build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
    }

    private static HttpRequest.Builder to(String path) throws IOException {
        return HttpRequest.newBuilder(URI.create(fixture().gateway.url() + path));
    }

    private static HttpRequest.Builder postJson(String path, String body) throws IOException {
        return to(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }

    /** The input as a message can show it: anything not printable ASCII as {@code \\uXXXX}. */
    private static String shown(String input) {
        StringBuilder s = new StringBuilder();
        for (char c : input.toCharArray()) {
            s.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return s.length() > 200 ? s.substring(0, 200) + "... (" + input.length() + " chars)" : s.toString();
    }

    /** A 4xx problem with a stable code, nothing of the server's insides in it. */
    private static void assertProblem(Answer answer, String raw) {
        String input = shown(raw);
        assertThat(answer.status())
                .as("status for %s: %s", input, answer.body())
                .isBetween(400, 499);
        JsonNode problem = answer.json();
        assertThat(problem.path("code").asString())
                .as("code for %s: %s", input, answer.body())
                .matches("[a-z_]+");
        assertThat(answer.body())
                .as("no insides for %s", input)
                .doesNotContain("Exception", "at dev.syncbox", "org.springframework", "SQL");
    }

    // ---- paths

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> tricky = Arbitraries.strings()
                .withChars('a', 'B', 'é', '/', '.', ' ', '\u0000', '\u001f', '\u007f', '\u0085', '\u202e', '\ufeff')
                .withChars('e', '\u0301', 'Ω', '\ud800', '\udc00', ':', '*', '?', '"', '<', '>', '|', '\\')
                .ofMaxLength(30)
                .map(s -> "/" + s);
        Arbitrary<String> reserved = Arbitraries.of(
                        "CON",
                        "nul.txt",
                        "AUX",
                        "com1",
                        "LPT9.log",
                        ".",
                        "..",
                        "",
                        " ",
                        "a ",
                        " a",
                        "a.",
                        "desktop.ini")
                .map(s -> "/fuzz/" + s);
        Arbitrary<String> long_ = Arbitraries.integers()
                .between(200, 1100)
                .map(n -> "/" + "x".repeat(n / 3) + "/" + "y".repeat(n - n / 3));
        Arbitrary<String> relative = Arbitraries.of("a", "a/b", "./a", "../a", "/a//b", "/a/./b", "/a/../b", "//");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, tricky),
                net.jqwik.api.Tuple.of(2, reserved),
                net.jqwik.api.Tuple.of(1, long_),
                net.jqwik.api.Tuple.of(1, relative));
    }

    private static boolean valid(String path) {
        try {
            SyncPath.normalize(path);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Property(tries = 150)
    void aFolderAtAnyPathIsMadeOrRefusedAsInvalid(@ForAll("paths") String path) throws Exception {
        long before = fixture().head();
        Answer answer =
                send("POST /files/folder", postJson("/files/folder", JSON.writeValueAsString(Map.of("path", path))));
        if (valid(path)) {
            assertThat(answer.status()).as("%s: %s", shown(path), answer.body()).isLessThan(500);
            if (answer.status() >= 400) {
                assertProblem(answer, path);
            }
        } else {
            assertProblem(answer, path);
            assertThat(answer.json().path("code").asString()).isEqualTo("invalid_path");
            assertThat(fixture().head())
                    .as("nothing written for %s", shown(path))
                    .isEqualTo(before);
        }
    }

    @Property(tries = 60)
    void aMoveToAnInvalidPathIsRefused(@ForAll("paths") String path) throws Exception {
        long before = fixture().head();
        Answer answer = send(
                "POST /files/move",
                postJson("/files/move", JSON.writeValueAsString(Map.of("file_id", fixture().fileId, "to_path", path))));
        if (!valid(path)) {
            assertProblem(answer, path);
            assertThat(fixture().head())
                    .as("nothing written for %s", shown(path))
                    .isEqualTo(before);
        } else if (answer.status() < 300) {
            // Valid after all: put it back for the other tries.
            send(
                    "POST /files/move",
                    postJson(
                            "/files/move",
                            JSON.writeValueAsString(
                                    Map.of("file_id", fixture().fileId, "to_path", "/fuzz/range.bin"))));
        }
    }

    @Property(tries = 60)
    void aListingOfAnyPathAnswersOrRefuses(@ForAll("paths") String path) throws Exception {
        Answer answer = send(
                "GET /files/list",
                to("/files/list?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8))
                        .GET());
        if (answer.status() >= 400) {
            assertProblem(answer, path);
        }
    }

    // ---- bodies that are not what was asked for

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> garbage = Arbitraries.strings().all().ofMaxLength(200);
        Arbitrary<String> wrongTypes = Arbitraries.of(
                "{\"path\": 5}",
                "{\"path\": [\"/a\"]}",
                "{\"path\": null}",
                "{\"path\": {\"x\": 1}}",
                "{\"file_id\": true, \"to_path\": 7}",
                "{\"file_path\": \"/a\", \"blocks\": \"nope\", \"size\": -1}",
                "{\"file_path\": \"/a\", \"blocks\": [1, 2], \"size\": \"big\"}",
                "{\"blocks\": [\"zz\"]}",
                "{\"email\": 1, \"password\": []}",
                "[1, 2, 3]",
                "\"a string\"",
                "null",
                "{",
                "{\"path\": \"/a\"",
                "{\"path\": \"/a\"}}");
        Arbitrary<String> huge =
                Arbitraries.integers().between(1, 3).map(n -> "{\"path\": \"/" + "z".repeat(n * 700_000) + "\"}");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, garbage),
                net.jqwik.api.Tuple.of(5, wrongTypes),
                net.jqwik.api.Tuple.of(1, huge));
    }

    @Provide
    Arbitrary<String> jsonEndpoints() {
        return Arbitraries.of(
                "/files/folder",
                "/files/move",
                "/files/commit",
                "/files/commit_batch",
                "/blocks/check",
                "/files/download_batch",
                "/auth/login",
                "/auth/register",
                "/auth/refresh");
    }

    @Property(tries = 200)
    void aBodyThatIsNotWhatWasAskedForIsAProblem(
            @ForAll("jsonEndpoints") String endpoint, @ForAll("bodies") String body) throws Exception {
        long before = fixture().head();
        Answer answer = send("POST " + endpoint, postJson(endpoint, body));
        assertProblem(answer, endpoint + " " + body.substring(0, Math.min(80, body.length())));
        assertThat(fixture().head()).as("nothing written").isEqualTo(before);
    }

    // ---- multipart

    @Property(tries = 80)
    void aMultipartUploadWithPartsMissingOrCutShortIsAProblem(
            @ForAll("multipartFaults") int fault, @ForAll("cuts") int cut) throws Exception {
        long before = fixture().head();
        // 0 no path, 1 a size the content does not have, 2 and 3 sizes that are no size, 4 no content, 5 cut short,
        // 6 another boundary, 7 no boundary, 8 the content before the path.
        Multipart form = new Multipart();
        if (fault == 8) {
            form.file("content", "abc".getBytes(StandardCharsets.UTF_8));
        }
        if (fault != 0) {
            form.field("file_path", "/fuzz/upload-" + fault + ".bin");
        }
        form.field("file_size", fault == 1 ? "4" : fault == 2 ? "-5" : fault == 3 ? "lots" : "3");
        if (fault != 4 && fault != 8) {
            form.file("content", "abc".getBytes(StandardCharsets.UTF_8));
        }
        HttpRequest.Builder request;
        if (fault == 5) {
            // Cut short: the body ends part-way, before its closing boundary.
            byte[] whole = collect(form.publisher());
            request = to("/files/upload")
                    .header("Content-Type", form.contentType())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(
                            Arrays.copyOf(whole, Math.max(1, whole.length * cut / 100))));
        } else if (fault == 6) {
            request = to("/files/upload")
                    .header("Content-Type", "multipart/form-data; boundary=not-the-one")
                    .POST(form.publisher());
        } else if (fault == 7) {
            request = to("/files/upload")
                    .header("Content-Type", "multipart/form-data")
                    .POST(form.publisher());
        } else {
            request = to("/files/upload")
                    .header("Content-Type", form.contentType())
                    .POST(form.publisher());
        }
        Answer answer = send("POST /files/upload", request);
        assertProblem(answer, "multipart fault " + fault + " cut " + cut);
        assertThat(fixture().head()).as("nothing written").isEqualTo(before);
    }

    @Provide
    Arbitrary<Integer> multipartFaults() {
        return Arbitraries.integers().between(0, 8);
    }

    @Provide
    Arbitrary<Integer> cuts() {
        return Arbitraries.integers().between(1, 97);
    }

    private static byte[] collect(HttpRequest.BodyPublisher publisher) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        publisher.subscribe(new java.util.concurrent.Flow.Subscriber<java.nio.ByteBuffer>() {
            @Override
            public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(java.nio.ByteBuffer item) {
                byte[] b = new byte[item.remaining()];
                item.get(b);
                out.writeBytes(b);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }
        });
        done.get();
        return out.toByteArray();
    }

    // ---- Range

    @Provide
    Arbitrary<String> ranges() {
        Arbitrary<String> number = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 12_000).map(String::valueOf),
                Arbitraries.of("", "-1", "99999999999999999999", "0x10", " 5", "1e3"));
        Arbitrary<String> one =
                net.jqwik.api.Combinators.combine(number, number).as((a, b) -> a + "-" + b);
        Arbitrary<String> many = one.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(",", l));
        return Arbitraries.oneOf(
                many.map(s -> "bytes=" + s),
                many.map(s -> "items=" + s),
                Arbitraries.strings().all().ofMaxLength(40));
    }

    @Property(tries = 150)
    void aRangeOfAnyFormGetsTheBytesOrAClearRefusal(@ForAll("ranges") String range) throws Exception {
        Answer answer;
        try {
            answer = send(
                    "GET /files/download/{id} Range",
                    to("/files/download/" + fixture().fileId)
                            .header("Range", range)
                            .GET());
        } catch (IllegalArgumentException notAHeaderValue) {
            return; // The HTTP client itself will not send it.
        }
        assertThat(answer.status()).as("%s: %s", range, answer.body()).isIn(200, 206, 400, 416);
        if (answer.status() == 400 || answer.status() == 416) {
            assertProblem(answer, range);
        }
        java.util.regex.Matcher single =
                java.util.regex.Pattern.compile("bytes=(\\d{1,5})-(\\d{1,5})").matcher(range);
        if (answer.status() == 206 && single.matches()) {
            int from = Integer.parseInt(single.group(1));
            int to = Math.min(Integer.parseInt(single.group(2)), fixture().content.length - 1);
            HttpResponse<byte[]> bytes = HTTP.send(
                    to("/files/download/" + fixture().fileId)
                            .header("Range", range)
                            .header("Authorization", fixture().bearer)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(bytes.body()).isEqualTo(Arrays.copyOfRange(fixture().content, from, to + 1));
        }
    }

    // ---- cursors

    @Provide
    Arbitrary<Integer> cursorKinds() {
        return Arbitraries.integers().between(0, 3);
    }

    @Property(tries = 120)
    void aCursorForgedTruncatedAlteredOrAnotherUsersIsRefused(@ForAll("cursorKinds") int kind, @ForAll("cuts") int at)
            throws Exception {
        String real = fixture().cursor;
        String cursor = switch (kind) {
            case 0 -> real.substring(0, Math.max(1, real.length() * at / 100));
            case 1 -> {
                // Not the last two characters: their low bits may be padding, which decodes the same.
                int i = Math.min(real.length() * at / 100, real.length() - 3);
                char c = real.charAt(i);
                yield real.substring(0, i) + (c == 'A' ? 'B' : 'A') + real.substring(i + 1);
            }
            case 2 -> fixture().otherCursor;
            default ->
                java.util.Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(("forged-" + at + "-" + real.length()).getBytes(StandardCharsets.UTF_8));
        };
        Answer answer = send(
                "GET /files/sync cursor",
                to("/files/sync?cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8))
                        .GET());
        assertProblem(answer, "cursor kind " + kind);
        assertThat(answer.json().path("code").asString()).isIn("invalid_cursor", "reset");
    }
}

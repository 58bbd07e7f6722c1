package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.id.Ids;
import dev.syncbox.indexer.indexing.Indexer;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.Multipart;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Search against the real services, PostgreSQL, S3 and Elasticsearch, with the indexer job running as it does in the
 * local run (its loop, woken by the journal's announcements): what a user does is found by name, path and content
 * within seconds, only by those who may read it, and nothing is lost while Elasticsearch is away.
 */
class SearchIT {

    /** Words no other run's content holds, so each test finds only its own files. */
    private static final String RUN = "r" + Long.toString(System.nanoTime(), 36);

    static RunningSystem system;
    static Api sync;
    static Api upload;
    static ConfigurableApplicationContext indexerJob;
    static Indexer indexer;

    @BeforeAll
    static void start() {
        system = RunningSystem.get();
        sync = system.api(system.sync);
        upload = system.api(system.upload);
        indexerJob = RunningSystem.indexer(
                "--syncbox.indexer.enabled=false",
                "--syncbox.indexer.poll=PT0.2S",
                "--syncbox.indexer.max-backoff=PT2S",
                "--syncbox.indexer.index-check=PT1S");
        indexer = indexerJob.getBean(Indexer.class);
        // Everything earlier tests wrote into the database first, at once; then the loop, as the job runs it.
        indexer.rebuild();
        indexer.start();
    }

    @AfterAll
    static void stop() {
        // The other system tests count SQL statements and block reads: the job does not run behind them.
        indexerJob.close();
    }

    record Person(String email, String bearer) {}

    private static Person person(String name) {
        String email = "search-" + Ids.newId().toLowerCase() + "@example.test";
        assertThat(sync.postJson(
                                "/auth/register",
                                null,
                                Map.of("email", email, "password", "a long password", "name", name))
                        .status())
                .isEqualTo(201);
        Api.Response login = sync.postJson(
                "/auth/login", null, Map.of("email", email, "password", "a long password", "device_name", "it"));
        return new Person(email, "Bearer " + login.text("access_token"));
    }

    private static String put(Person p, String path, byte[] content) {
        Api.Response uploaded = upload.upload(
                "/files/upload",
                p.bearer(),
                new Multipart().field("file_path", path).file("content", content));
        assertThat(uploaded.status()).as("upload %s", path).isEqualTo(200);
        return uploaded.text("file_id");
    }

    private static String put(Person p, String path, String text) {
        return put(p, path, text.getBytes(StandardCharsets.UTF_8));
    }

    private static Api.Response search(Person p, String query) {
        return sync.get("/files/search?" + query, p.bearer());
    }

    private static Api.Response find(Person p, String q) {
        return search(p, "q=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
    }

    private static List<String> paths(Api.Response response) {
        assertThat(response.status()).as("search answered %s", response.body()).isEqualTo(200);
        List<String> paths = new ArrayList<>();
        for (JsonNode match : response.body().path("matches")) {
            paths.add(match.path("path").asString());
        }
        return paths;
    }

    /** Waits (the indexer runs on its own) until the search answers what {@code expected} accepts. */
    private static List<String> awaitPaths(Person p, String q, Predicate<List<String>> expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<String> paths;
        while (true) {
            Api.Response response = find(p, q);
            paths = response.status() == 200 ? paths(response) : null;
            if (paths != null && expected.test(paths)) {
                return paths;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("search for '" + q + "' still answers " + response.status() + " "
                        + response.body() + " after 60 s; lagging: " + indexer.lagging());
            }
            sleep(100);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void shouldFindANewFileByNameNamePrefixPathAndAPhraseOfItsContent() {
        // Each test's people are new: what they find is only what the test wrote.
        Person alice = person("Alice");
        String content = "The launch window opens at dawn";
        String expected = "/Projects/Apollo/QuarterlyReport-2026.txt";
        put(alice, expected, content);

        assertThat(awaitPaths(alice, "QuarterlyReport", p -> !p.isEmpty())).containsExactly(expected);
        assertThat(paths(find(alice, "report 2026")))
                .as("words of a camel-case name")
                .containsExactly(expected);
        assertThat(paths(find(alice, "quarterlyrep"))).as("a name prefix").containsExactly(expected);
        assertThat(paths(find(alice, "quart"))).as("a word's prefix").containsExactly(expected);
        assertThat(paths(find(alice, "apollo")))
                .as("a folder above it, which itself matches by name first")
                .containsExactly("/Projects/Apollo", expected);
        Api.Response phrase = find(alice, "\"launch window opens\"");
        assertThat(paths(phrase)).containsExactly(expected);
        JsonNode match = phrase.body().path("matches").get(0);
        assertThat(match.path("highlight").asString()).isEqualTo("The <mark>launch window opens</mark> at dawn");
        assertThat(match.path("name").asString()).isEqualTo("QuarterlyReport-2026.txt");
        assertThat(match.path("size").asLong()).isEqualTo(content.length());
        assertThat(match.path("file_id").asString()).hasSize(26);
        assertThat(Instant.parse(match.path("modified_at").asString()))
                .isBefore(Instant.now().plusSeconds(60));
        assertThat(paths(find(alice, "\"window launch opens\"")))
                .as("words in another order are not the phrase")
                .isEmpty();
        assertThat(paths(find(alice, "dawn window"))).as("its words anywhere").containsExactly(expected);
        assertThat(paths(find(alice, "dawn sunset")))
                .as("every word must be found")
                .isEmpty();
    }

    @Test
    void shouldRankNameOverPathOverContentAndNewestFirstOnTies() {
        Person alice = person("Alice");
        String word = RUN + "nebula";
        put(alice, "/misc.txt", "a note about " + word + " in the content");
        put(alice, "/" + word + "/readme.txt", "nothing here");
        put(alice, "/old-" + word + ".md", "first");
        sleep(20);
        put(alice, "/new-" + word + ".md", "second");

        List<String> paths = awaitPaths(alice, word, p -> p.size() == 5);
        assertThat(paths(search(alice, "q=" + word + "&modified_after=2026-01-01T00:00:00Z")))
                .hasSize(5);
        assertThat(paths(search(
                        alice, "q=" + word + "&modified_after=" + Instant.now().plusSeconds(3600))))
                .isEmpty();
        assertThat(paths)
                .containsExactly(
                        "/new-" + word + ".md",
                        "/old-" + word + ".md",
                        "/" + word, // made by the readme's upload, before the old note
                        "/" + word + "/readme.txt",
                        "/misc.txt");
    }

    @Test
    void shouldFindTextInPdfsAndOfficeDocuments() throws IOException {
        Person alice = person("Alice");
        put(alice, "/papers/primer.pdf", pdf("Orbital mechanics primer " + RUN + "pdf"));
        put(alice, "/papers/plan.docx", docx("Mission plan for the lunar gateway " + RUN + "docx"));
        put(alice, "/papers/photo.jpg", ("lunar " + RUN + "docx").getBytes(StandardCharsets.UTF_8));

        assertThat(awaitPaths(alice, "\"orbital mechanics primer " + RUN + "pdf\"", p -> !p.isEmpty()))
                .containsExactly("/papers/primer.pdf");
        assertThat(awaitPaths(alice, "lunar gateway " + RUN + "docx", p -> !p.isEmpty()))
                .as("an image's bytes are never read as text")
                .containsExactly("/papers/plan.docx");
        assertThat(paths(search(alice, "q=" + RUN + "pdf&type=document"))).containsExactly("/papers/primer.pdf");
        assertThat(paths(search(alice, "q=" + RUN + "pdf&type=pdf"))).containsExactly("/papers/primer.pdf");
        assertThat(paths(search(alice, "q=" + RUN + "pdf&type=image"))).isEmpty();
    }

    @Test
    void shouldFollowRenamesMovesOfFoldersDeletesAndRestores() {
        Person alice = person("Alice");
        String word = RUN + "comet";
        String fileId = put(alice, "/inbox/" + word + ".txt", "tail " + RUN);
        put(alice, "/archive/2026/deep/" + word + "-notes.txt", "nucleus " + RUN);
        awaitPaths(alice, word, p -> p.size() == 2);

        assertThat(sync.postJson(
                                "/files/move",
                                alice.bearer(),
                                Map.of("file_id", fileId, "to_path", "/inbox/renamed-" + word + "-x.txt"))
                        .status())
                .isEqualTo(200);
        awaitPaths(
                alice,
                word,
                p -> p.contains("/inbox/renamed-" + word + "-x.txt") && !p.contains("/inbox/" + word + ".txt"));

        // A folder's move changes the path of everything under it: found by the new folder's name, not the old.
        assertThat(sync.postJson(
                                "/files/move",
                                alice.bearer(),
                                Map.of("from_path", "/archive", "to_path", "/vault" + RUN))
                        .status())
                .isEqualTo(200);
        awaitPaths(alice, "vault" + RUN, p -> p.contains("/vault" + RUN + "/2026/deep/" + word + "-notes.txt"));
        assertThat(paths(search(alice, "q=" + word + "&path=/vault" + RUN + "/2026")))
                .containsExactly("/vault" + RUN + "/2026/deep/" + word + "-notes.txt");
        assertThat(paths(search(alice, "q=" + word + "&path=/archive"))).isEmpty();

        // A folder to the trash takes everything under it out of search; restored, it all comes back.
        String folderId = idOf(alice, "/vault" + RUN);
        assertThat(sync.postJson("/files/" + folderId + "/delete", alice.bearer(), Map.of())
                        .status())
                .isEqualTo(200);
        awaitPaths(alice, word, p -> p.equals(List.of("/inbox/renamed-" + word + "-x.txt")));
        assertThat(sync.postJson("/trash/" + folderId + "/restore", alice.bearer(), Map.of())
                        .status())
                .isEqualTo(200);
        awaitPaths(alice, word, p -> p.contains("/vault" + RUN + "/2026/deep/" + word + "-notes.txt"));

        assertThat(sync.postJson("/files/" + fileId + "/delete", alice.bearer(), Map.of("move_to_trash", false))
                        .status())
                .isEqualTo(200);
        awaitPaths(alice, word, p -> !p.contains("/inbox/renamed-" + word + "-x.txt"));
    }

    @Test
    void shouldShowOthersFilesOnlyThroughASharedFolderAndNeverAfterItsRevocation() {
        Person alice = person("Alice");
        Person bob = person("Bob");
        String word = RUN + "quasar";
        put(alice, "/Team/plan-" + word + ".txt", "shared plan");
        put(alice, "/Private/diary-" + word + ".txt", "private " + word);
        awaitPaths(alice, word, p -> p.size() == 2);
        assertThat(paths(find(bob, word))).as("not shared").isEmpty();

        String team = idOf(alice, "/Team");
        Api.Response share = sync.postJson(
                "/files/" + team + "/share", alice.bearer(), Map.of("email", bob.email(), "permission", "READ"));
        assertThat(share.status()).isEqualTo(201);
        assertThat(paths(find(bob, word)))
                .as("at once: access is decided when searching, not when indexing")
                .containsExactly("/Team/plan-" + word + ".txt");
        assertThat(paths(find(bob, "private " + word)))
                .as("only what is shared")
                .isEmpty();

        put(alice, "/Team/later-" + word + ".txt", "added after sharing");
        awaitPaths(bob, word, p -> p.contains("/Team/later-" + word + ".txt"));

        assertThat(sync.json(sync.request("/files/" + team + "/share/"
                                        + share.body().path("share_id").asLong())
                                .header("Authorization", alice.bearer())
                                .DELETE())
                        .status())
                .isEqualTo(204);
        assertThat(paths(find(bob, word))).as("at once after the revocation").isEmpty();
        assertThat(paths(find(alice, word))).hasSize(3);
    }

    @Test
    void shouldLoseNothingWhileElasticsearchIsStoppedAndCatchUpWhenItReturns() throws Exception {
        Person alice = person("Alice");
        String word = RUN + "pulsar";
        String kept = put(alice, "/before-" + word + ".txt", "before");
        String doomed = put(alice, "/doomed-" + word + ".txt", "doomed");
        awaitPaths(alice, word, p -> p.size() == 2);
        double failures = failures();

        services("stop", "elasticsearch");
        try {
            Api.Response down = find(alice, word);
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.code()).isEqualTo("search_unavailable");
            for (int i = 0; i < 5; i++) {
                put(alice, "/during/" + i + "-" + word + ".txt", "written while the index is away");
            }
            sync.postJson("/files/move", alice.bearer(), Map.of("file_id", kept, "to_path", "/after-" + word + ".txt"));
            sync.postJson("/files/" + doomed + "/delete", alice.bearer(), Map.of());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (failures() <= failures && System.nanoTime() < deadline) {
                sleep(100);
            }
            assertThat(failures()).as("the indexer tried and failed").isGreaterThan(failures);
        } finally {
            services("start", "elasticsearch");
        }

        List<String> paths = awaitPaths(alice, word, p -> p.size() == 6 && p.contains("/after-" + word + ".txt"));
        assertThat(paths).doesNotContain("/before-" + word + ".txt", "/doomed-" + word + ".txt");
        assertThat(paths).contains("/during/0-" + word + ".txt", "/during/4-" + word + ".txt");
    }

    @Test
    void shouldGiveTheSameAnswersAfterAReindexFromPostgres() {
        Person alice = person("Alice");
        String word = RUN + "galaxy";
        for (int i = 0; i < 5; i++) {
            put(alice, "/g" + i + "/" + word + "-" + i + ".txt", "spiral arm " + i + " " + RUN + "arm");
        }
        awaitPaths(alice, word, p -> p.size() == 5);
        Map<String, List<String>> before = new LinkedHashMap<>();
        for (String q : List.of(word, "g3", "spiral arm 2 " + RUN + "arm", "\"arm 4 " + RUN + "arm\"")) {
            before.put(q, paths(find(alice, q)));
        }

        Indexer.Rebuilt rebuilt = indexer.rebuild();
        assertThat(rebuilt.documents()).isGreaterThanOrEqualTo(10);

        for (var query : before.entrySet()) {
            assertThat(paths(find(alice, query.getKey()))).as(query.getKey()).isEqualTo(query.getValue());
        }
        put(alice, "/after-reindex-" + word + ".txt", "x");
        awaitPaths(alice, word, p -> p.size() == 6);
    }

    @Test
    void shouldRebuildBehindTheAliasWhenTheIndexHasAnOlderMapping() throws Exception {
        Person alice = person("Alice");
        String word = RUN + "aurora";
        put(alice, "/" + word + ".txt", "x");
        awaitPaths(alice, word, p -> p.size() == 1);

        // An index made by an older mapping behind the alias, empty: as after an upgrade that changed the mapping.
        String old = "syncbox-files-v0-" + System.nanoTime();
        es("PUT", "/" + old, "{\"mappings\": {\"_meta\": {\"mapping_version\": 0}}}");
        String current = es("GET", "/_alias/syncbox-files", null).split("\"")[1];
        es(
                "POST",
                "/_aliases",
                "{\"actions\": [{\"remove\": {\"index\": \"" + current
                        + "\", \"alias\": \"syncbox-files\"}}, {\"add\": {\"index\": \"" + old
                        + "\", \"alias\": \"syncbox-files\"}}]}");
        es("DELETE", "/" + current, null);

        awaitPaths(alice, word, p -> p.size() == 1);
        String now = es("GET", "/_alias/syncbox-files", null);
        assertThat(now).contains("syncbox-files-v1-").doesNotContain(old);
        // The indexes the alias left are deleted right after it moved, so a search may answer from the new one a
        // moment before the old one is gone.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String indices = es("GET", "/_cat/indices/syncbox-files-*?h=index", null);
        while (indices.contains(old) && System.nanoTime() < deadline) {
            sleep(100);
            indices = es("GET", "/_cat/indices/syncbox-files-*?h=index", null);
        }
        assertThat(indices).doesNotContain(old);
    }

    /** A request straight to Elasticsearch, as an operator's curl: the answer's body. */
    private static String es(String method, String path, String json) throws IOException, InterruptedException {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(RunningSystem.SEARCH_URL + path))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        json == null
                                ? java.net.http.HttpRequest.BodyPublishers.noBody()
                                : java.net.http.HttpRequest.BodyPublishers.ofString(json));
        var response = java.net.http.HttpClient.newHttpClient()
                .send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as(method + " " + path + ": " + response.body())
                .isEqualTo(200);
        return response.body();
    }

    @Test
    void shouldIndexOnOneInstanceAtATime() throws Exception {
        Person alice = person("Alice");
        String word = RUN + "eclipse";
        DataSource db = indexerJob.getBean(DataSource.class);
        // Another instance's pass holds the job's lock: this one leaves the journal to it.
        try (Connection other = db.getConnection()) {
            try (var statement = other.createStatement()) {
                statement.execute("SELECT pg_advisory_lock(hashtext('syncbox.indexer'))");
            }
            try {
                put(alice, "/" + word + ".txt", "x");
                assertThat(indexer.catchUp().locked()).isFalse();
                sleep(1500);
                assertThat(paths(find(alice, word)))
                        .as("not indexed while another holds the lock")
                        .isEmpty();
            } finally {
                try (var statement = other.createStatement()) {
                    statement.execute("SELECT pg_advisory_unlock(hashtext('syncbox.indexer'))");
                }
            }
        }
        awaitPaths(alice, word, p -> p.size() == 1);
    }

    @Test
    void shouldPageThroughEveryMatchOnceWithTheCursor() {
        Person alice = person("Alice");
        String word = RUN + "meteor";
        for (int i = 0; i < 7; i++) {
            put(alice, "/m/" + word + "-" + i + ".txt", "x");
        }
        awaitPaths(alice, word, p -> p.size() == 7);
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Api.Response page = search(alice, "q=" + word + "&limit=3" + (cursor == null ? "" : "&cursor=" + cursor));
            seen.addAll(paths(page));
            cursor = page.body().path("has_more").asBoolean() ? page.text("next_cursor") : null;
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(7).doesNotHaveDuplicates();
    }

    @Test
    void shouldRefuseBadSearchesWithAProblem() {
        Person alice = person("Alice");
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("", "invalid_request");
        bad.put("q=%20%20", "invalid_request");
        bad.put("q=%22%20%20%22", "invalid_request");
        bad.put("q=%22%22%22", "invalid_request");
        bad.put("q=" + "x".repeat(201), "invalid_request");
        bad.put("q=a&limit=0", "invalid_request");
        bad.put("q=a&limit=101", "invalid_request");
        bad.put("q=a&limit=ten", "invalid_request");
        bad.put("q=a&modified_after=yesterday", "invalid_request");
        bad.put("q=a&type=..%2Fetc", "invalid_request");
        bad.put("q=a&cursor=garbage", "invalid_cursor");
        bad.put("q=a&cursor=s1.Zm9v", "invalid_cursor");
        bad.put("q=a&path=relative/path", "invalid_path");
        for (var each : bad.entrySet()) {
            Api.Response response = search(alice, each.getKey());
            assertThat(response.status()).as(each.getKey()).isEqualTo(400);
            assertThat(response.code()).as(each.getKey()).isEqualTo(each.getValue());
        }
        assertThat(sync.get("/files/search?q=a", null).status()).isEqualTo(401);
        assertThat(paths(search(alice, "q=a&modified_after=2026-01-01T00:00:00Z&type=pdf&limit=100")))
                .isEmpty();
    }

    @Test
    void shouldReportTheIndexingLag() {
        MeterRegistry meters = indexerJob.getBean(MeterRegistry.class);
        assertThat(meters.find("syncbox.indexer.lag.entries").tag("stat", "max").gauge())
                .isNotNull();
        assertThat(meters.find("syncbox.indexer.lag.seconds").gauge()).isNotNull();
        Api job = Api.local(Integer.parseInt(indexerJob.getEnvironment().getRequiredProperty("local.server.port")));
        String prometheus =
                new String(job.bytes(job.request("/actuator/prometheus").GET()).body(), StandardCharsets.UTF_8);
        assertThat(prometheus).contains("syncbox_indexer_lag_seconds", "syncbox_indexer_lag_entries{");
        String syncMetrics = new String(
                sync.bytes(sync.request("/actuator/prometheus").GET()).body(), StandardCharsets.UTF_8);
        assertThat(syncMetrics).contains("syncbox_search_latency_seconds_bucket{", "outcome=\"unavailable\"");
        Api.Response status = job.get("/actuator/indexer", null);
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.body().has("lagging")).isTrue();
    }

    private static double failures() {
        return indexerJob
                .getBean(MeterRegistry.class)
                .counter("syncbox.indexer.failures")
                .count();
    }

    /** Runs the local run's own script, as an operator would, from the repository's root. */
    private static void services(String action, String service) throws IOException, InterruptedException {
        Path root = Path.of("").toAbsolutePath();
        while (!root.resolve("deploy/local/services.sh").toFile().exists()) {
            root = root.getParent();
        }
        Process process = new ProcessBuilder("bash", "deploy/local/services.sh", action, service)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        process.getInputStream().transferTo(out);
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(out.toString(StandardCharsets.UTF_8)).isZero();
    }

    private static byte[] pdf(String text) throws IOException {
        try (PDDocument document = new PDDocument();
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage();
            document.addPage(page);
            try (PDPageContentStream stream = new PDPageContentStream(document, page)) {
                stream.beginText();
                stream.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                stream.newLineAtOffset(72, 700);
                stream.showText(text);
                stream.endText();
            }
            document.save(out);
            return out.toByteArray();
        }
    }

    private static byte[] docx(String text) throws IOException {
        try (XWPFDocument document = new XWPFDocument();
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            document.createParagraph().createRun().setText(text);
            document.write(out);
            return out.toByteArray();
        }
    }

    /** The id of a top-level entry. */
    private static String idOf(Person p, String path) {
        for (JsonNode entry : sync.get("/files/list?path=/", p.bearer()).body().path("entries")) {
            if (entry.path("path").asString().equals(path)) {
                return entry.path("file_id").asString();
            }
        }
        throw new AssertionError(path + " is not listed");
    }
}

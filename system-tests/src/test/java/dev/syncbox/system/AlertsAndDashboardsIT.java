package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.id.Ids;
import dev.syncbox.server.testing.Api;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The alert rules and the Grafana dashboards against a real Prometheus that scrapes the running
 * services: a conflict rate over 1 % driven through the API makes {@code ConflictRateHigh} pending;
 * every dashboard query runs and names series that exist; every series the alert rules and their unit
 * tests name is exported, by the service the tests attach it to.
 */
class AlertsAndDashboardsIT {

    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final Set<String> SERVICES =
            Set.of("sync-service", "upload-service", "download-service", "conflict-engine", "indexer-job");

    static RunningSystem system;
    /** Scraped for its metrics only: its loop stays off, so it indexes nothing behind the other tests. */
    static ConfigurableApplicationContext indexer;

    static LocalPrometheus prometheus;
    static Api sync;
    static Api upload;
    static Api download;
    static Api conflict;

    @BeforeAll
    static void driveTheSystemUnderAPrometheus() throws Exception {
        system = RunningSystem.get();
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("sync-service", port(system.sync));
        ports.put("upload-service", port(system.upload));
        ports.put("download-service", port(system.download));
        ports.put("conflict-engine", port(system.conflict));
        indexer = RunningSystem.indexer("--syncbox.indexer.enabled=false");
        ports.put("indexer-job", port(indexer));
        prometheus = LocalPrometheus.start(ports, DEPLOY.resolve("prometheus/alerts.yml"));
        sync = system.api(system.sync);
        upload = system.api(system.upload);
        download = system.api(system.download);
        conflict = system.api(system.conflict);
        awaitTrue(
                "every service scraped",
                () -> prometheus.query("up{job=\"syncbox\"} == 1").size() == ports.size());

        String email = "ops-" + Ids.newId().toLowerCase() + "@example.test";
        assertThat(sync.postJson(
                                "/auth/register",
                                null,
                                Map.of("email", email, "password", "a long password", "name", "Ops"))
                        .status())
                .isEqualTo(201);
        String laptop = login(email, "laptop");
        String phone = login(email, "phone");
        String cursor = sync.get("/files/sync", phone).text("next_cursor");

        // Five clean commits, then two on a stale parent: one merged, one refused. 2 of 7: far over 1 %.
        String path = "/ops/notes-" + Ids.newId().toLowerCase() + ".txt";
        Api.Response first = put(laptop, path, "title\nbody\n", null, null);
        String fileId = first.text("file_id");
        String parent = first.text("version_id");
        StringBuilder text = new StringBuilder("title\nbody\n");
        for (int i = 0; i < 4; i++) {
            text.append("line ").append(i).append('\n');
            parent = put(laptop, path, text.toString(), parent, null).text("version_id");
        }
        assertThat(put(phone, path, "TITLE\nbody\n", first.text("version_id"), "auto")
                        .status())
                .isEqualTo(200);
        Api.Response refused = put(phone, path, "other\n", first.text("version_id"), "reject");
        assertThat(refused.status()).isEqualTo(409);

        // The phone follows the feed and acknowledges; a restore; a download; a conflict resolved by hand.
        for (int pages = 0; pages < 100; pages++) {
            Api.Response page = sync.get("/files/sync?cursor=" + cursor, phone);
            cursor = page.text("next_cursor");
            if (!page.body().path("has_more").asBoolean()) {
                break;
            }
        }
        sync.get("/files/sync?cursor=" + cursor, phone);
        assertThat(sync.postJson(
                                "/files/" + fileId + "/restore", laptop, Map.of("version_id", first.text("version_id")))
                        .status())
                .isEqualTo(200);
        assertThat(download.bytes(download.request("/files/download/" + fileId)
                                .header("Authorization", laptop)
                                .GET())
                        .statusCode())
                .isEqualTo(200);
        String current = sync.get("/files/" + fileId + "/metadata", laptop).text("current_version_id");
        assertThat(conflict.postJson(
                                "/files/" + fileId + "/conflicts/" + refused.text("conflict_id") + "/resolve",
                                laptop,
                                Map.of("version_id", current))
                        .status())
                .isEqualTo(200);
    }

    @AfterAll
    static void stopPrometheus() throws IOException {
        if (indexer != null) {
            indexer.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @Test
    void aConflictRateOverOnePercentMakesConflictRateHighPending() {
        awaitTrue("ConflictRateHigh pending", () -> "pending".equals(prometheus.alertState("ConflictRateHigh")));

        JsonNode rate =
                prometheus.query("sum(rate(syncbox_conflicts_total[10m])) / sum(rate(syncbox_commits_total[10m]))");
        assertThat(rate).hasSize(1);
        assertThat(Double.parseDouble(rate.get(0).path("value").get(1).asString()))
                .isGreaterThan(0.01);
        // Ten minutes before it fires: pending, not firing.
        assertThat(prometheus.alertState("ConflictRateHigh")).isEqualTo("pending");
    }

    @Test
    void everyDashboardQueryRunsAndNamesSeriesThatExist() throws IOException {
        awaitTrue("ConflictRateHigh pending", () -> "pending".equals(prometheus.alertState("ConflictRateHigh")));
        List<String> queries = new ArrayList<>();
        try (Stream<Path> files = Files.list(DEPLOY.resolve("grafana/dashboards"))) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                collectExprs(new ObjectMapper().readTree(file.toFile()), queries);
            }
        }
        assertThat(queries).hasSizeGreaterThan(20);
        for (String query : queries) {
            String promql = query.replace("$service", ".*")
                    .replace("$__rate_interval", "1m")
                    .replace("$__range", "1h");
            assertThat(promql)
                    .as("only $service, $__rate_interval and $__range: " + query)
                    .doesNotContain("$");
            prometheus.query(promql);
            for (String metric : metrics(promql)) {
                assertThat(prometheus.series(metric))
                        .as(metric + " in " + query)
                        .isPositive();
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everySeriesTheAlertsAndTheirTestsNameIsExportedByTheServiceTheTestsSay() throws IOException {
        Map<String, Object> rules = new Yaml().load(Files.readString(DEPLOY.resolve("prometheus/alerts.yml")));
        Set<String> named = new LinkedHashSet<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                named.addAll(metrics(String.valueOf(rule.get("expr"))));
            }
        }
        assertThat(named).contains("syncbox_conflicts_total", "syncbox_sync_delay_seconds_bucket");
        for (String metric : named) {
            assertThat(prometheus.series(metric))
                    .as(metric + " named by an alert")
                    .isPositive();
        }

        Map<String, Object> tests = new Yaml().load(Files.readString(DEPLOY.resolve("prometheus/alerts_test.yml")));
        Pattern series = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{.*service=\"([^\"]+)\".*}$");
        int checked = 0;
        for (Map<String, Object> test : (List<Map<String, Object>>) tests.get("tests")) {
            for (Map<String, Object> input : (List<Map<String, Object>>) test.get("input_series")) {
                Matcher m = series.matcher(String.valueOf(input.get("series")));
                assertThat(m.matches())
                        .as("a fixture without a service: " + input)
                        .isTrue();
                if (SERVICES.contains(m.group(2))) {
                    assertThat(prometheus.series(m.group(1) + "{service=\"" + m.group(2) + "\"}"))
                            .as(m.group(1) + " exported by " + m.group(2))
                            .isPositive();
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(40);
    }

    /** Every metric name a PromQL expression reads. */
    static Set<String> metrics(String promql) {
        String bare = promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = Pattern.compile("(?<![a-zA-Z0-9_:.])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()")
                .matcher(bare);
        while (m.find()) {
            if (!KEYWORDS.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan");

    private static void collectExprs(JsonNode node, List<String> into) {
        if (node.isObject()) {
            JsonNode expr = node.get("expr");
            if (expr != null && expr.isString() && !expr.asString().isBlank()) {
                into.add(expr.asString());
            }
            node.properties().forEach(e -> collectExprs(e.getValue(), into));
        } else if (node.isArray()) {
            node.forEach(child -> collectExprs(child, into));
        }
    }

    private static String login(String email, String device) {
        Api.Response login = sync.postJson(
                "/auth/login", null, Map.of("email", email, "password", "a long password", "device_name", device));
        assertThat(login.status()).isEqualTo(200);
        return "Bearer " + login.text("access_token");
    }

    private static Api.Response put(String bearer, String path, String text, String parent, String mode) {
        return upload.uploadText(bearer, path, text, parent, mode);
    }

    private static int port(ConfigurableApplicationContext service) {
        return Integer.parseInt(service.getEnvironment().getRequiredProperty("local.server.port"));
    }

    private static void awaitTrue(String what, java.util.function.BooleanSupplier condition) {
        Instant deadline = Instant.now().plusSeconds(90);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within 90 s: " + what);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}

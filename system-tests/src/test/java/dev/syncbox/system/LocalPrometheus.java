package dev.syncbox.system;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A real Prometheus (the {@code prometheus} binary the test command installs from Debian's package)
 * scraping the services of {@link RunningSystem} every second and evaluating the project's own alert
 * rules ({@code deploy/prometheus/alerts.yml}) every second, on a free loopback port.
 */
final class LocalPrometheus implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path dir;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private LocalPrometheus(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Starts Prometheus on the services given as name to port, with {@code rules}; waits until it is ready. */
    static LocalPrometheus start(Map<String, Integer> services, Path rules) throws IOException, InterruptedException {
        Path binary = Stream.of(System.getenv("PATH").split(":"))
                .map(p -> Path.of(p, "prometheus"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "prometheus is not installed: the test command (deploy/local/test.sh) installs Debian's"
                                + " prometheus package"));
        Path dir = Files.createTempDirectory("syncbox-prometheus");
        String targets = services.entrySet().stream()
                .map(e -> "      - targets: [\"127.0.0.1:" + e.getValue() + "\"]\n        labels: { service: "
                        + e.getKey() + " }\n")
                .collect(Collectors.joining());
        Files.writeString(
                dir.resolve("prometheus.yml"),
                "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                        + "rule_files:\n  - " + rules.toAbsolutePath().normalize() + "\n"
                        + "scrape_configs:\n  - job_name: syncbox\n    metrics_path: /actuator/prometheus\n"
                        + "    honor_labels: true\n    static_configs:\n" + targets);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process process = new ProcessBuilder(
                        binary.toString(),
                        "--config.file=" + dir.resolve("prometheus.yml"),
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        LocalPrometheus prometheus = new LocalPrometheus(process, dir, port);
        Instant deadline = Instant.now().plusSeconds(60);
        while (!prometheus.ready()) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                String log = Files.readString(dir.resolve("prometheus.log"));
                prometheus.close();
                throw new AssertionError("prometheus did not start:\n" + log);
            }
            Thread.sleep(200);
        }
        return prometheus;
    }

    private boolean ready() {
        try {
            return http.send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code GET /api/v1/<path>}, its {@code data} once the answer's status is success; else an AssertionError. */
    JsonNode api(String path, Map<String, String> query) {
        String parameters = query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/api/v1/" + path + "?" + parameters))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            if (!"success".equals(body.path("status").asString())) {
                throw new AssertionError(path + " " + query + " answered " + response.statusCode() + ": " + body);
            }
            return body.path("data");
        } catch (IOException e) {
            throw new AssertionError("prometheus did not answer " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** An instant query's result vector. */
    JsonNode query(String promql) {
        return api("query", Map.of("query", promql)).path("result");
    }

    /** How many series Prometheus holds that match {@code selector}. */
    int series(String selector) {
        return api("series", Map.of("match[]", selector)).size();
    }

    /** The state of alert {@code name} now: {@code pending}, {@code firing}, or null when inactive. */
    String alertState(String name) {
        for (JsonNode alert : api("alerts", Map.of()).path("alerts")) {
            if (name.equals(alert.path("labels").path("alertname").asString())) {
                return alert.path("state").asString();
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

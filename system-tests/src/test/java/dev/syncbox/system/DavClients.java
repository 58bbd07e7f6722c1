package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.syncbox.core.hash.Hex;
import dev.syncbox.core.hash.Sha256;
import dev.syncbox.core.id.Ids;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.Multipart;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * What the tests of third-party WebDAV clients share: an account with an app password made the way a user makes one
 * ({@code POST /auth/app-passwords} with their bearer token), the client binaries run as processes with their output
 * kept for the failure message, and the two trees to compare: a local folder and what syncbox's own API lists.
 */
final class DavClients {

    static final String PASSWORD = "a long password";

    /** A registered user: their email (the Basic user name), a bearer token and an app password. */
    record Account(String email, String bearer, String appPassword) {}

    /** A finished client run: its exit code and everything it printed. */
    record Run(String command, int exitCode, String output) {

        /** The output's last lines, and every warning or error line before them: enough to see why a run failed. */
        String report() {
            List<String> lines = output.lines().toList();
            List<String> tail = lines.subList(Math.max(0, lines.size() - 60), lines.size());
            List<String> problems = lines.subList(0, lines.size() - tail.size()).stream()
                    .filter(line -> line.matches("(?i).*(warn|error|critical|fail|fatal|\\b[45]\\d\\d\\b).*"))
                    .toList();
            List<String> shown = problems.subList(Math.max(0, problems.size() - 80), problems.size());
            return command + " exited " + exitCode + "\n--- warnings and errors ---\n" + String.join("\n", shown)
                    + "\n--- last lines ---\n" + String.join("\n", tail);
        }
    }

    private DavClients() {}

    /** Registers a user through the gateway, logs in, and makes an app password named {@code client}. */
    static Account account(Api gateway, String client) {
        String email =
                client.toLowerCase(java.util.Locale.ROOT) + "-" + Ids.newId().toLowerCase() + "@example.test";
        Api.Response registered = gateway.postJson(
                "/auth/register", null, Map.of("email", email, "password", PASSWORD, "name", "Dav " + client));
        assertThat(registered.status()).as("register: %s", registered.body()).isEqualTo(201);
        Api.Response login = gateway.postJson(
                "/auth/login", null, Map.of("email", email, "password", PASSWORD, "device_name", "setup"));
        assertThat(login.status()).as("login: %s", login.body()).isEqualTo(200);
        String bearer = "Bearer " + login.text("access_token");
        Api.Response created = gateway.postJson("/auth/app-passwords", bearer, Map.of("name", client));
        assertThat(created.status())
                .as("POST /auth/app-passwords: %s", created.body())
                .isEqualTo(201);
        String appPassword = created.text("app_password");
        assertThat(appPassword).as("app_password in %s", created.body()).isNotBlank();
        return new Account(email, bearer, appPassword);
    }

    /** Fails with what to install unless {@code command --version} runs. */
    static void requireTool(String command, String aptPackage) {
        try {
            Process process = new ProcessBuilder(command, "--version")
                    .redirectErrorStream(true)
                    .start();
            process.getInputStream().readAllBytes();
            if (process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0) {
                return;
            }
        } catch (IOException e) {
            // not installed: the message below says what to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        fail(command + " is not installed: apt-get install " + aptPackage
                + " (deploy/local/test.sh installs it before the system tests)");
    }

    /**
     * Runs {@code command} in {@code dir} with {@code environment} added, its output (both streams) in {@code log};
     * killed after {@code timeout}.
     */
    static Run run(Path dir, Path log, Map<String, String> environment, Duration timeout, List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            boolean done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            return new Run(
                    String.join(" ", command),
                    done ? process.exitValue() : -1,
                    done ? output : output + "\n(killed after " + timeout + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A folder's tree: each folder as {@code /a/b/} mapped to {@code ""}, each file as {@code /a/b/c.txt} mapped to
     * {@code <size>:<SHA-256>}. Entries whose name starts with a dot are left out: a client's own state (nextcloudcmd's
     * {@code .sync_*.db}), which Nextcloud's client does not sync either.
     */
    static Map<String, String> localTree(Path root) {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                Path relative = root.relativize(p);
                if (relative.toString().isEmpty() || hidden(relative)) {
                    continue;
                }
                String path = "/" + relative.toString().replace('\\', '/');
                tree.put(
                        Files.isDirectory(p) ? path + "/" : path,
                        Files.isDirectory(p) ? "" : Files.size(p) + ":" + sha256(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tree;
    }

    private static boolean hidden(Path relative) {
        for (Path segment : relative) {
            if (segment.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The tree under {@code folder} as syncbox's own API shows it ({@code GET /files/list}, each file's content
     * downloaded by id and hashed), in {@link #localTree}'s form and relative to {@code folder}.
     */
    static Map<String, String> serverTree(Api gateway, String bearer, String folder) {
        Map<String, String> tree = new TreeMap<>();
        String base = folder.equals("/") ? "" : folder;
        List<String> pending = new ArrayList<>(List.of(folder));
        while (!pending.isEmpty()) {
            String path = pending.remove(pending.size() - 1);
            Api.Response listing =
                    gateway.get("/files/list?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8), bearer);
            assertThat(listing.status())
                    .as("GET /files/list?path=%s: %s", path, listing.body())
                    .isEqualTo(200);
            for (JsonNode entry : listing.body().path("entries")) {
                String entryPath = entry.path("path").asString();
                String relative = entryPath.substring(base.length());
                if (entry.path("is_dir").asBoolean()) {
                    tree.put(relative + "/", "");
                    pending.add(entryPath);
                } else {
                    tree.put(relative, entry.path("size").asLong() + ":" + downloadSha256(gateway, bearer, entry));
                }
            }
        }
        return tree;
    }

    private static String downloadSha256(Api gateway, String bearer, JsonNode entry) {
        HttpResponse<InputStream> response = gateway.stream(
                gateway.request("/files/download/" + entry.path("file_id").asString())
                        .timeout(Duration.ofMinutes(10))
                        .header("Authorization", bearer)
                        .GET());
        try (InputStream in = response.body()) {
            assertThat(response.statusCode())
                    .as("download %s", entry.path("path").asString())
                    .isEqualTo(200);
            return sha256(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entry at {@code path} in syncbox's own listing of its folder, or a missing node. */
    static JsonNode serverEntry(Api gateway, String bearer, String path) {
        String parent = path.substring(0, Math.max(1, path.lastIndexOf('/')));
        Api.Response listing =
                gateway.get("/files/list?path=" + URLEncoder.encode(parent, StandardCharsets.UTF_8), bearer);
        for (JsonNode entry : listing.body().path("entries")) {
            if (entry.path("path").asString().equals(path)) {
                return entry;
            }
        }
        return tools.jackson.databind.node.MissingNode.getInstance();
    }

    /** Uploads {@code content} at {@code path} with syncbox's own API, as a new version of the current one if any. */
    static JsonNode upload(Api upload, Api gateway, String bearer, String path, Path content) {
        JsonNode existing = serverEntry(gateway, bearer, path);
        Multipart form = new Multipart().field("file_path", path);
        if (!existing.isMissingNode()) {
            form.field("parent_version_id", existing.path("current_version_id").asString());
        }
        form.file("content", () -> {
            try {
                return Files.newInputStream(content);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Api.Response response = upload.upload("/files/upload", bearer, form);
        assertThat(response.status()).as("upload %s: %s", path, response.body()).isEqualTo(200);
        return response.body();
    }

    /** A file of {@code size} bytes of seeded random content, written a MiB at a time. */
    static Path randomFile(Path file, long size, long seed) {
        Random random = new Random(seed);
        byte[] buffer = new byte[1 << 20];
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                for (long left = size; left > 0; left -= buffer.length) {
                    random.nextBytes(buffer);
                    out.write(buffer, 0, (int) Math.min(buffer.length, left));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Writes {@code text} to {@code file}, creating its folders. */
    static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(InputStream in) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
        }
        return Hex.encode(digest.digest());
    }
}

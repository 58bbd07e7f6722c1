package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.client.Main;
import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.server.testing.Api;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Randomized scenarios end to end: two or three devices of a new account, each the real desktop client on a real
 * folder, against the real services, driven by a seeded schedule: users create, edit, append to, truncate, rename,
 * move, copy and delete files and folders; devices sync, go offline and come back, and are killed with SIGKILL in the
 * middle of a sync; someone deletes, restores, moves and makes folders on the server meanwhile. Then every device syncs
 * until nothing changes, and: every folder equals the server's tree, every content a user wrote (and did not
 * overwrite or delete themselves) is a version on the server, the journal has no gap, every block a version names is
 * stored, and no download is left half-written. {@code sim.e2e.scenarios} (20 unless told) from {@code sim.e2e.seed}
 * (1 unless told); a failure prints its seed and what happened.
 */
class ConvergenceIT {

    private static final String[] NAMES = {"a", "b", "c.txt", "d", "e.md"};

    /**
     * User actions by weight: 0 create, 1 mkdir, 2 edit, 3 append, 4 truncate, 5 delete, 6 and 7 move or rename, 8
     * copy.
     */
    private static final int[] KINDS = {0, 0, 0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8};

    /** Rounds of the final sync, at most: every device syncs once a round. */
    private static final int ROUNDS = 6;

    @TempDir
    static Path temp;

    static RunningSystem system;
    static TestGateway gateway;
    static Api api;
    static JdbcTemplate db;

    @BeforeAll
    static void start() throws IOException {
        system = RunningSystem.get();
        gateway = TestGateway.in(system);
        api = system.api(system.sync);
        db = system.sync.getBean(JdbcTemplate.class);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @Test
    void everyScenarioConvergesAndLosesNothing() throws Exception {
        int count = Integer.getInteger("sim.e2e.scenarios", 20);
        long seed = Long.getLong("sim.e2e.seed", 1L);
        List<String> failures = new ArrayList<>();
        Map<String, Integer> done = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            Scenario scenario = new Scenario(seed + i);
            try {
                scenario.play();
            } catch (AssertionError | RuntimeException e) {
                failures.add(
                        "seed " + scenario.seed + ": " + e.getMessage() + "\n  " + String.join("\n  ", scenario.log));
            }
            for (String line : scenario.log) {
                String[] words = line.split(" ");
                String kind = words.length == 1
                        ? words[0]
                        : words[0].startsWith("dev") ? words[1] : words[0] + " " + words[1];
                done.merge(kind, 1, Integer::sum);
            }
        }
        System.out.println("end-to-end steps: " + done);
        System.out.println("end-to-end scenarios " + seed + " to " + (seed + count - 1) + ": "
                + (count - failures.size()) + " passed, " + failures.size() + " failed");
        assertThat(failures).as("failed scenarios").isEmpty();
    }

    /** One seeded scenario on a new account. */
    static final class Scenario {
        final long seed;
        final Random random;
        final List<String> log = new ArrayList<>();
        final List<DesktopClientIT.Device> devices = new ArrayList<>();
        /** The step until which each device is offline. */
        final List<Integer> offlineUntil = new ArrayList<>();

        /** Contents (content hashes) users wrote that the server must end up holding. */
        final Set<String> owed = new HashSet<>();

        String bearer;
        long namespace;

        Scenario(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
        }

        void play() throws Exception {
            String email = DesktopClientIT.register(api, "sim" + seed, "Ada");
            Path home = Files.createDirectories(temp.resolve("scenario-" + seed));
            int count = 2 + random.nextInt(2);
            for (int d = 0; d < count; d++) {
                devices.add(DesktopClientIT.device(api, email, "dev" + d, gateway, home));
                offlineUntil.add(0);
            }
            Api.Response login = api.postJson(
                    "/auth/login",
                    null,
                    Map.of("email", email, "password", DesktopClientIT.PASSWORD, "device_name", "web"));
            bearer = "Bearer " + login.text("access_token");
            long userId = api.get("/auth/check", bearer).body().path("user_id").asLong();
            namespace = db.queryForObject("SELECT root_namespace_id FROM users WHERE user_id = ?", Long.class, userId);

            int steps = 15 + random.nextInt(16);
            for (int i = 0; i < steps; i++) {
                int d = random.nextInt(devices.size());
                boolean online = offlineUntil.get(d) <= i;
                int x = random.nextInt(100);
                if (x < 55) {
                    user(d);
                } else if (x < 80) {
                    if (online) {
                        sync(d);
                    }
                } else if (x < 85) {
                    if (online) {
                        kill(d);
                    }
                } else if (x < 92) {
                    web();
                } else if (x < 96) {
                    selective(d);
                } else if (online) {
                    offlineUntil.set(d, i + 3 + random.nextInt(6));
                    log.add("dev" + d + " offline until step " + offlineUntil.get(d));
                }
            }
            settle();
            check();
        }

        // ---- what users do to their folders

        void user(int d) throws IOException {
            Path root = devices.get(d).folder();
            List<Path> files = new ArrayList<>();
            List<Path> dirs = new ArrayList<>(List.of(root));
            try (Stream<Path> all = Files.walk(root)) {
                for (Path p : all.filter(p -> !root.relativize(p).startsWith(".syncbox") && !p.equals(root))
                        .sorted()
                        .toList()) {
                    (Files.isDirectory(p) ? dirs : files).add(p);
                }
            }
            Path file = files.isEmpty() ? null : files.get(random.nextInt(files.size()));
            Path dir = dirs.get(random.nextInt(dirs.size()));
            Path target = dir.resolve(NAMES[random.nextInt(NAMES.length)]);
            int kind = KINDS[random.nextInt(KINDS.length)];
            // What the action may take away: contents the user discards themselves are not owed any more.
            Path gone = file != null && (dirs.size() == 1 || random.nextBoolean()) ? file : dir;
            Set<String> before = contents(kind == 5 ? gone : kind >= 2 && kind <= 4 ? file : null);
            String what;
            switch (kind) {
                case 0 -> {
                    what = Files.exists(target) ? null : write(target, fresh());
                }
                case 1 -> {
                    what = Files.exists(target) ? null : "mkdir";
                    if (what != null) {
                        Files.createDirectories(target);
                    }
                }
                case 2 -> what = file == null ? null : write(file, fresh());
                case 3 -> what = file == null ? null : write(file, concat(Files.readAllBytes(file), fresh()));
                case 4 -> {
                    what = null;
                    if (file != null) {
                        byte[] was = Files.readAllBytes(file);
                        what = write(file, java.util.Arrays.copyOf(was, was.length / 2));
                    }
                }
                case 5 -> {
                    what = null;
                    if (!gone.equals(root)) {
                        delete(gone);
                        what = "delete";
                        target = gone;
                    }
                }
                case 6, 7 -> {
                    Path moved = file != null && random.nextBoolean() ? file : dirs.get(random.nextInt(dirs.size()));
                    what = null;
                    if (!moved.equals(root) && !Files.exists(target) && !target.startsWith(moved)) {
                        Files.move(moved, target);
                        what = "move " + rel(root, moved);
                    }
                }
                default -> {
                    what = null;
                    if (file != null && !Files.exists(target)) {
                        Files.copy(file, target);
                        what = "copy " + rel(root, file);
                    }
                }
            }
            if (what == null) {
                return;
            }
            log.add("dev" + d + " " + what + " " + rel(root, target));
            Set<String> still = contents(root);
            for (String c : before) {
                if (!still.contains(c)) {
                    owed.remove(c);
                }
            }
        }

        private String write(Path file, byte[] content) throws IOException {
            Files.write(file, content);
            owed.add(hash(content));
            return "write " + content.length + " bytes to";
        }

        /** New content: lines of text (merged when two devices edit them) or random bytes. */
        private byte[] fresh() {
            if (random.nextBoolean()) {
                StringBuilder text = new StringBuilder();
                int lines = 1 + random.nextInt(20);
                for (int i = 0; i < lines; i++) {
                    text.append("line ")
                            .append(random.nextInt(1000))
                            .append(" of seed ")
                            .append(seed)
                            .append('\n');
                }
                return text.toString().getBytes(StandardCharsets.UTF_8);
            }
            byte[] bytes = new byte[random.nextInt(40_000)];
            random.nextBytes(bytes);
            return bytes;
        }

        // ---- devices

        void sync(int d) {
            log.add("dev" + d + " sync");
            StringWriter out = new StringWriter();
            DesktopClientIT.Device device = devices.get(d);
            Main.run(
                    new PrintWriter(out),
                    new PrintWriter(out),
                    "--config-dir",
                    device.config().toString(),
                    "sync",
                    device.folder().toString(),
                    "--once",
                    "--allow-mass-delete");
        }

        /** A sync as a process of its own, killed with SIGKILL once it has sent a few requests. */
        void kill(int d) throws Exception {
            int requests = 1 + random.nextInt(6);
            log.add("dev" + d + " killed after " + requests + " requests");
            int mark = gateway.mark();
            Process client = DesktopClientIT.syncProcess(devices.get(d), temp, true);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (client.isAlive() && gateway.since(mark).size() < requests && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            client.destroyForcibly().waitFor();
        }

        /** The device leaves out one more folder the server has, or takes one back. */
        void selective(int d) {
            String device = deviceId(d);
            Api.Response now = api.get("/devices/" + device + "/selective-sync", bearer);
            List<String> excluded = new ArrayList<>();
            now.body().path("excluded").forEach(p -> excluded.add(p.asString()));
            List<String> folders = db.queryForList(
                    "SELECT file_path FROM files WHERE namespace_id = ? AND is_dir AND NOT is_deleted ORDER BY file_path",
                    String.class,
                    namespace);
            if (!excluded.isEmpty() && (folders.isEmpty() || random.nextBoolean())) {
                String back = excluded.remove(random.nextInt(excluded.size()));
                log.add("dev" + d + " includes " + back + " again");
            } else if (!folders.isEmpty()) {
                String out = folders.get(random.nextInt(folders.size()));
                excluded.add(out);
                log.add("dev" + d + " leaves out " + out);
            } else {
                return;
            }
            int status = api.putJson("/devices/" + device + "/selective-sync", bearer, Map.of("excluded", excluded))
                    .status();
            if (status != 200) {
                log.add("  -> " + status);
            }
        }

        private String deviceId(int d) {
            try {
                return dev.syncbox.client.config.Credentials.load(devices.get(d).config())
                        .deviceId();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** The folders the device leaves out now. */
        private List<String> excluded(int d) {
            List<String> excluded = new ArrayList<>();
            api.get("/devices/" + deviceId(d) + "/selective-sync", bearer)
                    .body()
                    .path("excluded")
                    .forEach(p -> excluded.add(p.asString()));
            return excluded;
        }

        // ---- someone on the server

        void web() {
            List<Map<String, Object>> live = db.queryForList(
                    "SELECT file_id, file_path, is_dir FROM files WHERE namespace_id = ? AND NOT is_deleted"
                            + " ORDER BY file_path",
                    namespace);
            int kind = random.nextInt(5);
            if (kind == 4) {
                // An older version of a file made current again.
                List<Map<String, Object>> versions = db.queryForList(
                        "SELECT v.file_id, v.version_id, f.file_path FROM file_versions v JOIN files f"
                                + " ON f.file_id = v.file_id WHERE f.namespace_id = ? AND NOT f.is_deleted"
                                + " AND v.version_id <> f.current_version_id ORDER BY v.version_id",
                        namespace);
                List<Map<String, Object>> files =
                        live.stream().filter(f -> !(Boolean) f.get("is_dir")).toList();
                if (versions.isEmpty() && !files.isEmpty()) {
                    // None yet: a new version from the web, which a later restore can go back from.
                    String path =
                            (String) files.get(random.nextInt(files.size())).get("file_path");
                    log.add("web edits " + path + " -> "
                            + api.upload(
                                            "/files/upload",
                                            bearer,
                                            new dev.syncbox.server.testing.Multipart()
                                                    .field("file_path", path)
                                                    .file("content", fresh()))
                                    .status());
                } else if (!versions.isEmpty()) {
                    Map<String, Object> v = versions.get(random.nextInt(versions.size()));
                    log.add("web restores a version of " + v.get("file_path") + " -> "
                            + api.postJson(
                                            "/files/" + v.get("file_id") + "/restore",
                                            bearer,
                                            Map.of("version_id", v.get("version_id")))
                                    .status());
                }
            } else if (kind == 0 && !live.isEmpty()) {
                Map<String, Object> f = live.get(random.nextInt(live.size()));
                log.add("web delete " + f.get("file_path") + " -> "
                        + api.postJson("/files/" + f.get("file_id") + "/delete", bearer, Map.of("move_to_trash", true))
                                .status());
            } else if (kind == 1) {
                JsonNode trash = api.get("/trash", bearer).body().path("entries");
                if (trash.size() > 0) {
                    JsonNode e = trash.get(random.nextInt(trash.size()));
                    log.add("web restore " + e.path("path").asString() + " -> "
                            + api.postJson("/trash/" + e.path("file_id").asString() + "/restore", bearer, Map.of())
                                    .status());
                }
            } else if (kind == 2 && !live.isEmpty()) {
                Map<String, Object> f = live.get(random.nextInt(live.size()));
                String to = folderOf(live) + "/" + NAMES[random.nextInt(NAMES.length)];
                log.add("web move " + f.get("file_path") + " to " + to + " -> "
                        + api.postJson("/files/move", bearer, Map.of("file_id", f.get("file_id"), "to_path", to))
                                .status());
            } else {
                String path = folderOf(live) + "/" + NAMES[random.nextInt(NAMES.length)];
                log.add("web mkdir " + path + " -> "
                        + api.postJson("/files/folder", bearer, Map.of("path", path))
                                .status());
            }
        }

        private String folderOf(List<Map<String, Object>> live) {
            List<String> dirs = new ArrayList<>(List.of(""));
            live.stream().filter(f -> (Boolean) f.get("is_dir")).forEach(f -> dirs.add((String) f.get("file_path")));
            return dirs.get(random.nextInt(dirs.size()));
        }

        // ---- the end

        void settle() throws IOException {
            log.add("settle");
            String before = null;
            for (int round = 0; round < ROUNDS; round++) {
                for (int d = 0; d < devices.size(); d++) {
                    sync(d);
                }
                String now = snapshot();
                if (now.equals(before)) {
                    return;
                }
                before = now;
            }
        }

        /** The server's journal head and every folder's tree. */
        private String snapshot() throws IOException {
            StringBuilder s = new StringBuilder(String.valueOf(db.queryForObject(
                    "SELECT last_seq FROM namespaces WHERE namespace_id = ?", Long.class, namespace)));
            for (DesktopClientIT.Device device : devices) {
                s.append(tree(device.folder()));
            }
            return s.toString();
        }

        void check() throws IOException {
            Map<String, String> server = new TreeMap<>();
            for (Map<String, Object> f : db.queryForList(
                    "SELECT file_path, is_dir, content_hash FROM files WHERE namespace_id = ? AND NOT is_deleted",
                    namespace)) {
                boolean dir = (Boolean) f.get("is_dir");
                server.put(f.get("file_path") + (dir ? "/" : ""), dir ? "" : (String) f.get("content_hash"));
            }
            for (int d = 0; d < devices.size(); d++) {
                List<String> out = excluded(d);
                Map<String, String> wanted = new TreeMap<>(server);
                wanted.keySet()
                        .removeIf(path -> out.stream().anyMatch(x -> {
                            String p = path.toLowerCase(java.util.Locale.ROOT);
                            String f = x.toLowerCase(java.util.Locale.ROOT);
                            return p.equals(f) || p.startsWith(f + "/");
                        }));
                assertThat(tree(devices.get(d).folder()))
                        .as("dev%d's folder against the server's tree, leaving out %s", d, out)
                        .isEqualTo(wanted);
                Path tmp = devices.get(d).folder().resolve(".syncbox/tmp");
                if (Files.isDirectory(tmp)) {
                    try (Stream<Path> left = Files.list(tmp)) {
                        assertThat(left.toList())
                                .as("dev%d's half-written downloads", d)
                                .isEmpty();
                    }
                }
            }
            Set<String> kept = new HashSet<>(db.queryForList(
                    "SELECT DISTINCT v.content_hash FROM file_versions v JOIN files f ON f.file_id = v.file_id"
                            + " WHERE f.namespace_id = ?",
                    String.class,
                    namespace));
            Set<String> lost = new HashSet<>(owed);
            lost.removeAll(kept);
            assertThat(lost).as("contents written and not kept as any version").isEmpty();
            Map<String, Object> journal = db.queryForMap(
                    "SELECT count(*) AS entries, coalesce(max(seq), 0) AS head, count(DISTINCT seq) AS distinct_seqs"
                            + " FROM journal WHERE namespace_id = ?",
                    namespace);
            assertThat(journal.get("entries"))
                    .as("journal without gaps: %s", journal)
                    .isEqualTo(journal.get("head"))
                    .isEqualTo(journal.get("distinct_seqs"));
            List<String> missing = db.queryForList(
                    "SELECT DISTINCT b FROM file_versions v JOIN files f ON f.file_id = v.file_id,"
                            + " unnest(v.block_ids) AS b WHERE f.namespace_id = ?"
                            + " AND NOT EXISTS (SELECT 1 FROM file_blocks k WHERE k.block_id = b)",
                    String.class,
                    namespace);
            assertThat(missing).as("blocks named by a version and not stored").isEmpty();
        }
    }

    /** Every entry under the folder but the client's own: folders end in '/', files map to their content hash. */
    static Map<String, String> tree(Path folder) throws IOException {
        return DesktopClientIT.tree(folder, ConvergenceIT::hash);
    }

    /** The content hashes of the files at or under {@code at} (null: none). */
    static Set<String> contents(Path at) throws IOException {
        Set<String> all = new HashSet<>();
        if (at == null || !Files.exists(at)) {
            return all;
        }
        try (Stream<Path> files = Files.walk(at)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                if (!p.toString().contains("/.syncbox/")) {
                    all.add(hash(Files.readAllBytes(p)));
                }
            }
        }
        return all;
    }

    static String hash(byte[] content) {
        ContentHasher hasher = new ContentHasher();
        hasher.update(content, 0, content.length);
        return hasher.hexDigest();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    static void delete(Path p) throws IOException {
        try (Stream<Path> all = Files.walk(p)) {
            for (Path q : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    static String rel(Path root, Path p) {
        return "/" + root.relativize(p).toString();
    }
}

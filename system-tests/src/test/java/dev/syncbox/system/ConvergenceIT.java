package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.client.Main;
import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.server.blockstore.BlockStore;
import dev.syncbox.server.testing.Api;
import dev.syncbox.upload.maintenance.BlockReaper;
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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Randomized scenarios end to end: two or three devices of a new account, each the real desktop client on a real
 * folder, against the real services, driven by a seeded schedule: users create, edit, append to, truncate, rename,
 * move, copy and delete files and folders; devices sync, go offline and come back, and are killed with SIGKILL in the
 * middle of a sync; someone deletes, restores, moves and makes folders on the server meanwhile. Then every device syncs
 * until nothing changes, and: every folder equals the server's tree, every content a user wrote (and did not
 * overwrite or delete themselves) is a version on the server, the journal has no gap, every block the accounts sent or
 * a version names has the refcount its versions give it and is in S3 if one does, and no download is left half-written. {@code sim.e2e.scenarios} (20 unless told) from {@code sim.e2e.seed}
 * (1 unless told); a failure prints its seed and what happened, and the first of a run its steps minimized too
 * ({@code sim.e2e.steps} replays only the steps listed).
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
    static BlockStore blockStore;
    static BlockReaper reaper;

    @BeforeAll
    static void start() throws IOException {
        system = RunningSystem.get();
        gateway = TestGateway.in(system);
        api = system.api(system.sync);
        db = system.sync.getBean(JdbcTemplate.class);
        blockStore = system.upload.getBean(BlockStore.class);
        reaper = system.upload.getBean(BlockReaper.class);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @Test
    void everyScenarioConvergesAndLosesNothing() throws Exception {
        int count = Integer.getInteger("sim.e2e.scenarios", 20);
        long seed = Long.getLong("sim.e2e.seed", 1L);
        String only = System.getProperty("sim.e2e.steps", "");
        List<String> failures = new ArrayList<>();
        Map<String, Integer> done = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            Scenario scenario = new Scenario(seed + i, only.isBlank() ? null : steps(only));
            String failure = scenario.failure();
            if (failure != null) {
                StringBuilder report = new StringBuilder(
                        "seed " + scenario.seed + ": " + failure + "\n  " + String.join("\n  ", scenario.log));
                if (failures.isEmpty() && only.isBlank()) {
                    // The first failure of a run is minimized: each try is a whole scenario on a new account.
                    Scenario least = minimize(scenario);
                    report.append("\n  minimized to steps ")
                            .append(least.only)
                            .append(" of ")
                            .append(scenario.stepCount)
                            .append(" (replay: reliability/simulate.sh --stack --scenarios 1 --seed ")
                            .append(scenario.seed)
                            .append(" --steps ")
                            .append(least.only.stream().map(String::valueOf).collect(Collectors.joining(",")))
                            .append("): ")
                            .append(least.failure)
                            .append("\n  ")
                            .append(String.join("\n  ", least.log));
                }
                failures.add(report.toString());
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

    /** Tries of a scenario with fewer steps while minimizing a failure, at most. */
    private static final int MINIMIZING_TRIES = 24;

    /**
     * The fewest steps of {@code failed} found to fail still: steps are taken out, halves first, while it fails. Each
     * step draws its choices from a seed of its own, so the steps kept do what they did (as far as what they act on is
     * still there).
     */
    static Scenario minimize(Scenario failed) {
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < failed.stepCount; i++) {
            kept.add(i);
        }
        Scenario least = null;
        int tries = 0;
        for (int chunk = Math.max(1, kept.size() / 2); chunk >= 1 && tries < MINIMIZING_TRIES; chunk /= 2) {
            for (int from = 0; from < kept.size() && tries < MINIMIZING_TRIES; ) {
                List<Integer> fewer = new ArrayList<>(kept);
                fewer.subList(from, Math.min(from + chunk, fewer.size())).clear();
                Scenario attempt = new Scenario(failed.seed, new java.util.TreeSet<>(fewer));
                tries++;
                if (attempt.failure() != null) {
                    kept = fewer;
                    least = attempt;
                } else {
                    from += chunk;
                }
            }
        }
        return least != null ? least : failed.replayed(kept);
    }

    static Set<Integer> steps(String list) {
        Set<Integer> steps = new java.util.TreeSet<>();
        for (String n : list.split(",")) {
            steps.add(Integer.parseInt(n.trim()));
        }
        return steps;
    }

    /** One seeded scenario on a new account. */
    static final class Scenario {
        final long seed;
        /** The steps played (null: all). */
        final Set<Integer> only;
        /** The draws of the current step: the scenario's at the start, then each step's own. */
        Random random;

        int stepCount;
        /** Why it failed, once played (null: it passed). */
        String failure;

        final List<String> log = new ArrayList<>();
        final List<DesktopClientIT.Device> devices = new ArrayList<>();
        /** Whose each device is. */
        final List<Person> owners = new ArrayList<>();
        /** The step until which each device is offline. */
        final List<Integer> offlineUntil = new ArrayList<>();

        /** Contents (content hashes) users wrote that the server must end up holding. */
        final Set<String> owed = new HashSet<>();

        /** The account whose folders everything happens in, and (in every other scenario) one it shares with. */
        Person ada;

        Person bob;

        Scenario(long seed, Set<Integer> only) {
            this.seed = seed;
            this.only = only;
        }

        /** Plays the scenario; answers why it failed, or null. */
        String failure() {
            try {
                play();
            } catch (Exception | AssertionError e) {
                failure = String.valueOf(e.getMessage());
            }
            return failure;
        }

        /** The failed scenario itself when no fewer steps failed: its steps, listed. */
        Scenario replayed(List<Integer> steps) {
            Scenario same = new Scenario(seed, new java.util.TreeSet<>(steps));
            same.failure = failure;
            same.log.addAll(log);
            return same;
        }

        private void addDevice(Person owner, String name, Path home) throws IOException {
            devices.add(DesktopClientIT.device(api, owner.email(), name, gateway, home));
            owners.add(owner);
            offlineUntil.add(0);
        }

        void play() throws Exception {
            Path home = Files.createTempDirectory(temp, "scenario-" + seed + "-");
            random = new Random(seed);
            ada = Person.register("sim" + seed, "Ada");
            int count = 2 + random.nextInt(2);
            for (int d = 0; d < count; d++) {
                addDevice(ada, "dev" + d, home);
            }
            if (random.nextBoolean()) {
                bob = Person.register("sim" + seed + "-bob", "Bob");
                addDevice(bob, "dev" + count, home);
                log.add("Bob has dev" + count);
            }

            stepCount = 15 + random.nextInt(16);
            List<long[]> draws = new ArrayList<>();
            for (int i = 0; i < stepCount; i++) {
                draws.add(new long[] {random.nextInt(devices.size()), random.nextInt(100), random.nextLong()});
            }
            for (int i = 0; i < stepCount; i++) {
                if (only != null && !only.contains(i)) {
                    continue;
                }
                int d = (int) draws.get(i)[0];
                int x = (int) draws.get(i)[1];
                random = new Random(draws.get(i)[2]);
                boolean online = offlineUntil.get(d) <= i;
                if (x < 52) {
                    user(d);
                } else if (x < 75) {
                    if (online) {
                        sync(d);
                    }
                } else if (x < 80) {
                    if (online) {
                        kill(d);
                    }
                } else if (x < 87) {
                    web();
                } else if (bob == null ? x < 97 : x < 89) {
                    selective(d);
                } else if (x < 97) {
                    share();
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
            String bearer = owners.get(d).bearer();
            Api.Response now = api.get("/devices/" + device + "/selective-sync", bearer);
            List<String> excluded = new ArrayList<>();
            now.body().path("excluded").forEach(p -> excluded.add(p.asString()));
            List<String> folders = serverTree(owners.get(d)).keySet().stream()
                    .filter(p -> p.endsWith("/"))
                    .map(p -> p.substring(0, p.length() - 1))
                    .toList();
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
            api.get("/devices/" + deviceId(d) + "/selective-sync", owners.get(d).bearer())
                    .body()
                    .path("excluded")
                    .forEach(p -> excluded.add(p.asString()));
            return excluded;
        }

        // ---- someone on the server

        void web() {
            long namespace = ada.namespace();
            String bearer = ada.bearer();
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
            StringBuilder s = new StringBuilder(String.valueOf(db.queryForList(
                    "SELECT last_seq FROM namespaces WHERE namespace_id = ANY(?) OR parent_namespace_id = ?"
                            + " ORDER BY namespace_id",
                    Long.class,
                    namespaces(),
                    ada.namespace())));
            for (DesktopClientIT.Device device : devices) {
                s.append(tree(device.folder()));
            }
            return s.toString();
        }

        void check() throws IOException {
            // What a device wrote into a share it may only read stays on that device (an edit set aside as a
            // conflicted copy, a new file or folder): those entries, and only those, may be here and not on the server.
            Set<String> keptHere = new HashSet<>();
            for (int d = 0; d < devices.size(); d++) {
                List<String> out = excluded(d);
                List<String> readOnly = readOnlyMounts(owners.get(d));
                Map<String, String> wanted = serverTree(owners.get(d));
                wanted.keySet()
                        .removeIf(path -> under(path.endsWith("/") ? path.substring(0, path.length() - 1) : path, out));
                Map<String, String> has = tree(devices.get(d).folder());
                has.entrySet().removeIf(e -> {
                    String path = e.getKey().endsWith("/")
                            ? e.getKey().substring(0, e.getKey().length() - 1)
                            : e.getKey();
                    if (wanted.containsKey(e.getKey()) || !under(path, readOnly)) {
                        return false;
                    }
                    keptHere.add(e.getValue());
                    log.add("Bob keeps-here " + e.getKey());
                    return true;
                });
                assertThat(has)
                        .as(
                                "dev%d's folder against the server's tree, leaving out %s and what stays here in %s",
                                d, out, readOnly)
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
                            + " WHERE f.namespace_id = ANY(?)",
                    String.class,
                    (Object) namespaces()));
            Set<String> lost = new HashSet<>(owed);
            lost.removeAll(kept);
            lost.removeAll(keptHere);
            assertThat(lost).as("contents written and not kept as any version").isEmpty();
            // Every journal: both accounts' and those of the items Ada shares.
            List<Map<String, Object>> journals = db.queryForList(
                    "SELECT n.namespace_id, count(j.seq) AS entries, coalesce(max(j.seq), 0) AS head,"
                            + " count(DISTINCT j.seq) AS distinct_seqs, n.last_seq FROM namespaces n"
                            + " LEFT JOIN journal j ON j.namespace_id = n.namespace_id"
                            + " WHERE n.namespace_id = ANY(?) OR n.parent_namespace_id = ?"
                            + " GROUP BY n.namespace_id, n.last_seq",
                    namespaces(),
                    ada.namespace());
            for (Map<String, Object> journal : journals) {
                assertThat(((Number) journal.get("entries")).longValue())
                        .as("journal without gaps: %s", journal)
                        .isEqualTo(((Number) journal.get("head")).longValue())
                        .isEqualTo(((Number) journal.get("distinct_seqs")).longValue())
                        .isEqualTo(((Number) journal.get("last_seq")).longValue());
            }
            // Every block the two accounts sent or a version of theirs names: its refcount is the number of versions
            // naming it (one too many and it is never collected, one too few and a version can lose it), so one no
            // version names is garbage the collector takes after the grace; one a version names is stored, in S3.
            List<Map<String, Object>> blocks = db.queryForList(
                    "WITH mine AS (SELECT DISTINCT b AS id FROM file_versions v JOIN files f ON f.file_id = v.file_id,"
                            + " unnest(v.block_ids) AS b WHERE f.namespace_id = ANY(?)"
                            + " UNION SELECT block_id FROM block_grants WHERE user_id = ANY(?)),"
                            + " named AS (SELECT b AS id, count(DISTINCT v.version_id) AS n FROM file_versions v,"
                            + " unnest(v.block_ids) AS b WHERE b IN (SELECT id FROM mine) GROUP BY b)"
                            + " SELECT m.id, k.refcount, coalesce(n.n, 0) AS named, coalesce(k.stored, false) AS stored"
                            + " FROM mine m LEFT JOIN file_blocks k ON k.block_id = m.id LEFT JOIN named n ON n.id = m.id",
                    namespaces(),
                    users());
            List<String> wrong = new ArrayList<>();
            for (Map<String, Object> block : blocks) {
                long named = ((Number) block.get("named")).longValue();
                Number refcount = (Number) block.get("refcount");
                String id = (String) block.get("id");
                if (refcount == null || refcount.longValue() != named) {
                    wrong.add(id + " refcount " + refcount + ", named by " + named + " versions");
                } else if (named > 0 && (!(Boolean) block.get("stored") || !blockStore.exists(id))) {
                    wrong.add(id + " named by " + named + " versions and not stored");
                }
            }
            assertThat(wrong).as("blocks of %d", blocks.size()).isEmpty();

            // The grace passes for the blocks no version names, and the collector runs on them: each goes, its S3
            // object too, but for one an unfinished upload session still names; every block a version names stays.
            String[] garbage = blocks.stream()
                    .filter(b -> ((Number) b.get("named")).longValue() == 0)
                    .map(b -> (String) b.get("id"))
                    .toArray(String[]::new);
            db.update(
                    "UPDATE file_blocks SET last_accessed_at = now() - interval '400 days' WHERE block_id = ANY(?)",
                    (Object) garbage);
            new TransactionTemplate(system.upload.getBean(PlatformTransactionManager.class))
                    .executeWithoutResult(t -> reaper.tombstone(List.of(garbage)));
            reaper.reap();
            List<String> uncollected = db.queryForList(
                    "SELECT block_id FROM file_blocks b WHERE block_id = ANY(?) AND NOT EXISTS"
                            + " (SELECT 1 FROM upload_sessions s WHERE s.block_ids @> ARRAY[b.block_id::text])",
                    String.class,
                    (Object) garbage);
            assertThat(uncollected)
                    .as("blocks no version names, past the grace, after the collector ran")
                    .isEmpty();
            for (String id : garbage) {
                if (db.queryForList("SELECT 1 FROM file_blocks WHERE block_id = ?", id)
                        .isEmpty()) {
                    assertThat(blockStore.exists(id))
                            .as("S3 object of collected block %s", id)
                            .isFalse();
                }
            }
            for (Map<String, Object> block : blocks) {
                if (((Number) block.get("named")).longValue() > 0) {
                    assertThat(blockStore.exists((String) block.get("id")))
                            .as("block %s named by a version, after the collector ran", block.get("id"))
                            .isTrue();
                }
            }
        }

        /** The scenario's accounts. */
        Long[] users() {
            return people().stream().map(Person::userId).toArray(Long[]::new);
        }

        private List<Person> people() {
            return bob == null ? List.of(ada) : List.of(ada, bob);
        }

        /** The root namespaces of the scenario's accounts. */
        Long[] namespaces() {
            return people().stream().map(Person::namespace).toArray(Long[]::new);
        }

        // ---- sharing

        /** Ada shares a file or folder with Bob (mostly to edit, sometimes to read), takes a share back, or Bob leaves one. */
        void share() {
            if (bob == null) {
                return;
            }
            List<Map<String, Object>> shares = db.queryForList(
                    "SELECT s.share_id, s.file_id, s.mount_path, s.permission FROM shared_items s"
                            + " WHERE s.shared_with_user_id = ? ORDER BY s.share_id",
                    bob.userId());
            if (!shares.isEmpty() && random.nextInt(3) == 0) {
                Map<String, Object> s = shares.get(random.nextInt(shares.size()));
                Person who = random.nextBoolean() ? ada : bob;
                int status = api.json(api.request("/files/" + s.get("file_id") + "/share/" + s.get("share_id"))
                                .header("Authorization", who.bearer())
                                .DELETE())
                        .status();
                log.add((who == ada ? "Ada takes back " : "Bob leaves ") + s.get("mount_path") + " -> " + status);
                return;
            }
            List<Map<String, Object>> live = db.queryForList(
                    "SELECT file_id, file_path FROM files WHERE namespace_id = ? AND NOT is_deleted ORDER BY file_path",
                    ada.namespace());
            if (live.isEmpty()) {
                return;
            }
            Map<String, Object> f = live.get(random.nextInt(live.size()));
            String permission = random.nextInt(5) == 0 ? "READ" : "READ_WRITE";
            log.add("Ada shares " + f.get("file_path") + " " + permission + " -> "
                    + api.postJson(
                                    "/files/" + f.get("file_id") + "/share",
                                    ada.bearer(),
                                    Map.of("email", bob.email(), "permission", permission))
                            .status());
        }

        /** Where the items shared with {@code person} read-only are mounted (theirs to read, not to change). */
        private List<String> readOnlyMounts(Person person) {
            return db.queryForList(
                    "SELECT mount_path FROM shared_items WHERE shared_with_user_id = ? AND permission = 'READ'",
                    String.class,
                    person.userId());
        }

        /**
         * What {@code person} has on the server: their own tree and, at each mount point, what is under a live item
         * shared with them. Folders end in '/', files map to their content hash.
         */
        Map<String, String> serverTree(Person person) {
            Map<String, String> tree = new TreeMap<>();
            Map<Long, List<Map<String, Object>>> rows = new java.util.HashMap<>();
            for (Map<String, Object> f : rows.computeIfAbsent(person.namespace(), this::rows)) {
                put(tree, (String) f.get("file_path"), f);
            }
            for (Map<String, Object> s : db.queryForList(
                    "SELECT f.namespace_id, f.file_path, s.mount_path FROM shared_items s"
                            + " JOIN files f ON f.file_id = s.file_id WHERE s.shared_with_user_id = ? AND NOT f.is_deleted",
                    person.userId())) {
                String item = (String) s.get("file_path");
                String mount = (String) s.get("mount_path");
                for (Map<String, Object> f : rows.computeIfAbsent((Long) s.get("namespace_id"), this::rows)) {
                    String path = (String) f.get("file_path");
                    if (path.equals(item) || path.startsWith(item + "/")) {
                        put(tree, mount + path.substring(item.length()), f);
                    }
                }
            }
            return tree;
        }

        private List<Map<String, Object>> rows(long namespace) {
            return db.queryForList(
                    "SELECT file_path, is_dir, content_hash FROM files WHERE namespace_id = ? AND NOT is_deleted",
                    namespace);
        }

        private static void put(Map<String, String> tree, String path, Map<String, Object> f) {
            boolean dir = (Boolean) f.get("is_dir");
            tree.put(path + (dir ? "/" : ""), dir ? "" : (String) f.get("content_hash"));
        }
    }

    /** An account: its email, a bearer token of a web session, its id and root namespace. */
    record Person(String email, String bearer, long userId, long namespace) {

        static Person register(String prefix, String name) throws IOException {
            String email = DesktopClientIT.register(api, prefix, name);
            Api.Response login = api.postJson(
                    "/auth/login",
                    null,
                    Map.of("email", email, "password", DesktopClientIT.PASSWORD, "device_name", "web"));
            String bearer = "Bearer " + login.text("access_token");
            long userId = api.get("/auth/check", bearer).body().path("user_id").asLong();
            long namespace =
                    db.queryForObject("SELECT root_namespace_id FROM users WHERE user_id = ?", Long.class, userId);
            return new Person(email, bearer, userId, namespace);
        }
    }

    /** Whether {@code path} is one of {@code roots} or under one, case aside (as the server compares paths). */
    static boolean under(String path, List<String> roots) {
        String p = path.toLowerCase(java.util.Locale.ROOT);
        return roots.stream()
                .map(r -> r.toLowerCase(java.util.Locale.ROOT))
                .anyMatch(r -> p.equals(r) || p.startsWith(r + "/"));
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

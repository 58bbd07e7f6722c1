package dev.syncbox.sync.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.TestAccounts.TestUser;
import dev.syncbox.sync.SyncServiceIT;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Random trees, random changes made at random points while a new device pages its feed with random
 * small limits: the device, applying the feed by the rules of docs/sync.md, ends with exactly the
 * server's tree (paths, file ids, version ids). A failure prints its seed and what happened; rerun
 * one with {@code -Dfeed.seed=N}.
 */
class FeedConvergenceIT extends SyncServiceIT {

    private static final String[] NAMES = {"a", "B", "m", "m2", "Y", "z", "zz"};

    @Test
    void aDeviceFollowingItsFeedEndsWithTheServersTree() {
        String fixed = System.getProperty("feed.seed");
        long base = fixed != null ? Long.parseLong(fixed) : System.nanoTime();
        int tries = fixed != null ? 1 : 6;
        long started = System.nanoTime();
        for (int i = 0; i < tries; i++) {
            long seed = base + i;
            TestUser owner = accounts.create();
            Run run = new Run(seed, owner, accounts.secondDevice(owner));
            try {
                run.play();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(run.report(), e);
            }
        }
        System.out.printf(
                "%d random runs from seed %d converged in %.1f s%n", tries, base, (System.nanoTime() - started) / 1e9);
    }

    /** One seeded scenario. */
    private final class Run {
        final long seed;
        final Random random;
        final TestUser writer;
        final TestUser reader;
        final ModelClient model = new ModelClient();
        final List<String> log = new ArrayList<>();
        final List<String> trashed = new ArrayList<>();
        String cursor;

        Run(long seed, TestUser writer, TestUser reader) {
            this.seed = seed;
            this.random = new Random(seed);
            this.writer = writer;
            this.reader = reader;
        }

        void play() {
            int initial = 6 + random.nextInt(10);
            for (int i = 0; i < initial; i++) {
                if (random.nextInt(3) == 0) {
                    mkdirAt(randomNewPath());
                } else {
                    upload(randomNewPath());
                }
            }
            int steps = 20 + random.nextInt(10);
            for (int i = 0; i < steps; i++) {
                if (random.nextInt(5) < 2) {
                    page(1 + random.nextInt(3));
                } else {
                    change();
                }
            }
            while (page(3)) {
                // until has_more is false
            }
            assertThat(model.violations()).isEmpty();
            assertThat(model.tree()).isEqualTo(live());
        }

        boolean page(int limit) {
            Api.Response page = sync(reader, cursor, limit);
            assertThat(page.status()).as(page.body().toString()).isEqualTo(200);
            model.applyAll(page.body().path("changes"));
            cursor = page.text("next_cursor");
            log.add("page limit=" + limit + " -> " + page.body().path("changes").size());
            return page.body().path("has_more").asBoolean();
        }

        void change() {
            List<Map.Entry<String, String>> entries = new ArrayList<>(liveIds().entrySet());
            switch (random.nextInt(8)) {
                case 0 -> upload(randomNewPath());
                case 1 -> mkdirAt(randomNewPath());
                case 2 -> {
                    if (!entries.isEmpty()) {
                        String path = pick(entries).getKey();
                        if (!isDir(path)) {
                            upload(path);
                        }
                    }
                }
                case 3, 4 -> {
                    if (!entries.isEmpty()) {
                        String from = pick(entries).getKey();
                        String to = SyncPath.child(randomFolder(), pickName());
                        request("move " + from + " -> " + to, move(writer, from, to));
                    }
                }
                case 5 -> {
                    if (!entries.isEmpty()) {
                        String from = pick(entries).getKey();
                        String to = SyncPath.child(SyncPath.parent(from), renamed(from));
                        request("rename " + from + " -> " + to, move(writer, from, to));
                    }
                }
                case 6 -> {
                    if (!entries.isEmpty()) {
                        Map.Entry<String, String> gone = pick(entries);
                        Api.Response r =
                                api.postJson("/files/" + gone.getValue() + "/delete", writer.bearer(), Map.of());
                        if (request("delete " + gone.getKey(), r)) {
                            trashed.add(gone.getValue());
                        }
                    }
                }
                default -> {
                    if (!trashed.isEmpty()) {
                        String id = trashed.remove(random.nextInt(trashed.size()));
                        Api.Response r = api.postJson("/trash/" + id + "/restore", writer.bearer(), Map.of());
                        request("restore " + id + (r.status() == 200 ? " at " + r.text("path") : ""), r);
                    }
                }
            }
        }

        private String renamed(String path) {
            String name = SyncPath.name(path);
            return random.nextBoolean() ? flipCase(name) : pickName();
        }

        private static String flipCase(String name) {
            return name.equals(name.toUpperCase()) ? name.toLowerCase() : name.toUpperCase();
        }

        boolean request(String what, Api.Response response) {
            log.add(what + " -> " + response.status());
            return response.status() / 100 == 2;
        }

        void upload(String path) {
            try {
                commit(writer, path, "seed " + seed + " " + random.nextLong());
                log.add("upload " + path);
            } catch (RuntimeException e) {
                log.add("upload " + path + " -> " + e.getMessage());
            }
        }

        void mkdirAt(String path) {
            request("mkdir " + path, mkdir(writer, path));
        }

        String randomNewPath() {
            return SyncPath.child(randomFolder(), pickName());
        }

        String randomFolder() {
            List<String> folders = new ArrayList<>(List.of("/"));
            liveIds().keySet().stream().filter(this::isDir).forEach(folders::add);
            return folders.get(random.nextInt(folders.size()));
        }

        String pickName() {
            return NAMES[random.nextInt(NAMES.length)] + (random.nextInt(3) == 0 ? ".txt" : "");
        }

        <T> T pick(List<T> from) {
            return from.get(random.nextInt(from.size()));
        }

        boolean isDir(String path) {
            return Boolean.TRUE.equals(jdbc.queryForObject(
                    "SELECT bool_or(is_dir) FROM files WHERE namespace_id = ? AND file_path = ? AND NOT is_deleted",
                    Boolean.class,
                    writer.namespaceId(),
                    path));
        }

        /** path → file id, live. */
        Map<String, String> liveIds() {
            Map<String, String> ids = new TreeMap<>();
            jdbc.query(
                    "SELECT file_path, file_id FROM files WHERE namespace_id = ? AND NOT is_deleted",
                    rs -> {
                        ids.put(rs.getString(1), rs.getString(2));
                    },
                    writer.namespaceId());
            return ids;
        }

        Map<String, String> live() {
            Map<String, String> tree = new TreeMap<>();
            jdbc.query(
                    "SELECT file_path, file_id, current_version_id, is_dir FROM files WHERE namespace_id = ?"
                            + " AND NOT is_deleted",
                    rs -> {
                        tree.put(
                                rs.getString(1),
                                ModelClient.describe(rs.getString(2), rs.getString(3), rs.getBoolean(4)));
                    },
                    writer.namespaceId());
            return tree;
        }

        String report() {
            return "seed " + seed + " (rerun with -Dfeed.seed=" + seed + ")\nwhat happened:\n  "
                    + String.join("\n  ", log) + "\nwhat the device applied:\n  "
                    + String.join("\n  ", model.applied()) + "\nviolations: " + model.violations();
        }
    }
}

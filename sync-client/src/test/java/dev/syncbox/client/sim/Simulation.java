package dev.syncbox.client.sim;

import dev.syncbox.client.engine.DeleteGuard;
import dev.syncbox.client.plan.Paths;
import dev.syncbox.client.plan.RemoteEntry;
import dev.syncbox.client.sync.RemoteSide;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * Many devices running the client's real engine (feed reader, planner, reconciler, synced and remote trees) against
 * the model server, on one thread, every choice drawn from one seed: users change their folders, devices sync, go
 * offline and come back, crash and restart from what their state database had committed, while calls fail before or
 * after they reach the server, batched uploads land in another order, other devices sync in the middle of a pass and
 * the feed is compacted under them; other users share folders with the account and take them back, and its devices
 * move things into and out of those shares, and leave them by deleting them. At the end, with every device online and no faults, each device syncs until
 * nothing is left to do; then every folder equals the server's tree, every device's records agree with it, and every
 * content a user wrote (and did not themselves overwrite or delete) is a version on the server.
 */
public final class Simulation {

    static final String DATE = "2026-12-04";
    static final String[] NAMES = {"a", "b", "A", "c.txt", "C.TXT", "d", "e.md"};

    /** Rounds of the final sync, at most: every device syncs once a round. */
    static final int FINAL_ROUNDS = 12;

    /** One step of a scenario. */
    public sealed interface Step permits User, Sync, Web, Offline, Online, Compact {}

    /** A user changes the device's folder: {@code kind} says how, the rest which entry, folder and name. */
    public record User(int device, int kind, int target, int dest, int name) implements Step {
        @Override
        public String toString() {
            return "user@" + device + " " + USER_KINDS[kind] + " target=" + target + " dest=" + dest + " name="
                    + NAMES[name];
        }
    }

    /** The device syncs; {@code faults} seeds what goes wrong and what happens meanwhile (0: nothing). */
    public record Sync(int device, long faults) implements Step {
        @Override
        public String toString() {
            return "sync@" + device + (faults == 0 ? "" : " faults=" + faults);
        }
    }

    /** Someone changes the server's tree directly (the web app, another client): {@code kind} says how. */
    public record Web(int kind, int target, int dest, int name) implements Step {
        @Override
        public String toString() {
            return "web " + WEB_KINDS[kind] + " target=" + target + " dest=" + dest + " name=" + NAMES[name];
        }
    }

    public record Offline(int device) implements Step {}

    public record Online(int device) implements Step {}

    /** The server compacts its journal: every device's cursor is refused and it lists again. */
    public record Compact() implements Step {}

    public record Scenario(long seed, int devices, List<Step> steps) {}

    static final String[] USER_KINDS = {
        "create", "mkdir", "edit", "append", "truncate", "delete", "move", "case-rename", "copy"
    };
    static final String[] WEB_KINDS = {"create", "edit", "delete", "move", "restore", "mkdir", "share", "unshare"};

    /** The scenario a seed stands for: 2 to 5 devices and 10 to 60 steps. */
    public static Scenario generate(long seed) {
        Random r = new Random(seed);
        int devices = 2 + r.nextInt(4);
        int count = 10 + r.nextInt(51);
        List<Step> steps = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int x = r.nextInt(100);
            int device = r.nextInt(devices);
            if (x < 45) {
                steps.add(new User(
                        device, r.nextInt(USER_KINDS.length), r.nextInt(40), r.nextInt(40), r.nextInt(NAMES.length)));
            } else if (x < 82) {
                steps.add(new Sync(device, r.nextInt(10) < 7 ? 1 + r.nextInt(Integer.MAX_VALUE) : 0));
            } else if (x < 90) {
                steps.add(new Web(r.nextInt(WEB_KINDS.length), r.nextInt(40), r.nextInt(40), r.nextInt(NAMES.length)));
            } else if (x < 94) {
                steps.add(new Offline(device));
            } else if (x < 98) {
                steps.add(new Online(device));
            } else {
                steps.add(new Compact());
            }
        }
        return new Scenario(seed, devices, steps);
    }

    /** Runs the scenario; null when every check holds, else what failed. */
    public static String run(Scenario scenario) {
        try {
            new World(scenario, null).play();
            return null;
        } catch (AssertionError | RuntimeException | IOException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /** Runs the scenario and answers what happened, step by step, and how it ended. */
    public static List<String> trace(Scenario scenario) {
        List<String> trace = new ArrayList<>();
        try {
            new World(scenario, trace).play();
            trace.add("passed");
        } catch (AssertionError | RuntimeException | IOException e) {
            trace.add(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return trace;
    }

    /**
     * The smallest list of the scenario's steps (found by removing steps while it still fails) that still fails, and
     * how.
     */
    public static Scenario minimize(Scenario failing) {
        List<Step> steps = new ArrayList<>(failing.steps());
        for (int chunk = Math.max(1, steps.size() / 2); chunk >= 1; chunk /= 2) {
            boolean removed = true;
            while (removed) {
                removed = false;
                for (int at = 0; at + chunk <= steps.size(); ) {
                    List<Step> fewer = new ArrayList<>(steps.subList(0, at));
                    fewer.addAll(steps.subList(at + chunk, steps.size()));
                    if (run(new Scenario(failing.seed(), failing.devices(), fewer)) != null) {
                        steps = fewer;
                        removed = true;
                    } else {
                        at += chunk;
                    }
                }
            }
        }
        return new Scenario(failing.seed(), failing.devices(), List.copyOf(steps));
    }

    /** What a run of many scenarios found. */
    public record Report(int passed, List<String> failures) {}

    /**
     * Runs {@code count} scenarios, of seeds {@code seed}, {@code seed + 1}, …; each failure is reported with its seed
     * and minimized steps (at most {@code explain} of them: minimizing takes a while).
     */
    public static Report runMany(long seed, int count, int explain, LongFunction<Scenario> scenarios) {
        int passed = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Scenario s = scenarios.apply(seed + i);
            String failed = run(s);
            if (failed == null) {
                passed++;
                continue;
            }
            StringBuilder why = new StringBuilder("seed " + s.seed() + ": " + failed);
            if (failures.size() < explain) {
                Scenario small = minimize(s);
                why.append("\n  minimized to ")
                        .append(small.steps().size())
                        .append(" of ")
                        .append(s.steps().size())
                        .append(" steps, ")
                        .append(s.devices())
                        .append(" devices: ")
                        .append(run(small));
                small.steps().forEach(step -> why.append("\n    ").append(step));
            }
            failures.add(why.toString());
        }
        return new Report(passed, failures);
    }

    /** {@code --scenarios N --seed S}: runs them and prints each failure, then {@code N passed, M failed}. */
    public static void main(String[] args) {
        int count = 1000;
        long seed = 1;
        boolean trace = false;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--scenarios" -> count = Integer.parseInt(args[i + 1]);
                case "--trace" -> trace = Boolean.parseBoolean(args[i + 1]);
                case "--seed" ->
                    seed = args[i + 1].equals("random") ? new Random().nextLong() >>> 20 : Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (trace) {
            Scenario small = minimize(generate(seed));
            small.steps().forEach(step -> System.out.println("step " + step));
            trace(small).forEach(System.out::println);
        }
        System.out.println("in-process scenarios " + seed + " to " + (seed + count - 1));
        Report report = runMany(seed, count, 3, Simulation::generate);
        report.failures().forEach(System.out::println);
        System.out.println(sharing());
        System.out.println(report.passed() + " passed, " + report.failures().size() + " failed");
        System.exit(report.failures().isEmpty() ? 0 : 1);
    }

    /** One scenario being played. */
    static final class World {
        final Scenario scenario;
        final ModelServer server = new ModelServer("web", DATE);
        final List<Device> devices = new ArrayList<>();

        /** Contents users wrote that the server must end up holding. */
        final Set<String> owed = new HashSet<>();

        private int next;
        private int nesting;

        /** What happened, step by step, when asked for ({@code --trace}). */
        final List<String> trace;

        void trace(String line) {
            if (trace != null) {
                trace.add("  ".repeat(nesting) + line);
            }
        }

        World(Scenario scenario, List<String> trace) {
            this.scenario = scenario;
            this.trace = trace;
            Random r = new Random(scenario.seed() * 31 + 7);
            for (int d = 0; d < scenario.devices(); d++) {
                devices.add(new Device(this, d, 1 + r.nextInt(4)));
            }
        }

        void play() throws IOException {
            for (Step step : scenario.steps()) {
                trace("step: " + step);
                apply(step);
            }
            trace("settle");
            settle();
            check();
        }

        void apply(Step step) {
            if (step instanceof User u) {
                user(devices.get(u.device()), u.kind(), u.target(), u.dest(), u.name());
            } else if (step instanceof Sync s) {
                Device d = devices.get(s.device());
                if (d.online) {
                    d.sync(s.faults() == 0 ? null : new Random(s.faults()));
                }
            } else if (step instanceof Web w) {
                web(w);
            } else if (step instanceof Offline o) {
                devices.get(o.device()).online = false;
            } else if (step instanceof Online o) {
                devices.get(o.device()).online = true;
            } else {
                server.compact();
            }
        }

        /** Something else happens while {@code d} is in the middle of a pass, perhaps. */
        void meanwhile(Device d, Random faults) {
            if (nesting > 0 || faults.nextInt(100) >= 8) {
                return;
            }
            nesting++;
            try {
                int x = faults.nextInt(10);
                if (x < 5) {
                    user(
                            d,
                            faults.nextInt(USER_KINDS.length),
                            faults.nextInt(40),
                            faults.nextInt(40),
                            faults.nextInt(NAMES.length));
                } else if (x < 8) {
                    Device other = devices.get(faults.nextInt(devices.size()));
                    if (other != d && other.online) {
                        other.sync(null);
                    }
                } else {
                    web(new Web(
                            faults.nextInt(WEB_KINDS.length),
                            faults.nextInt(40),
                            faults.nextInt(40),
                            faults.nextInt(NAMES.length)));
                }
            } finally {
                nesting--;
            }
        }

        String content(boolean text) {
            next++;
            return (text ? "t" : "b") + next + (next % 2 == 0 ? "" : "_");
        }

        void user(Device d, int kind, int target, int dest, int nameIndex) {
            trace("user@" + d.index + " " + USER_KINDS[kind] + " target=" + target + " dest=" + dest + " name="
                    + NAMES[nameIndex]);
            ModelFolder folder = d.folder;
            List<String> all = new ArrayList<>();
            List<String> dirs = new ArrayList<>(List.of("/"));
            List<String> files = new ArrayList<>();
            for (ModelFolder.Node n : folder.nodes.values()) {
                all.add(n.path());
                (n.dir() ? dirs : files).add(n.path());
            }
            String name = NAMES[nameIndex];
            String file = pick(files, target);
            String entry = pick(all, target);
            // What the action may take away: contents the user discards themselves are not owed any more.
            Set<String> before = new HashSet<>();
            String touched = kind == 5 ? entry : file;
            if (touched != null) {
                for (ModelFolder.Node n : folder.nodes.values()) {
                    if (!n.dir() && Paths.isAtOrUnder(n.path(), touched)) {
                        before.add(n.content());
                    }
                }
            }
            switch (kind) {
                case 0 -> {
                    String path = child(pick(dirs, dest), name);
                    if (folder.content(path) == null) {
                        write(folder, path, content(target % 2 == 0));
                    }
                }
                case 1 -> folder.userMkdir(child(pick(dirs, dest), name));
                case 2 -> {
                    if (file != null) {
                        write(folder, file, content(folder.content(file).startsWith("t")));
                    }
                }
                case 3 -> {
                    if (file != null) {
                        next++;
                        write(folder, file, folder.content(file) + "." + next);
                    }
                }
                case 4 -> {
                    if (file != null) {
                        next++;
                        String was = folder.content(file);
                        write(folder, file, was.charAt(0) + "~" + next);
                    }
                }
                case 5 -> {
                    if (entry != null) {
                        folder.userDelete(entry);
                    }
                }
                case 6 -> {
                    if (entry != null) {
                        folder.userMove(entry, child(pick(dirs, dest), name));
                    }
                }
                case 7 -> {
                    if (entry != null) {
                        folder.userMove(entry, toggledCase(entry));
                    }
                }
                default -> {
                    if (file != null) {
                        String path = child(pick(dirs, dest), name);
                        if (!folder.nodes.containsKey(Paths.key(path))) {
                            write(folder, path, folder.content(file));
                        }
                    }
                }
            }
            Set<String> still = new HashSet<>();
            for (ModelFolder.Node n : folder.nodes.values()) {
                if (!n.dir()) {
                    still.add(n.content());
                }
            }
            for (String c : before) {
                if (!still.contains(c)) {
                    owed.remove(c);
                }
            }
        }

        private void write(ModelFolder folder, String path, String content) {
            if (folder.userWrite(path, content)) {
                owed.add(content);
            }
        }

        void web(Web w) {
            trace(w.toString());
            List<ModelServer.Node> all = new ArrayList<>(server.byKey.values());
            List<String> dirs = new ArrayList<>(List.of("/"));
            List<ModelServer.Node> files = new ArrayList<>();
            for (ModelServer.Node n : all) {
                if (n.dir()) {
                    dirs.add(n.path());
                } else {
                    files.add(n);
                }
            }
            String name = NAMES[w.name()];
            try {
                switch (w.kind()) {
                    case 0 -> {
                        String path = child(pick(dirs, w.dest()), name);
                        if (!server.byKey.containsKey(Paths.key(path))) {
                            server.commit(path, null, content(w.target() % 2 == 0));
                        }
                    }
                    case 1 -> {
                        ModelServer.Node f = pick(files, w.target());
                        if (f != null) {
                            server.commit(
                                    f.path(),
                                    f.versionId(),
                                    content(server.versions.get(f.versionId()).startsWith("t")));
                        }
                    }
                    case 2 -> {
                        ModelServer.Node n = pick(all, w.target());
                        if (n != null) {
                            server.delete(n.fileId());
                        }
                    }
                    case 3 -> {
                        ModelServer.Node n = pick(all, w.target());
                        if (n != null) {
                            server.move(n.fileId(), child(pick(dirs, w.dest()), name));
                        }
                    }
                    case 4 -> {
                        List<String> trashed = new ArrayList<>(server.trash.keySet());
                        String id = pick(trashed, w.target());
                        if (id != null) {
                            server.restore(id);
                        }
                    }
                    case 5 -> server.mkdir(child(pick(dirs, w.dest()), name));
                    case 6 -> server.share(w.target() % 3, w.dest() % 2 == 0);
                    default -> {
                        String mount = pick(new ArrayList<>(new java.util.TreeSet<>(server.mounts)), w.target());
                        if (mount != null) {
                            server.unmount(mount, false);
                        }
                    }
                }
            } catch (RemoteSide.Refused refused) {
                // A change the server refuses changes nothing.
            }
        }

        /** Every device online, no faults: each syncs in turn until a whole round finds nothing to do. */
        void settle() throws IOException {
            devices.forEach(d -> d.online = true);
            for (int round = 0; round < FINAL_ROUNDS; round++) {
                boolean quiet = true;
                for (Device d : devices) {
                    quiet &= d.syncClean();
                }
                if (quiet) {
                    return;
                }
            }
            throw new AssertionError("no end after " + FINAL_ROUNDS + " rounds: " + describe());
        }

        void check() {
            Map<String, String> want = new TreeMap<>();
            Map<String, String> records = new TreeMap<>();
            for (RemoteEntry r : server.tree()) {
                want.put(r.path(), r.dir() ? "<dir>" : r.contentHash());
                records.put(r.fileId(), r.path() + " " + r.versionId());
            }
            Set<String> keptHere = new HashSet<>();
            for (Device d : devices) {
                Map<String, String> has = new TreeMap<>();
                for (ModelFolder.Node n : d.folder.nodes.values()) {
                    if (!want.containsKey(n.path()) && server.inReadOnlyShare(n.path())) {
                        // Written where the device may only read: refused, and kept on the device that wrote it.
                        if (!n.dir()) {
                            keptHere.add(n.content());
                        }
                        continue;
                    }
                    has.put(n.path(), n.dir() ? "<dir>" : n.content());
                }
                if (!has.equals(want)) {
                    throw new AssertionError("device " + d.index + " holds " + has + " but the server " + want);
                }
                Map<String, String> synced = new TreeMap<>();
                d.synced.entries().forEach(e -> synced.put(e.fileId(), e.path() + " " + e.versionId()));
                if (!synced.equals(records)) {
                    throw new AssertionError(
                            "device " + d.index + " recorded as synced " + synced + " but the server has " + records);
                }
                Map<String, String> remote = new TreeMap<>();
                d.remote.entries().forEach(e -> remote.put(e.fileId(), e.path() + " " + e.versionId()));
                if (!remote.equals(records)) {
                    throw new AssertionError(
                            "device " + d.index + " knows the server as " + remote + " but it has " + records);
                }
                if (!d.folder.violations.isEmpty()) {
                    throw new AssertionError("device " + d.index + ": " + d.folder.violations);
                }
            }
            Set<String> lost = new HashSet<>(owed);
            lost.removeAll(server.allContents());
            lost.removeAll(keptHere);
            if (!lost.isEmpty()) {
                throw new AssertionError("lost: " + new TreeMap<>(Map.of("contents", lost)) + "; " + describe());
            }
        }

        String describe() {
            StringBuilder s = new StringBuilder("server " + server.tree());
            for (Device d : devices) {
                s.append("; device ").append(d.index).append(' ').append(d.folder.scan());
                s.append(" quarantine ").append(d.folder.quarantine);
            }
            return s.toString();
        }
    }

    public static String child(String folder, String name) {
        return (folder.equals("/") ? "" : folder) + "/" + name;
    }

    public static String toggledCase(String path) {
        String name = Paths.name(path);
        String other = name.equals(name.toLowerCase(Locale.ROOT))
                ? name.toUpperCase(Locale.ROOT)
                : name.toLowerCase(Locale.ROOT);
        return child(Paths.parent(path), other);
    }

    public static <T> T pick(List<T> list, int index) {
        return list.isEmpty() ? null : list.get(index % list.size());
    }

    /** What the scenarios run in this JVM did with shares. */
    public static String sharing() {
        StringBuilder s = new StringBuilder("sharing:");
        for (int i = 0; i < ModelServer.SHARING_NAMES.size(); i++) {
            s.append(i == 0 ? " " : ", ")
                    .append(ModelServer.SHARING.get(i))
                    .append(' ')
                    .append(ModelServer.SHARING_NAMES.get(i));
        }
        return s.toString();
    }

    /** A device's sync refused a mass delete: the user said yes in the scenarios, so it is a failure here. */
    static AssertionError refused(DeleteGuard.MassDelete e) {
        return new AssertionError("mass delete refused although allowed: " + e.getMessage());
    }
}

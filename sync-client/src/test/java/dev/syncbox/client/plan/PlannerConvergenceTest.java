package dev.syncbox.client.plan;

import static dev.syncbox.client.sim.Simulation.child;
import static dev.syncbox.client.sim.Simulation.pick;
import static dev.syncbox.client.sim.Simulation.toggledCase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.client.sim.ModelFolder;
import dev.syncbox.client.sim.ModelServer;
import dev.syncbox.client.sync.Reconciler;
import dev.syncbox.client.sync.RemoteSide;
import dev.syncbox.client.sync.SyncedTree;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random trees changed on both sides, then synced by the real planner and reconciler against a model server and a
 * model folder: the passes end, both sides end up equal, no step makes an orphan or a cycle, and every content
 * written on either side survives.
 */
class PlannerConvergenceTest {

    private static final String DEVICE = "laptop";
    private static final String DATE = "2026-12-03";
    private static final String[] NAMES = {"a", "b", "A", "c.txt", "C.TXT", "d", "e.md"};
    private static final int MAX_PASSES = 12;

    /** One change on one side: what it does (kind), which entry, which folder, which name. */
    record Action(int kind, int target, int dest, int name) {}

    @Provide
    Arbitrary<Action> action() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 5),
                        Arbitraries.integers().between(0, 30),
                        Arbitraries.integers().between(0, 30),
                        Arbitraries.integers().between(0, NAMES.length - 1))
                .as(Action::new);
    }

    /** Found by the property: /b moved into /a here while the server moved /a into /b/b. */
    @Example
    void aFolderMovedHereIntoOneTheServerMovedIntoIt() {
        bothSidesConvergeAndNothingWrittenIsLost(
                List.of(new Action(1, 0, 0, 0), new Action(1, 0, 0, 1), new Action(0, 0, 2, 0), new Action(1, 0, 2, 1)),
                List.of(new Action(4, 1, 1, 0)),
                List.of(new Action(3, 2, 0, 0), new Action(4, 0, 3, 0)));
    }

    @Property(tries = 1000)
    void bothSidesConvergeAndNothingWrittenIsLost(
            @ForAll @Size(max = 14) List<@net.jqwik.api.From("action") Action> initial,
            @ForAll @Size(max = 8) List<@net.jqwik.api.From("action") Action> local,
            @ForAll @Size(max = 8) List<@net.jqwik.api.From("action") Action> remote) {
        ModelServer server = new ModelServer(DEVICE, DATE);
        ModelFolder folder = new ModelFolder(server.versions::get);
        SyncedTree synced = new SyncedTree(List.of(), SyncedTree.Store.NONE);
        Counter counter = new Counter();
        for (Action a : initial) {
            onServer(server, a, counter);
        }
        syncToTheEnd(server, folder, synced);
        assertEqual(server, folder);

        int before = counter.next;
        for (Action a : local) {
            onFolder(folder, a, counter);
        }
        for (Action a : remote) {
            onServer(server, a, counter);
        }
        // Contents written since the sides last agreed, still there on either side: none may be lost.
        Set<String> written = new HashSet<>();
        for (String content : contents(server, folder)) {
            if (Integer.parseInt(content.replaceAll("[^0-9]", "")) > before) {
                written.add(content);
            }
        }
        List<Plan> plans = syncToTheEnd(server, folder, synced);

        assertEqual(server, folder);
        assertThat(folder.violations).as("the plans: %s", plans).isEmpty();
        assertThat(new HashSet<>(files(folder).values())).containsAll(written);
    }

    private static List<Plan> syncToTheEnd(ModelServer server, ModelFolder folder, SyncedTree synced) {
        Reconciler reconciler = new Reconciler(
                folder,
                server.client(folder),
                synced,
                (path, attempt) -> Paths.conflictedCopy(path, "test", "2026-12-05", attempt));
        Planner.Context context = new Planner.Context(DEVICE, DATE);
        List<Plan> plans = new ArrayList<>();
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            Plan plan = Planner.plan(server.tree(), folder.scan(), synced.entries(), context);
            if (plan.isEmpty()) {
                assertThat(plan.problems()).isEmpty();
                return plans;
            }
            plans.add(plan);
            reconciler.execute(plan);
        }
        throw new AssertionError("no end after " + MAX_PASSES + " passes; the plans: " + plans + "; local: "
                + folder.scan() + "; remote: " + server.tree() + "; synced: " + synced.entries());
    }

    private static void assertEqual(ModelServer server, ModelFolder folder) {
        Map<String, String> remote = new TreeMap<>();
        for (RemoteEntry r : server.tree()) {
            remote.put(r.path(), r.dir() ? "<dir>" : r.contentHash());
        }
        Map<String, String> local = new TreeMap<>();
        for (ModelFolder.Node n : folder.nodes.values()) {
            local.put(n.path(), n.dir() ? "<dir>" : n.content());
        }
        assertThat(local).isEqualTo(remote);
    }

    private static Map<String, String> files(ModelFolder folder) {
        Map<String, String> files = new TreeMap<>();
        for (ModelFolder.Node n : folder.nodes.values()) {
            if (!n.dir()) {
                files.put(n.path(), n.content());
            }
        }
        return files;
    }

    private static List<String> contents(ModelServer server, ModelFolder folder) {
        List<String> all = new ArrayList<>(files(folder).values());
        for (RemoteEntry r : server.tree()) {
            if (!r.dir()) {
                all.add(r.contentHash());
            }
        }
        return all;
    }

    private static final class Counter {
        int next;

        /** Fresh content; every other one of odd length, so an edit sometimes keeps the inode. */
        String content() {
            next++;
            return "w" + next + (next % 2 == 0 ? "" : "_");
        }
    }

    private static void onFolder(ModelFolder folder, Action a, Counter counter) {
        List<String> all = new ArrayList<>();
        List<String> dirs = new ArrayList<>(List.of("/"));
        List<String> files = new ArrayList<>();
        for (ModelFolder.Node n : folder.nodes.values()) {
            all.add(n.path());
            (n.dir() ? dirs : files).add(n.path());
        }
        String name = NAMES[a.name()];
        switch (a.kind()) {
            case 0 -> {
                String path = child(pick(dirs, a.dest()), name);
                if (folder.content(path) == null) {
                    folder.userWrite(path, counter.content());
                }
            }
            case 1 -> folder.userMkdir(child(pick(dirs, a.dest()), name));
            case 2 -> {
                String file = pick(files, a.target());
                if (file != null) {
                    folder.userWrite(file, counter.content());
                }
            }
            case 3 -> {
                String entry = pick(all, a.target());
                if (entry != null) {
                    folder.userDelete(entry);
                }
            }
            case 4 -> {
                String entry = pick(all, a.target());
                if (entry != null) {
                    folder.userMove(entry, child(pick(dirs, a.dest()), name));
                }
            }
            default -> {
                String entry = pick(all, a.target());
                if (entry != null) {
                    folder.userMove(entry, toggledCase(entry));
                }
            }
        }
    }

    private static void onServer(ModelServer server, Action a, Counter counter) {
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
        String name = NAMES[a.name()];
        try {
            switch (a.kind()) {
                case 0 -> {
                    String path = child(pick(dirs, a.dest()), name);
                    if (!server.byKey.containsKey(Paths.key(path))) {
                        server.commit(path, null, counter.content());
                    }
                }
                case 1 -> server.mkdir(child(pick(dirs, a.dest()), name));
                case 2 -> {
                    ModelServer.Node file = pick(files, a.target());
                    if (file != null) {
                        server.commit(file.path(), file.versionId(), counter.content());
                    }
                }
                case 3 -> {
                    ModelServer.Node entry = pick(all, a.target());
                    if (entry != null) {
                        server.delete(entry.fileId());
                    }
                }
                case 4 -> {
                    ModelServer.Node entry = pick(all, a.target());
                    if (entry != null) {
                        server.move(entry.fileId(), child(pick(dirs, a.dest()), name));
                    }
                }
                default -> {
                    ModelServer.Node entry = pick(all, a.target());
                    if (entry != null) {
                        server.move(entry.fileId(), toggledCase(entry.path()));
                    }
                }
            }
        } catch (RemoteSide.Refused refused) {
            // Another device's change the server refuses changes nothing.
        }
    }
}

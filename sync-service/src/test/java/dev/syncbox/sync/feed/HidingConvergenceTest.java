package dev.syncbox.sync.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.metadata.PathKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The journal seen through a device's exclusions and owed folders ({@link Visibility}, {@link
 * Hiding}), against the plain answer: a device applying it — plus each owed folder's listing, taken
 * whenever it is caught up — holds exactly the live tree less its excluded folders. Random trees,
 * moves in and out of excluded folders, folders carrying excluded ones, exclusions added and removed.
 */
class HidingConvergenceTest {

    private static final long NS = 1;
    private static final String[] NAMES = {"a", "b", "C", "d"};

    private record Node(String path, String id, boolean dir, String version) {}

    @Property(tries = 400)
    void aDeviceFollowingTheJournalThroughItsHidingHoldsTheLiveTreeLessItsExclusions(@ForAll long seed) {
        new Run(new Random(seed)).play();
    }

    private static final class Run {
        final Random random;
        final TreeMap<String, Node> live = new TreeMap<>();
        final ModelClient device = new ModelClient();
        final List<String> excluded = new ArrayList<>();
        final List<Hiding.Pending> owed = new ArrayList<>();
        long seq;
        long nextInclude = 1;
        int ids;

        Run(Random random) {
            this.random = random;
        }

        void play() {
            for (int i = 0; i < 8; i++) {
                create(random.nextBoolean());
            }
            if (random.nextBoolean()) {
                exclude(randomPath());
            }
            // The first complete listing, at position 0.
            live.values().stream()
                    .filter(n -> !hiding().hides(n.path(), NS, seq))
                    .forEach(n -> device.apply(created(n)));
            for (int step = 0; step < 30; step++) {
                switch (random.nextInt(9)) {
                    case 0, 1 -> create(random.nextBoolean());
                    case 2, 3 -> move();
                    case 4 -> delete();
                    case 5 -> update();
                    case 6 -> exclude(randomPath());
                    case 7 -> include();
                    default -> listFirstOwed();
                }
            }
            while (!owed.isEmpty()) {
                listFirstOwed();
            }
            Map<String, String> expected = new TreeMap<>();
            live.values().stream()
                    .filter(n -> !Exclusions.of(excluded).excludes(n.path()))
                    .forEach(n -> expected.put(n.path(), ModelClient.describe(n.id(), n.version(), n.dir())));
            String history = String.join("\n", device.applied());
            assertThat(device.violations()).as(history).isEmpty();
            assertThat(device.tree()).as(history).isEqualTo(expected);
        }

        Hiding hiding() {
            return new Hiding(Exclusions.of(excluded), owed);
        }

        /** One journal entry, as the feed delivers it. */
        void journal(Change entry) {
            Visibility.Seen seen = Visibility.of(entry, hiding(), NS, seq);
            seq++;
            seen.changes().forEach(device::apply);
            if (seen.owed() != null) {
                owed.add(new Hiding.Pending(nextInclude++, NS, seq, PathKeys.of(seen.owed())));
            }
        }

        /** The journal is caught up: the first owed folder is listed at this position. */
        void listFirstOwed() {
            if (owed.isEmpty()) {
                return;
            }
            Hiding.Pending first = owed.get(0);
            Hiding rest = hiding().after(first.id());
            live.values().stream()
                    .filter(n -> within(PathKeys.of(n.path()), first.key()))
                    .filter(n -> !rest.hides(n.path(), NS, seq))
                    .forEach(n -> device.apply(created(n)));
            owed.remove(0);
        }

        void create(boolean dir) {
            String path = SyncPath.child(randomFolder(), NAMES[random.nextInt(NAMES.length)]);
            if (live.containsKey(PathKeys.of(path))) {
                return;
            }
            Node node = new Node(path, "id" + ids++, dir, dir ? null : "v" + ids++);
            live.put(PathKeys.of(path), node);
            journal(new Change(node.id(), path, null, "CREATE", node.version(), 1L, null, dir, Instant.EPOCH));
        }

        void update() {
            List<Node> files = live.values().stream().filter(n -> !n.dir()).toList();
            if (files.isEmpty()) {
                return;
            }
            Node old = files.get(random.nextInt(files.size()));
            Node node = new Node(old.path(), old.id(), false, "v" + ids++);
            live.put(PathKeys.of(old.path()), node);
            journal(new Change(node.id(), node.path(), null, "UPDATE", node.version(), 1L, null, false, Instant.EPOCH));
        }

        void move() {
            if (live.isEmpty()) {
                return;
            }
            Node source = pick();
            String to = SyncPath.child(randomFolder(), NAMES[random.nextInt(NAMES.length)]);
            String fromKey = PathKeys.of(source.path());
            String toKey = PathKeys.of(to);
            if (live.containsKey(toKey) || toKey.startsWith(fromKey + "/")) {
                return;
            }
            Map<String, Node> subtree = new TreeMap<>(live.subMap(fromKey + "/", fromKey + "0"));
            live.remove(fromKey);
            subtree.keySet().forEach(live::remove);
            live.put(toKey, new Node(to, source.id(), source.dir(), source.version()));
            for (Node child : subtree.values()) {
                String path = to + child.path().substring(source.path().length());
                live.put(PathKeys.of(path), new Node(path, child.id(), child.dir(), child.version()));
            }
            journal(new Change(
                    source.id(), to, source.path(), "MOVE", source.version(), 1L, null, source.dir(), Instant.EPOCH));
        }

        void delete() {
            if (live.isEmpty()) {
                return;
            }
            Node gone = pick();
            String key = PathKeys.of(gone.path());
            live.remove(key);
            live.subMap(key + "/", key + "0").clear();
            journal(new Change(gone.id(), gone.path(), null, "DELETE", null, null, null, gone.dir(), Instant.EPOCH));
        }

        /** The device starts excluding a folder: it drops what it has there. */
        void exclude(String path) {
            if (path == null || excluded.contains(path)) {
                return;
            }
            excluded.add(path);
            device.dropLocally(path);
        }

        /** The device stops excluding one: the folder is owed to it, hidden until listed. */
        void include() {
            if (excluded.isEmpty()) {
                return;
            }
            String path = excluded.remove(random.nextInt(excluded.size()));
            owed.add(new Hiding.Pending(nextInclude++, null, null, PathKeys.of(path)));
        }

        Node pick() {
            List<Node> nodes = new ArrayList<>(live.values());
            return nodes.get(random.nextInt(nodes.size()));
        }

        String randomFolder() {
            List<String> folders = new ArrayList<>(List.of(SyncPath.ROOT));
            live.values().stream().filter(Node::dir).forEach(n -> folders.add(n.path()));
            return folders.get(random.nextInt(folders.size()));
        }

        String randomPath() {
            return live.isEmpty() ? null : pick().path();
        }

        static Change created(Node n) {
            return new Change(n.id(), n.path(), null, "CREATE", n.version(), 1L, null, n.dir(), Instant.EPOCH);
        }

        static boolean within(String key, String folder) {
            return key.equals(folder) || key.startsWith(folder + "/");
        }
    }
}

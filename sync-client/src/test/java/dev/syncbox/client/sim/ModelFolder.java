package dev.syncbox.client.sim;

import dev.syncbox.client.plan.LocalEntry;
import dev.syncbox.client.plan.Paths;
import dev.syncbox.client.sync.LocalSide;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A local folder in memory, case-insensitive like the default file systems of macOS and Windows. Contents are
 * strings and a file's hash is its content. An entry made where its parent is missing fails, as on a disk, and the
 * next pass plans it again; a folder moved into itself (which a plan must never ask) is recorded as a violation.
 */
public final class ModelFolder implements LocalSide {

    public record Node(String path, boolean dir, long inode, String content) {}

    public final TreeMap<String, Node> nodes = new TreeMap<>();
    public final List<String> quarantine = new ArrayList<>();
    public final List<String> violations = new ArrayList<>();
    private final Function<String, String> versions;
    private long nextInode = 100;

    public ModelFolder(Function<String, String> versions) {
        this.versions = versions;
    }

    public List<LocalEntry> scan() {
        List<LocalEntry> entries = new ArrayList<>();
        for (Node n : nodes.values()) {
            entries.add(new LocalEntry(
                    n.path(),
                    n.dir(),
                    n.inode(),
                    n.content(),
                    n.dir() ? 0 : n.content().length()));
        }
        return entries;
    }

    public String content(String path) {
        Node n = nodes.get(Paths.key(path));
        return n == null || n.dir() ? null : n.content();
    }

    public boolean parentExists(String path) {
        String parent = Paths.parent(path);
        if (parent.equals("/")) {
            return true;
        }
        Node p = nodes.get(Paths.key(parent));
        return p != null && p.dir();
    }

    /** The path as the folder spells it: the name as given, in its parent as the parent is spelled here. */
    private String spelled(String path) {
        String parent = Paths.parent(path);
        Node p = parent.equals("/") ? null : nodes.get(Paths.key(parent));
        return (p == null ? (parent.equals("/") ? "" : parent) : p.path()) + "/" + Paths.name(path);
    }

    // ---- what the user does

    public boolean userWrite(String path, String content) {
        Node existing = nodes.get(Paths.key(path));
        if ((existing != null && existing.dir()) || !parentExists(path)) {
            return false;
        }
        // An editor's save: a new inode half the time (write a temp file, rename it over).
        long inode = existing != null && content.length() % 2 == 0 ? existing.inode() : nextInode++;
        nodes.put(Paths.key(path), new Node(existing != null ? existing.path() : spelled(path), false, inode, content));
        return true;
    }

    public boolean userMkdir(String path) {
        if (nodes.containsKey(Paths.key(path)) || !parentExists(path)) {
            return false;
        }
        nodes.put(Paths.key(path), new Node(spelled(path), true, nextInode++, null));
        return true;
    }

    public boolean userDelete(String path) {
        if (!nodes.containsKey(Paths.key(path))) {
            return false;
        }
        nodes.keySet().removeIf(k -> Paths.isAtOrUnder(k, Paths.key(path)));
        return true;
    }

    public boolean userMove(String from, String to) {
        Node node = nodes.get(Paths.key(from));
        if (node == null
                || !parentExists(to)
                || Paths.isAtOrUnder(to, from) && !Paths.sameKey(to, from)
                || nodes.containsKey(Paths.key(to)) && !Paths.sameKey(to, from)) {
            return false;
        }
        String spelledTo = spelled(to);
        Map<String, Node> moved = new TreeMap<>();
        for (Node n : List.copyOf(nodes.values())) {
            if (Paths.isAtOrUnder(n.path(), node.path())) {
                nodes.remove(Paths.key(n.path()));
                String path = Paths.rebase(n.path(), node.path(), spelledTo);
                moved.put(Paths.key(path), new Node(path, n.dir(), n.inode(), n.content()));
            }
        }
        nodes.putAll(moved);
        return true;
    }

    // ---- what the client does

    @Override
    public long download(String fileId, String path, String versionId, String contentHash, long size, String replacing)
            throws IOException {
        if (!parentExists(path)) {
            throw new IOException("no parent");
        }
        Node existing = nodes.get(Paths.key(path));
        if (existing != null && existing.dir()) {
            throw new IOException("a folder is in the way: " + path);
        }
        if (existing != null) {
            if (!existing.content().equals(replacing)) {
                return CHANGED;
            }
            quarantine.add(existing.content());
        } else if (replacing != null) {
            return CHANGED;
        }
        String content = versions.apply(versionId);
        long inode = nextInode++;
        nodes.put(Paths.key(path), new Node(spelled(path), false, inode, content));
        return inode;
    }

    @Override
    public long mkdir(String path) throws IOException {
        Node existing = nodes.get(Paths.key(path));
        if (existing != null) {
            if (existing.dir()) {
                return existing.inode();
            }
            throw new IOException("a file is in the way: " + path);
        }
        if (!parentExists(path)) {
            throw new IOException("no parent");
        }
        long inode = nextInode++;
        nodes.put(Paths.key(path), new Node(spelled(path), true, inode, null));
        return inode;
    }

    @Override
    public boolean move(String fromPath, String toPath) {
        if (Paths.isStrictlyUnder(toPath, fromPath)) {
            violations.add("folder moved into itself: " + fromPath + " -> " + toPath);
            return false;
        }
        if (nodes.containsKey(Paths.key(fromPath)) && !parentExists(toPath)) {
            return false;
        }
        return userMove(fromPath, toPath);
    }

    /** As the real folder: a file only if it still has the synced content, a folder only once it is empty. */
    @Override
    public boolean delete(String path, String contentHash) {
        Node n = nodes.get(Paths.key(path));
        if (n == null) {
            return true;
        }
        if (n.dir()) {
            for (String key : nodes.tailMap(Paths.key(path), false).keySet()) {
                if (Paths.isStrictlyUnder(key, path)) {
                    return false;
                }
            }
        } else if (!n.content().equals(contentHash)) {
            return false;
        } else {
            quarantine.add(n.content());
        }
        nodes.remove(Paths.key(path));
        return true;
    }

    @Override
    public long inode(String path) {
        Node n = nodes.get(Paths.key(path));
        return n == null ? 0 : n.inode();
    }
}

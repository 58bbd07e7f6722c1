package dev.syncbox.client.plan;

import dev.syncbox.client.sync.RemoteSide;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server's tree rules in memory: file ids, versions that are never lost, folders made for a file's missing
 * parents, case-insensitive paths, subtree moves and deletes by file id, and a stale parent version kept as a
 * conflicted copy (the {@code auto} mode).
 */
final class ModelServer {

    record Node(String fileId, String path, boolean dir, String versionId) {}

    final TreeMap<String, Node> byKey = new TreeMap<>();
    final Map<String, String> versions = new HashMap<>();
    private int nextId;
    private final String copyDevice;
    private final String copyDate;

    ModelServer(String copyDevice, String copyDate) {
        this.copyDevice = copyDevice;
        this.copyDate = copyDate;
    }

    List<RemoteEntry> tree() {
        List<RemoteEntry> entries = new ArrayList<>();
        for (Node n : byKey.values()) {
            String content = n.dir() ? null : versions.get(n.versionId());
            entries.add(new RemoteEntry(
                    n.fileId(), n.path(), n.dir(), n.versionId(), content, content == null ? 0 : content.length()));
        }
        return entries;
    }

    String content(String path) {
        Node n = byKey.get(Paths.key(path));
        return n == null || n.dir() ? null : versions.get(n.versionId());
    }

    private Node byId(String fileId) {
        for (Node n : byKey.values()) {
            if (n.fileId().equals(fileId)) {
                return n;
            }
        }
        return null;
    }

    private String parents(String path) throws RemoteSide.Refused {
        String parent = Paths.parent(path);
        if (parent.equals("/")) {
            return "";
        }
        Node p = byKey.get(Paths.key(parent));
        if (p == null) {
            String spelled = parents(parent);
            String made = spelled + "/" + Paths.name(parent);
            byKey.put(Paths.key(made), new Node("f" + nextId++, made, true, null));
            return made;
        }
        if (!p.dir()) {
            throw new RemoteSide.Refused(409, "path_conflict", "a file is in the way: " + parent);
        }
        return p.path();
    }

    /** A commit with {@code mode: auto}; the answer's {@code conflict} says the content went to a copy. */
    RemoteSide.Committed commit(String path, String parentVersionId, String content) throws RemoteSide.Refused {
        Node existing = byKey.get(Paths.key(path));
        if (existing != null && existing.dir()) {
            throw new RemoteSide.Refused(409, "path_conflict", path);
        }
        String version = "v" + nextId++;
        versions.put(version, content);
        if (existing != null) {
            // No parent and a file there, or a parent that is not current: a conflict, kept as a copy.
            if (parentVersionId != null && parentVersionId.equals(existing.versionId())) {
                byKey.put(Paths.key(path), new Node(existing.fileId(), existing.path(), false, version));
                return new RemoteSide.Committed(existing.fileId(), existing.path(), version, content, 0, false);
            }
            for (int attempt = 1; ; attempt++) {
                String copy = Paths.conflictedCopy(existing.path(), copyDevice, copyDate, attempt);
                if (!byKey.containsKey(Paths.key(copy))) {
                    String id = "f" + nextId++;
                    byKey.put(Paths.key(copy), new Node(id, copy, false, version));
                    return new RemoteSide.Committed(id, copy, version, content, 0, true);
                }
            }
        }
        String spelled = parents(path) + "/" + Paths.name(path);
        String id = "f" + nextId++;
        byKey.put(Paths.key(spelled), new Node(id, spelled, false, version));
        return new RemoteSide.Committed(id, spelled, version, content, 0, false);
    }

    String mkdir(String path) throws RemoteSide.Refused {
        if (byKey.containsKey(Paths.key(path))) {
            throw new RemoteSide.Refused(409, "path_conflict", path);
        }
        String spelled = parents(path) + "/" + Paths.name(path);
        String id = "f" + nextId++;
        byKey.put(Paths.key(spelled), new Node(id, spelled, true, null));
        return id;
    }

    void move(String fileId, String toPath) throws RemoteSide.Refused {
        Node node = byId(fileId);
        if (node == null) {
            throw new RemoteSide.Refused(404, "not_found", fileId);
        }
        if (Paths.isStrictlyUnder(toPath, node.path())) {
            throw new RemoteSide.Refused(400, "invalid_request", "into itself");
        }
        if (byKey.containsKey(Paths.key(toPath)) && !Paths.sameKey(toPath, node.path())) {
            throw new RemoteSide.Refused(409, "path_conflict", toPath);
        }
        String spelled = parents(toPath) + "/" + Paths.name(toPath);
        Map<String, Node> moved = new TreeMap<>();
        for (Node n : List.copyOf(byKey.values())) {
            if (Paths.isAtOrUnder(n.path(), node.path())) {
                byKey.remove(Paths.key(n.path()));
                String path = Paths.rebase(n.path(), node.path(), spelled);
                moved.put(Paths.key(path), new Node(n.fileId(), path, n.dir(), n.versionId()));
            }
        }
        byKey.putAll(moved);
    }

    void delete(String fileId) throws RemoteSide.Refused {
        Node node = byId(fileId);
        if (node == null) {
            throw new RemoteSide.Refused(404, "not_found", fileId);
        }
        byKey.keySet().removeIf(k -> Paths.isAtOrUnder(k, Paths.key(node.path())));
    }

    /** The client's view of this server: uploads read the content from {@code folder}. */
    RemoteSide client(ModelFolder folder) {
        ModelServer server = this;
        return new RemoteSide() {
            @Override
            public Committed upload(String path, String fileId, String parentVersionId) throws IOException {
                String content = folder.content(path);
                if (content == null) {
                    throw new Refused(0, "gone", path);
                }
                Committed c = server.commit(path, parentVersionId, content);
                return new Committed(
                        c.fileId(), c.path(), c.versionId(), c.contentHash(), folder.inode(path), c.conflict());
            }

            @Override
            public String mkdir(String path) throws IOException {
                return server.mkdir(path);
            }

            @Override
            public void move(String fileId, String toPath) throws IOException {
                server.move(fileId, toPath);
            }

            @Override
            public void delete(String fileId) throws IOException {
                server.delete(fileId);
            }
        };
    }
}

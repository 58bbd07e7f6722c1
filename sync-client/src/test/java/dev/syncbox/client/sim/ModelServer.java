package dev.syncbox.client.sim;

import dev.syncbox.client.plan.Paths;
import dev.syncbox.client.plan.RemoteEntry;
import dev.syncbox.client.sync.RemoteSide;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The server's tree rules in memory: file ids, versions that are never lost, folders made for a file's missing
 * parents, case-insensitive paths, subtree moves and deletes by file id, a trash deleted entries can be restored from,
 * and a stale parent version resolved as the {@code auto} mode does: a text content is merged into a new version (the
 * upload kept beside it), anything else kept as a conflicted copy. Every change is journaled for the change feed;
 * contents are strings, a content's hash is the string itself, and a content starting with {@code t} is text.
 *
 * <p>Folders other users share with this account ({@code READ_WRITE}) are mounted at the top of its tree, as the
 * server mounts them (or {@code READ}, where its devices' writes are {@code 403 permission_denied} and only the owner
 * writes): their contents are read and written like the account's own, but a move into or out of one is
 * refused with {@code 409 cross_namespace_move} (the rows belong to another owner), the shared folder itself cannot be
 * moved or deleted by the sharee ({@code 403 permission_denied}; deleting it is leaving the share), and what is deleted
 * inside one goes to its owner's trash. An owner shares a folder (it appears with its contents) and takes the share
 * back (it disappears; every version stays the owner's).
 */
public final class ModelServer {

    public record Node(String fileId, String path, boolean dir, String versionId) {}

    /** One entry of the change feed, as {@code /files/sync} answers it. */
    public record Change(
            String operation,
            String fileId,
            String path,
            boolean dir,
            String versionId,
            String content,
            String fromPath) {}

    /** A page of the feed: changes, the cursor after them, and whether more follow. */
    public record Page(List<Change> changes, String cursor, boolean more) {}

    public final TreeMap<String, Node> byKey = new TreeMap<>();
    public final Map<String, String> versions = new HashMap<>();

    /** Every version each file ever had (uploads kept beside a merge included), live or in the trash. */
    public final Map<String, List<String>> history = new HashMap<>();

    /** Deleted entries by the file id of what was deleted: the whole subtree as it was, restorable. */
    public final Map<String, List<Node>> trash = new LinkedHashMap<>();

    /** The file ids of the folders other users share with this account, mounted at the top of its tree. */
    public final Set<String> mounts = new HashSet<>();

    /** Those of them shared {@code READ}: their owner writes there, this account's devices may not. */
    public final Set<String> readOnly = new HashSet<>();

    /** What was deleted inside a share: in its owner's trash, out of this account's reach. */
    private final List<Node> ownersTrash = new ArrayList<>();

    private int shares;

    /** Across every scenario run in this JVM: shares made and taken back, left, and moves refused at a share. */
    public static final java.util.concurrent.atomic.AtomicLongArray SHARING =
            new java.util.concurrent.atomic.AtomicLongArray(8);

    /** What {@link #SHARING} counts, in its order. */
    public static final List<String> SHARING_NAMES = List.of(
            "shares made",
            "taken back",
            "left",
            "moves across a share refused",
            "moves of a share refused",
            "of the shares read-only",
            "writes into a read-only share refused",
            "of those edits of a file there");

    private final List<Change> journal = new ArrayList<>();
    private int epoch;
    private int nextId;
    private final String copyDevice;
    private final String copyDate;

    public ModelServer(String copyDevice, String copyDate) {
        this.copyDevice = copyDevice;
        this.copyDate = copyDate;
    }

    public List<RemoteEntry> tree() {
        List<RemoteEntry> entries = new ArrayList<>();
        for (Node n : byKey.values()) {
            String content = n.dir() ? null : versions.get(n.versionId());
            entries.add(new RemoteEntry(
                    n.fileId(), n.path(), n.dir(), n.versionId(), content, content == null ? 0 : content.length()));
        }
        return entries;
    }

    public String content(String path) {
        Node n = byKey.get(Paths.key(path));
        return n == null || n.dir() ? null : versions.get(n.versionId());
    }

    /** Every content the server holds a version of, live or in the trash. */
    public Set<String> allContents() {
        Set<String> all = new HashSet<>();
        for (List<String> h : history.values()) {
            for (String v : h) {
                all.add(versions.get(v));
            }
        }
        return all;
    }

    public Node byId(String fileId) {
        for (Node n : byKey.values()) {
            if (n.fileId().equals(fileId)) {
                return n;
            }
        }
        return null;
    }

    // ---- the feed

    /** Changes in one page of the feed, at most. */
    static final int PAGE = 3;

    /** Listings being paged: the tree as of one journal position, and that position. */
    private final List<List<Change>> listings = new ArrayList<>();

    private final List<Integer> listedAt = new ArrayList<>();

    /**
     * A page of changes after {@code cursor}; null starts a listing: the whole tree as of now, as creations, parents
     * first, paged, then the journal from where it was taken. A cursor of an earlier epoch (the journal was compacted)
     * is refused with {@code 409 reset}, as the server does.
     */
    public Page changes(String cursor) throws RemoteSide.Refused {
        if (cursor == null) {
            List<Change> listing = new ArrayList<>();
            byKey.values().stream()
                    .sorted(Comparator.comparingInt((Node n) -> Paths.depth(n.path()))
                            .thenComparing(Node::path))
                    .forEach(n -> listing.add(change("CREATE", n)));
            listings.add(listing);
            listedAt.add(journal.size());
            cursor = epoch + ":L" + (listings.size() - 1) + ":0";
        }
        String[] at = cursor.split(":");
        if (Integer.parseInt(at[0]) != epoch) {
            throw new RemoteSide.Refused(409, "reset", "the journal was compacted");
        }
        if (at.length == 3) {
            int id = Integer.parseInt(at[1].substring(1));
            int from = Integer.parseInt(at[2]);
            List<Change> listing = listings.get(id);
            int to = Math.min(listing.size(), from + PAGE);
            String next = to == listing.size() ? epoch + ":" + listedAt.get(id) : epoch + ":L" + id + ":" + to;
            return new Page(List.copyOf(listing.subList(from, to)), next, true);
        }
        int from = Integer.parseInt(at[1]);
        int to = Math.min(journal.size(), from + PAGE);
        return new Page(List.copyOf(journal.subList(from, to)), epoch + ":" + to, to < journal.size());
    }

    /** The journal is compacted: every cursor handed out so far is refused and the devices list again. */
    public void compact() {
        epoch++;
        journal.clear();
    }

    private Change change(String operation, Node n) {
        String content = n.dir() ? null : versions.get(n.versionId());
        return new Change(operation, n.fileId(), n.path(), n.dir(), n.versionId(), content, null);
    }

    private void put(String operation, Node n) {
        byKey.put(Paths.key(n.path()), n);
        journal.add(change(operation, n));
    }

    private String newVersion(String fileId, String content) {
        String version = "v" + nextId++;
        versions.put(version, content);
        history.computeIfAbsent(fileId, k -> new ArrayList<>()).add(version);
        return version;
    }

    // ---- shares

    /** The share a path is in (the file id of its mount), or null: the account's own. */
    public String shareOf(String path) {
        String top = path;
        while (!Paths.parent(top).equals("/")) {
            top = Paths.parent(top);
        }
        Node root = byKey.get(Paths.key(top));
        return root != null && mounts.contains(root.fileId()) ? root.fileId() : null;
    }

    /** True if {@code path} is in a share this account may only read (the shared folder itself included). */
    public boolean inReadOnlyShare(String path) {
        String share = shareOf(path);
        return share != null && readOnly.contains(share);
    }

    /** A device's write where it may only read: refused as the server does. */
    private void writable(String path) throws RemoteSide.Refused {
        if (inReadOnlyShare(path)) {
            SHARING.incrementAndGet(6);
            throw new RemoteSide.Refused(403, "permission_denied", "shared read-only: " + path);
        }
    }

    /**
     * Another user shares a folder of theirs with this account: it appears at the top of the tree under a name of its
     * own, with {@code files} files in it (the owner's contents, owed to nobody here), {@code read} only or not. Answers
     * the mount's file id.
     */
    public String share(int files, boolean read) {
        SHARING.incrementAndGet(0);
        String path = "/S" + ++shares;
        String id = "f" + nextId++;
        mounts.add(id);
        if (read) {
            SHARING.incrementAndGet(5);
            readOnly.add(id);
        }
        put("CREATE", new Node(id, path, true, null));
        for (int i = 0; i < files; i++) {
            String file = "f" + nextId++;
            put("CREATE", new Node(file, path + "/o" + i, false, newVersion(file, "towner" + nextId++)));
        }
        return id;
    }

    /** The owner takes the share back, or the sharee leaves it: it disappears from this account, and nothing else. */
    public boolean unmount(String fileId, boolean left) {
        Node root = byId(fileId);
        if (root == null || !mounts.remove(fileId)) {
            return false;
        }
        readOnly.remove(fileId);
        SHARING.incrementAndGet(left ? 2 : 1);
        byKey.entrySet().removeIf(e -> Paths.isAtOrUnder(e.getKey(), Paths.key(root.path())));
        journal.add(change("DELETE", root));
        return true;
    }

    // ---- what devices and users do

    private String parents(String path) throws RemoteSide.Refused {
        String parent = Paths.parent(path);
        if (parent.equals("/")) {
            return "";
        }
        Node p = byKey.get(Paths.key(parent));
        if (p == null) {
            String spelled = parents(parent);
            String made = spelled + "/" + Paths.name(parent);
            put("CREATE", new Node("f" + nextId++, made, true, null));
            return made;
        }
        if (!p.dir()) {
            throw new RemoteSide.Refused(409, "path_conflict", "a file is in the way: " + parent);
        }
        return p.path();
    }

    /** A commit with {@code mode: auto}, its conflicted copies named after the model's one device. */
    public RemoteSide.Committed commit(String path, String parentVersionId, String content) throws RemoteSide.Refused {
        return commit(path, parentVersionId, content, copyDevice);
    }

    /**
     * A commit with {@code mode: auto} by {@code device}; the answer's {@code conflict} says the content went to a
     * copy or was merged.
     */
    public RemoteSide.Committed commit(String path, String parentVersionId, String content, String device)
            throws RemoteSide.Refused {
        Node existing = byKey.get(Paths.key(path));
        if (existing != null && existing.dir()) {
            throw new RemoteSide.Refused(409, "path_conflict", path);
        }
        if (existing != null) {
            if (parentVersionId != null && parentVersionId.equals(existing.versionId())) {
                String version = newVersion(existing.fileId(), content);
                put("UPDATE", new Node(existing.fileId(), existing.path(), false, version));
                return new RemoteSide.Committed(existing.fileId(), existing.path(), version, content, 0, false);
            }
            if (parentVersionId != null
                    && !history.getOrDefault(existing.fileId(), List.of()).contains(parentVersionId)) {
                // A parent that is no version of the file at this path: refused, as the server does.
                throw new RemoteSide.Refused(409, "conflict", "the parent is not a version of " + existing.path());
            }
            String current = versions.get(existing.versionId());
            if (parentVersionId != null && content.startsWith("t") && current.startsWith("t")) {
                // Text on all sides: merged into a new version on top of the current one, the upload kept beside it.
                newVersion(existing.fileId(), content);
                String merged = "t" + nextId++ + "(" + content + "+" + current + ")";
                String version = newVersion(existing.fileId(), merged);
                put("UPDATE", new Node(existing.fileId(), existing.path(), false, version));
                return new RemoteSide.Committed(existing.fileId(), existing.path(), version, content, 0, true);
            }
            // No parent and a file there, or a parent that is not current: the upload is kept as a copy.
            for (int attempt = 1; ; attempt++) {
                String copy = Paths.conflictedCopy(existing.path(), device, copyDate, attempt);
                if (!byKey.containsKey(Paths.key(copy))) {
                    String id = "f" + nextId++;
                    String version = newVersion(id, content);
                    put("CREATE", new Node(id, copy, false, version));
                    return new RemoteSide.Committed(id, copy, version, content, 0, true);
                }
            }
        }
        if (parentVersionId != null) {
            // A parent and nothing at the path (the file moved away or went): refused, as the server does.
            throw new RemoteSide.Refused(409, "conflict", "nothing at " + path + " has that version");
        }
        String spelled = parents(path) + "/" + Paths.name(path);
        String id = "f" + nextId++;
        String version = newVersion(id, content);
        put("CREATE", new Node(id, spelled, false, version));
        return new RemoteSide.Committed(id, spelled, version, content, 0, false);
    }

    public String mkdir(String path) throws RemoteSide.Refused {
        if (byKey.containsKey(Paths.key(path))) {
            throw new RemoteSide.Refused(409, "path_conflict", path);
        }
        String spelled = parents(path) + "/" + Paths.name(path);
        String id = "f" + nextId++;
        put("CREATE", new Node(id, spelled, true, null));
        return id;
    }

    public void move(String fileId, String toPath) throws RemoteSide.Refused {
        Node node = byId(fileId);
        if (node == null) {
            throw new RemoteSide.Refused(404, "not_found", fileId);
        }
        if (mounts.contains(fileId)) {
            SHARING.incrementAndGet(4);
            throw new RemoteSide.Refused(403, "permission_denied", "only the owner can move a shared folder");
        }
        if (!java.util.Objects.equals(shareOf(node.path()), shareOf(toPath))) {
            SHARING.incrementAndGet(3);
            throw new RemoteSide.Refused(409, "cross_namespace_move", node.path() + " -> " + toPath);
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
        // One change for the whole subtree: the feed's reader moves what lies under it along.
        Change move = change("MOVE", moved.get(Paths.key(spelled)));
        journal.add(new Change(
                move.operation(),
                move.fileId(),
                move.path(),
                move.dir(),
                move.versionId(),
                move.content(),
                node.path()));
    }

    /** Moves the entry and everything under it to the trash. */
    public void delete(String fileId) throws RemoteSide.Refused {
        Node node = byId(fileId);
        if (node == null) {
            throw new RemoteSide.Refused(404, "not_found", fileId);
        }
        if (mounts.contains(fileId)) {
            throw new RemoteSide.Refused(403, "permission_denied", "a shared folder is left, not deleted");
        }
        boolean shared = shareOf(node.path()) != null;
        List<Node> gone = new ArrayList<>();
        byKey.entrySet().removeIf(e -> {
            if (Paths.isAtOrUnder(e.getKey(), Paths.key(node.path()))) {
                gone.add(e.getValue());
                return true;
            }
            return false;
        });
        if (shared) {
            ownersTrash.addAll(gone);
        } else {
            trash.put(fileId, gone);
        }
        journal.add(change("DELETE", node));
    }

    /**
     * Brings a deleted entry back from the trash where it was, with what was under it; refused while anything holds
     * that path.
     */
    public void restore(String fileId) throws RemoteSide.Refused {
        List<Node> gone = trash.get(fileId);
        if (gone == null) {
            throw new RemoteSide.Refused(404, "not_found", fileId);
        }
        for (Node n : gone) {
            if (byKey.containsKey(Paths.key(n.path())) || byId(n.fileId()) != null) {
                throw new RemoteSide.Refused(409, "path_conflict", n.path());
            }
        }
        Node root =
                gone.stream().filter(n -> n.fileId().equals(fileId)).findFirst().orElseThrow();
        String spelled = parents(root.path()) + "/" + Paths.name(root.path());
        trash.remove(fileId);
        for (Node n : gone.stream()
                .sorted(Comparator.comparingInt((Node n) -> Paths.depth(n.path())))
                .toList()) {
            String path = Paths.rebase(n.path(), root.path(), spelled);
            put("CREATE", new Node(n.fileId(), path, n.dir(), n.versionId()));
        }
    }

    /** The client's view of this server: uploads read the content from {@code folder}. */
    public RemoteSide client(ModelFolder folder) {
        return client(folder, copyDevice);
    }

    /** The view of the device called {@code device}: its conflicted copies carry its name. */
    public RemoteSide client(ModelFolder folder, String device) {
        ModelServer server = this;
        return new RemoteSide() {
            @Override
            public Committed upload(String path, String fileId, String parentVersionId) throws IOException {
                String content = folder.content(path);
                if (content == null) {
                    throw new Refused(0, "gone", path);
                }
                if (fileId != null && server.inReadOnlyShare(path)) {
                    SHARING.incrementAndGet(7);
                }
                server.writable(path);
                Committed c = server.commit(path, parentVersionId, content, device);
                return new Committed(
                        c.fileId(), c.path(), c.versionId(), c.contentHash(), folder.inode(path), c.conflict());
            }

            @Override
            public String mkdir(String path) throws IOException {
                server.writable(path);
                return server.mkdir(path);
            }

            @Override
            public void move(String fileId, String toPath) throws IOException {
                Node node = server.byId(fileId);
                if (node != null && !server.mounts.contains(fileId)) {
                    server.writable(node.path());
                    server.writable(toPath);
                }
                server.move(fileId, toPath);
            }

            @Override
            public void delete(String fileId) throws IOException {
                Node node = server.byId(fileId);
                if (node != null && !server.mounts.contains(fileId)) {
                    server.writable(node.path());
                }
                server.delete(fileId);
            }

            @Override
            public boolean leave(String fileId) {
                return server.unmount(fileId, true);
            }
        };
    }
}

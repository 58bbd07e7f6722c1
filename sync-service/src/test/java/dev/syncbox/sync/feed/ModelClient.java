package dev.syncbox.sync.feed;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * A device's local tree, built only from its feed, by the rules docs/sync.md gives clients. It also
 * records what the server promises never to send (a child before its folder, a file id at two paths,
 * an UPDATE of something the device lacks), so a test sees those as well as the end state.
 */
final class ModelClient {

    /** One local entry: exact spelling, id, version (null for folders). */
    record Entry(String path, String fileId, String versionId, boolean dir) {}

    private final TreeMap<String, Entry> byKey = new TreeMap<>();
    private final List<String> violations = new ArrayList<>();
    private final List<String> applied = new ArrayList<>();

    static String key(String path) {
        return path.toLowerCase(Locale.ROOT);
    }

    void applyAll(Iterable<JsonNode> changes) {
        changes.forEach(this::apply);
    }

    void apply(JsonNode change) {
        apply(new Change(
                change.path("file_id").asString(),
                change.path("path").asString(),
                change.path("from_path").isNull() || change.path("from_path").isMissingNode()
                        ? null
                        : change.path("from_path").asString(),
                change.path("operation").asString(),
                change.path("version_id").isNull()
                        ? null
                        : change.path("version_id").asString(),
                null,
                null,
                change.path("is_dir").asBoolean(),
                null));
    }

    void apply(Change change) {
        String op = change.operation();
        String path = change.path();
        String from = change.fromPath();
        applied.add(op + " " + path + (from == null ? "" : " from " + from));
        Entry entry = new Entry(path, change.fileId(), change.versionId(), change.isDir());
        switch (op) {
            case "CREATE" -> create(entry);
            case "UPDATE" -> {
                Entry old = byKey.get(key(path));
                if (old == null || old.dir() || !old.fileId().equals(entry.fileId())) {
                    violations.add("UPDATE of " + path + " which the device does not have as that file");
                }
                create(entry);
            }
            case "DELETE" -> removeSubtree(key(path));
            case "MOVE" -> move(from, entry);
            default -> violations.add("unknown operation " + op);
        }
    }

    /** A folder the device starts excluding: it drops its local copy (docs/sync.md). */
    void dropLocally(String path) {
        applied.add("(excluded " + path + ")");
        removeSubtree(key(path));
    }

    /** CREATE: the entry at its path, replacing what the device has there (the same thing, sent twice). */
    private void create(Entry entry) {
        String key = key(entry.path());
        Entry old = byKey.get(key);
        if (old != null && old.dir() && !entry.dir()) {
            removeSubtree(key);
        }
        requireParent(entry.path());
        for (Entry other : byKey.values()) {
            if (other.fileId().equals(entry.fileId()) && !key(other.path()).equals(key)) {
                violations.add("file " + entry.fileId() + " at " + entry.path() + " and at " + other.path());
                break;
            }
        }
        byKey.put(key, entry);
    }

    /** MOVE: rename the entry and everything under it; without the source, a CREATE at the target. */
    private void move(String from, Entry target) {
        String fromKey = key(from);
        Entry source = byKey.get(fromKey);
        if (source == null) {
            create(target);
            return;
        }
        Map<String, Entry> subtree = new TreeMap<>(byKey.subMap(fromKey + "/", fromKey + "0"));
        byKey.remove(fromKey);
        subtree.keySet().forEach(byKey::remove);
        String toKey = key(target.path());
        if (byKey.containsKey(toKey)) {
            violations.add("MOVE onto " + target.path() + ", which the device has");
        }
        requireParent(target.path());
        byKey.put(
                toKey,
                new Entry(target.path(), source.fileId(), target.dir() ? null : target.versionId(), source.dir()));
        for (Entry child : subtree.values()) {
            String rest = child.path().substring(from.length());
            String path = target.path() + rest;
            byKey.put(key(path), new Entry(path, child.fileId(), child.versionId(), child.dir()));
        }
    }

    private void removeSubtree(String key) {
        byKey.remove(key);
        byKey.subMap(key + "/", key + "0").clear();
    }

    private void requireParent(String path) {
        int slash = path.lastIndexOf('/');
        if (slash <= 0) {
            return;
        }
        Entry parent = byKey.get(key(path.substring(0, slash)));
        if (parent == null || !parent.dir()) {
            violations.add(path + " arrived before its folder");
        }
    }

    /** path → "file_id version" (folders: "file_id dir"), keyed by exact path. */
    Map<String, String> tree() {
        Map<String, String> tree = new TreeMap<>();
        byKey.values().forEach(e -> tree.put(e.path(), describe(e.fileId(), e.versionId(), e.dir())));
        return tree;
    }

    static String describe(String fileId, String versionId, boolean dir) {
        return fileId + (dir ? " dir" : " " + versionId);
    }

    List<String> violations() {
        return violations;
    }

    List<String> applied() {
        return applied;
    }
}

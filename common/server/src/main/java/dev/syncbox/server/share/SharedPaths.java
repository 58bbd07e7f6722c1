package dev.syncbox.server.share;

import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.metadata.PathKeys;

/** Path arithmetic between an owner's namespace and a shared item's view of it. */
public final class SharedPaths {

    private SharedPaths() {}

    /** Whether {@code path} is {@code root} or lies under it, case-insensitively. */
    public static boolean within(String path, String root) {
        if (path == null) {
            return false;
        }
        String key = PathKeys.of(path);
        String rootKey = PathKeys.of(root);
        return SyncPath.isRoot(root) || key.equals(rootKey) || key.startsWith(rootKey + "/");
    }

    /**
     * {@code path}, which is {@code from} or under it, moved to be {@code to} or under it. Counts
     * segments rather than characters, so a case-folding that changes a name's length can't misplace it.
     */
    public static String rebase(String path, String from, String to) {
        if (SyncPath.isRoot(path)) {
            return to;
        }
        int skip = segments(from);
        String[] parts = path.split("/", -1);
        StringBuilder rest = new StringBuilder();
        for (int i = 1 + skip; i < parts.length; i++) {
            rest.append('/').append(parts[i]);
        }
        if (rest.isEmpty()) {
            return to;
        }
        return SyncPath.isRoot(to) ? rest.toString() : to + rest;
    }

    private static int segments(String path) {
        return SyncPath.isRoot(path)
                ? 0
                : (int) path.chars().filter(c -> c == '/').count();
    }
}

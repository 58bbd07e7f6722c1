package dev.syncbox.sync.feed;

import dev.syncbox.server.metadata.PathKeys;
import java.util.List;

/** A device's excluded folders, matched case-insensitively against paths and their subtrees. */
record Exclusions(List<String> keys) {

    static Exclusions of(List<String> paths) {
        return new Exclusions(paths.stream().map(PathKeys::of).toList());
    }

    boolean excludes(String path) {
        if (path == null || keys.isEmpty()) {
            return false;
        }
        String key = PathKeys.of(path);
        for (String excluded : keys) {
            if (key.equals(excluded) || key.startsWith(excluded + "/")) {
                return true;
            }
        }
        return false;
    }
}

package dev.syncbox.server.metadata;

import java.util.Locale;

/** Paths are case-preserving but unique case-insensitively; the key is the folded form. */
public final class PathKeys {

    private PathKeys() {}

    /** Folds a normalized path for lookups and uniqueness. */
    public static String of(String normalizedPath) {
        return normalizedPath.toLowerCase(Locale.ROOT);
    }
}

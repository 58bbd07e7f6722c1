package dev.syncbox.client.plan;

import java.util.Locale;

/** Path helpers on the server's rules: case-preserving, compared case-insensitively. */
public final class Paths {

    private Paths() {}

    public static String key(String path) {
        return path.toLowerCase(Locale.ROOT);
    }

    public static boolean sameKey(String a, String b) {
        return key(a).equals(key(b));
    }

    /** {@code path} is {@code folder} or lies under it, case-insensitively. */
    public static boolean isAtOrUnder(String path, String folder) {
        String p = key(path);
        String f = key(folder);
        return p.equals(f) || p.startsWith(f.endsWith("/") ? f : f + "/");
    }

    public static boolean isStrictlyUnder(String path, String folder) {
        return isAtOrUnder(path, folder) && !sameKey(path, folder);
    }

    /** {@code path}, under {@code from}, moved to {@code to}. */
    public static String rebase(String path, String from, String to) {
        return to + path.substring(from.length());
    }

    public static int depth(String path) {
        int depth = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                depth++;
            }
        }
        return depth;
    }

    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    public static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * The name a local entry gets when it has to make way: {@code name (conflicted copy DEVICE DATE).ext}, as the
     * server names the copies it keeps.
     */
    public static String conflictedCopy(String path, String device, String date, int attempt) {
        String parent = parent(path);
        String name = name(path);
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        String suffix = attempt <= 1 ? "" : " " + attempt;
        String copy = base + " (conflicted copy " + device + " " + date + suffix + ")" + ext;
        return (parent.equals("/") ? "" : parent) + "/" + copy;
    }
}

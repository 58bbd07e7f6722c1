package dev.syncbox.core.search;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the index holds of a name and a path, made here rather than by Elasticsearch analyzers (docs/search.md): the
 * local Elasticsearch has no ngram or word-delimiter filters, and the same code then splits what is indexed and what
 * is asked, so both sides always agree.
 */
public final class IndexTerms {

    private static final Map<String, String> CATEGORIES = categories();

    private IndexTerms() {}

    /**
     * The words a name or path is found by: each run of letters and digits, lower-cased, and, when the run changes
     * case or between letters and digits ({@code QuarterlyReport2026}), each of its parts as well.
     */
    public static List<String> words(String text) {
        Set<String> words = new LinkedHashSet<>();
        for (String run : runs(text)) {
            words.add(run.toLowerCase(Locale.ROOT));
            List<String> parts = parts(run);
            if (parts.size() > 1) {
                parts.forEach(part -> words.add(part.toLowerCase(Locale.ROOT)));
            }
        }
        return List.copyOf(words);
    }

    /** The words of a query: its runs of letters and digits, lower-cased, in order. */
    public static List<String> queryWords(String query) {
        return runs(query).stream()
                .map(run -> run.toLowerCase(Locale.ROOT))
                .distinct()
                .toList();
    }

    /** The keys of the folders above a path key, outermost first: {@code /a/b/c} has {@code /a} and {@code /a/b}. */
    public static List<String> folders(String pathKey) {
        List<String> folders = new ArrayList<>();
        for (int slash = pathKey.indexOf('/', 1); slash > 0; slash = pathKey.indexOf('/', slash + 1)) {
            folders.add(pathKey.substring(0, slash));
        }
        return folders;
    }

    /** The last segment of a path. */
    public static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The path of the folder holding a path, {@code ""} at the top. */
    public static String parent(String path) {
        return path.substring(0, Math.max(0, path.lastIndexOf('/')));
    }

    /** A file's extension, lower-cased, without its dot; {@code ""} when it has none (or is a dot-file). */
    public static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 || dot == name.length() - 1
                ? ""
                : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** {@code folder}, {@code document}, {@code spreadsheet}, {@code presentation}, {@code text}, {@code image}, ... */
    public static String category(String extension, boolean dir) {
        return dir ? "folder" : CATEGORIES.getOrDefault(extension, "other");
    }

    private static List<String> runs(String text) {
        List<String> runs = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            boolean word = Character.isLetterOrDigit(cp);
            if (word && start < 0) {
                start = i;
            } else if (!word && start >= 0) {
                runs.add(text.substring(start, i));
                start = -1;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            runs.add(text.substring(start));
        }
        return runs;
    }

    /** A run split where lower case turns upper ({@code aB}), and between letters and digits. */
    private static List<String> parts(String run) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        int previous = run.codePointAt(0);
        for (int i = Character.charCount(previous); i < run.length(); ) {
            int cp = run.codePointAt(i);
            boolean split = (Character.isLowerCase(previous) && Character.isUpperCase(cp))
                    || (Character.isDigit(previous) != Character.isDigit(cp));
            if (split) {
                parts.add(run.substring(start, i));
                start = i;
            }
            previous = cp;
            i += Character.charCount(cp);
        }
        parts.add(run.substring(start));
        return parts;
    }

    private static Map<String, String> categories() {
        Map<String, String> map = new java.util.HashMap<>();
        put(map, "document", "pdf", "doc", "docx", "odt", "rtf", "pages", "epub");
        put(map, "spreadsheet", "xls", "xlsx", "ods", "csv", "tsv", "numbers");
        put(map, "presentation", "ppt", "pptx", "odp", "key");
        put(
                map,
                "text",
                "txt",
                "md",
                "markdown",
                "log",
                "json",
                "xml",
                "yaml",
                "yml",
                "toml",
                "ini",
                "html",
                "htm",
                "css",
                "java",
                "kt",
                "py",
                "js",
                "ts",
                "c",
                "h",
                "cpp",
                "go",
                "rs",
                "rb",
                "sh",
                "sql",
                "properties");
        put(map, "image", "jpg", "jpeg", "png", "gif", "webp", "heic", "bmp", "tif", "tiff", "svg", "raw");
        put(map, "audio", "mp3", "wav", "flac", "aac", "ogg", "m4a");
        put(map, "video", "mp4", "mov", "mkv", "avi", "webm", "m4v");
        put(map, "archive", "zip", "tar", "gz", "tgz", "bz2", "xz", "7z", "rar");
        return Map.copyOf(map);
    }

    private static void put(Map<String, String> map, String category, String... extensions) {
        for (String extension : extensions) {
            map.put(extension, category);
        }
    }
}

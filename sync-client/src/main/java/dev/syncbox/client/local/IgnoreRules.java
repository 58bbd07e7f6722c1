package dev.syncbox.client.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The folder's {@code .syncboxignore}, in gitignore syntax: one pattern a line, {@code #} comments, {@code !} to
 * take an entry back, a trailing {@code /} for folders only, a leading or inner {@code /} to anchor the pattern at the
 * folder's top (else it matches a name at any depth), {@code *}, {@code ?}, {@code [...]} and {@code **}. The last
 * matching pattern wins, and an entry inside an ignored folder is ignored whatever comes after, as in git.
 */
public final class IgnoreRules {

    public static final String FILE = ".syncboxignore";

    private record Rule(Pattern pattern, boolean negated, boolean dirOnly) {}

    private final List<Rule> rules;

    private IgnoreRules(List<Rule> rules) {
        this.rules = rules;
    }

    public static final IgnoreRules NONE = new IgnoreRules(List.of());

    /** The rules of the folder's {@code .syncboxignore}, none when it has none. */
    public static IgnoreRules of(Path root) throws IOException {
        Path file = root.resolve(FILE);
        return Files.isRegularFile(file) ? parse(Files.readAllLines(file)) : NONE;
    }

    public static IgnoreRules parse(List<String> lines) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : lines) {
            String line = stripTrailingSpaces(raw);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean negated = false;
            if (line.startsWith("!")) {
                negated = true;
                line = line.substring(1);
            } else if (line.startsWith("\\!") || line.startsWith("\\#")) {
                line = line.substring(1);
            }
            boolean dirOnly = line.endsWith("/");
            if (dirOnly) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty()) {
                continue;
            }
            boolean anchored = line.contains("/");
            if (line.startsWith("/")) {
                line = line.substring(1);
            }
            String regex = (anchored ? "" : "(?:.*/)?") + translate(line);
            rules.add(new Rule(Pattern.compile(regex, Pattern.DOTALL), negated, dirOnly));
        }
        return new IgnoreRules(List.copyOf(rules));
    }

    /** Whether the entry at {@code path} (server form, {@code /a/b}) is ignored, itself or through a folder above. */
    public boolean ignored(String path, boolean dir) {
        if (rules.isEmpty()) {
            return false;
        }
        String relative = path.substring(1);
        // A folder above that is ignored hides everything in it.
        for (int slash = relative.indexOf('/'); slash > 0; slash = relative.indexOf('/', slash + 1)) {
            if (matches(relative.substring(0, slash), true)) {
                return true;
            }
        }
        return matches(relative, dir);
    }

    private boolean matches(String relative, boolean dir) {
        boolean ignored = false;
        for (Rule rule : rules) {
            if (rule.dirOnly() && !dir) {
                continue;
            }
            if (rule.pattern().matcher(relative).matches()) {
                ignored = !rule.negated();
            }
        }
        return ignored;
    }

    private static String stripTrailingSpaces(String line) {
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) == ' ' && !(end > 1 && line.charAt(end - 2) == '\\')) {
            end--;
        }
        return line.substring(0, end);
    }

    /** A glob as a regular expression over a path relative to the top. */
    static String translate(String glob) {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (c == '*') {
                boolean doubled = i + 1 < glob.length() && glob.charAt(i + 1) == '*';
                boolean atSegmentStart = i == 0 || glob.charAt(i - 1) == '/';
                if (doubled && atSegmentStart && (i + 2 == glob.length() || glob.charAt(i + 2) == '/')) {
                    if (i + 2 == glob.length()) {
                        regex.append(".*");
                        i += 2;
                    } else {
                        // "**/": zero or more folders.
                        regex.append("(?:.*/)?");
                        i += 3;
                    }
                    continue;
                }
                regex.append("[^/]*");
                while (i < glob.length() && glob.charAt(i) == '*') {
                    i++;
                }
                continue;
            }
            if (c == '?') {
                regex.append("[^/]");
            } else if (c == '[') {
                int close = classEnd(glob, i);
                if (close < 0) {
                    regex.append("\\[");
                } else {
                    String body = glob.substring(i + 1, close);
                    StringBuilder cls = new StringBuilder("[");
                    int j = 0;
                    if (!body.isEmpty() && (body.charAt(0) == '!' || body.charAt(0) == '^')) {
                        cls.append('^');
                        j = 1;
                    }
                    for (; j < body.length(); j++) {
                        char b = body.charAt(j);
                        if (b == '\\' && j + 1 < body.length()) {
                            cls.append('\\').append(body.charAt(++j));
                        } else if (b == '[' || b == '&' || b == '^' || b == '\\' || b == '~' || b == '|') {
                            cls.append('\\').append(b);
                        } else {
                            cls.append(b);
                        }
                    }
                    regex.append(cls.append("&&[^/]]"));
                    i = close;
                }
            } else if (c == '\\' && i + 1 < glob.length()) {
                regex.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
            i++;
        }
        return regex.toString();
    }

    /** The index of the {@code ]} closing the class opened at {@code open}, or -1. */
    private static int classEnd(String glob, int open) {
        int j = open + 1;
        if (j < glob.length() && (glob.charAt(j) == '!' || glob.charAt(j) == '^')) {
            j++;
        }
        if (j < glob.length() && glob.charAt(j) == ']') {
            j++;
        }
        for (; j < glob.length(); j++) {
            if (glob.charAt(j) == '\\') {
                j++;
            } else if (glob.charAt(j) == ']') {
                return j;
            }
        }
        return -1;
    }
}

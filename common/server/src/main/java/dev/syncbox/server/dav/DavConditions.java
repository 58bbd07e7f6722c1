package dev.syncbox.server.dav;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * WebDAV's {@code If} header (RFC 4918 section 10.4): lists of conditions on lock tokens and entity tags, each list
 * optionally tagged with the resource it is about. The header holds when any list does; a list holds when all of
 * its conditions do. The lock tokens it names are the ones the request submits.
 */
public final class DavConditions {

    /** One condition: a state token ({@code <opaquelocktoken:…>}) or an entity tag, possibly negated. */
    public record Condition(boolean not, String stateToken, String etag) {}

    /** A list of conditions, with the raw resource tag it applies to ({@code null}: the request URI). */
    public record ConditionList(String resource, List<Condition> conditions) {}

    /** What a condition is checked against: the resource's entity tag (quoted; null when none) and its lock tokens. */
    public record State(String etag, Set<String> lockTokens) {}

    private final List<ConditionList> lists;

    private DavConditions(List<ConditionList> lists) {
        this.lists = lists;
    }

    /** No header: no conditions, no tokens. */
    public static DavConditions none() {
        return new DavConditions(List.of());
    }

    /** The header parsed; an {@code invalid_request} when it does not follow the grammar. */
    public static DavConditions parse(String header) {
        if (header == null || header.isBlank()) {
            return none();
        }
        List<ConditionList> lists = new ArrayList<>();
        String resource = null;
        boolean tagged = false;
        int i = 0;
        int n = header.length();
        while (true) {
            i = skipSpace(header, i);
            if (i >= n) {
                break;
            }
            char c = header.charAt(i);
            if (c == '<') {
                int close = header.indexOf('>', i);
                if (close < 0 || (!tagged && !lists.isEmpty())) {
                    throw invalid();
                }
                tagged = true;
                resource = header.substring(i + 1, close);
                i = close + 1;
                i = skipSpace(header, i);
                if (i >= n || header.charAt(i) != '(') {
                    throw invalid();
                }
            } else if (c == '(') {
                if (tagged && resource == null) {
                    throw invalid();
                }
                List<Condition> conditions = new ArrayList<>();
                i++;
                while (true) {
                    i = skipSpace(header, i);
                    if (i >= n) {
                        throw invalid();
                    }
                    if (header.charAt(i) == ')') {
                        i++;
                        break;
                    }
                    boolean not = false;
                    if (header.regionMatches(true, i, "Not", 0, 3)) {
                        not = true;
                        i = skipSpace(header, i + 3);
                    }
                    if (i >= n) {
                        throw invalid();
                    }
                    if (header.charAt(i) == '<') {
                        int close = header.indexOf('>', i);
                        if (close < 0) {
                            throw invalid();
                        }
                        conditions.add(new Condition(not, header.substring(i + 1, close), null));
                        i = close + 1;
                    } else if (header.charAt(i) == '[') {
                        int close = header.indexOf(']', i);
                        if (close < 0) {
                            throw invalid();
                        }
                        conditions.add(new Condition(
                                not, null, header.substring(i + 1, close).strip()));
                        i = close + 1;
                    } else {
                        throw invalid();
                    }
                }
                if (conditions.isEmpty()) {
                    throw invalid();
                }
                lists.add(new ConditionList(resource, List.copyOf(conditions)));
            } else {
                throw invalid();
            }
        }
        if (lists.isEmpty()) {
            throw invalid();
        }
        return new DavConditions(List.copyOf(lists));
    }

    public List<ConditionList> lists() {
        return lists;
    }

    public boolean present() {
        return !lists.isEmpty();
    }

    /** The lock tokens the header names: the ones this request submits. */
    public Set<String> tokens() {
        Set<String> tokens = new LinkedHashSet<>();
        for (ConditionList list : lists) {
            for (Condition condition : list.conditions()) {
                if (condition.stateToken() != null) {
                    tokens.add(condition.stateToken());
                }
            }
        }
        return tokens;
    }

    /**
     * Whether the header holds, each list checked against the state of its resource ({@code state} gets the raw
     * resource tag, or {@code null} for the request URI). No header always holds.
     */
    public boolean holds(Function<String, State> state) {
        if (lists.isEmpty()) {
            return true;
        }
        for (ConditionList list : lists) {
            State s = state.apply(list.resource());
            boolean all = true;
            for (Condition condition : list.conditions()) {
                boolean met = condition.stateToken() != null
                        ? s.lockTokens().contains(condition.stateToken())
                        : s.etag() != null && sameTag(s.etag(), condition.etag());
                if (met == condition.not()) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    /** Entity tags compared strongly, each with or without its weak marker and quotes. */
    static boolean sameTag(String a, String b) {
        return bare(a).equals(bare(b));
    }

    private static String bare(String tag) {
        String t = tag.strip();
        if (t.startsWith("W/")) {
            t = t.substring(2);
        }
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            t = t.substring(1, t.length() - 1);
        }
        return t;
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static SyncboxException invalid() {
        return new SyncboxException(ErrorCode.INVALID_REQUEST, "The If header does not follow RFC 4918's grammar");
    }

    /** {@code PRECONDITION_FAILED}: the If header does not hold. */
    public static SyncboxException failed() {
        return new SyncboxException(ErrorCode.PRECONDITION_FAILED, "The If header's conditions do not hold");
    }
}

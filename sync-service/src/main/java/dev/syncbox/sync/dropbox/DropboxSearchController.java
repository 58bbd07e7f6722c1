package dev.syncbox.sync.dropbox;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.core.search.IndexTerms;
import dev.syncbox.server.dropbox.DropboxApi;
import dev.syncbox.server.dropbox.DropboxApiException;
import dev.syncbox.server.dropbox.DropboxArgs;
import dev.syncbox.server.dropbox.DropboxErrors;
import dev.syncbox.server.dropbox.DropboxWire;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.web.CurrentUser;
import dev.syncbox.sync.search.FileSearch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import tools.jackson.databind.json.JsonMapper;

/**
 * Dropbox's {@code files/search_v2} and {@code files/search/continue_v2} on syncbox's search. Dropbox's cursor carries
 * the whole search (continue_v2 sends nothing else), so it holds the query and options beside syncbox's own cursor.
 * Extensions and categories are matched here, on each page, unless one extension alone can go to the index.
 */
@DropboxApi
class DropboxSearchController {

    private static final Set<String> CATEGORIES = Set.of(
            "image", "document", "pdf", "spreadsheet", "presentation", "audio", "video", "folder", "paper", "others");

    /** A search as its cursor keeps it; {@code after} is syncbox's cursor for the next page. */
    record Search(
            String query,
            String path,
            List<String> extensions,
            List<String> categories,
            boolean filenameOnly,
            int max,
            String after) {}

    private final FileSearch search;
    private final Sharing sharing;
    private final DropboxLookup lookup;
    private final DropboxCursors cursors;
    private final JsonMapper json;

    DropboxSearchController(
            FileSearch search, Sharing sharing, DropboxLookup lookup, DropboxCursors cursors, JsonMapper json) {
        this.search = search;
        this.sharing = sharing;
        this.lookup = lookup;
        this.cursors = cursors;
        this.json = json;
    }

    @PostMapping("/2/files/search_v2")
    Map<String, Object> search(CurrentUser user, @RequestBody(required = false) byte[] body) {
        DropboxArgs args = DropboxArgs.body(json, body);
        String query = args.string("query");
        if (query.length() > 1000) {
            throw DropboxApiException.badInput("Error in the body: 'query' is longer than 1000 characters");
        }
        DropboxArgs options = args.object("options");
        String status = options.tag("file_status", "active");
        if (!status.equals("active")) {
            throw invalid("syncbox's search finds live files only (file_status active)");
        }
        List<String> categories = new ArrayList<>();
        for (DropboxArgs category : categoryArgs(options)) {
            String tag = category.tag("c", null);
            if (!CATEGORIES.contains(tag)) {
                throw DropboxApiException.badInput("Error in the body: unknown file category '" + tag + "'");
            }
            categories.add(tag);
        }
        List<String> extensions = options.strings("file_extensions").stream()
                .map(e -> e.toLowerCase(Locale.ROOT).replaceFirst("^\\.", ""))
                .toList();
        Search request = new Search(
                query,
                scope(user, options.optionalString("path")),
                extensions,
                categories,
                options.bool("filename_only", false),
                (int) options.number("max_results", 100, 1, 1000),
                null);
        return page(user, request);
    }

    @PostMapping("/2/files/search/continue_v2")
    Map<String, Object> next(CurrentUser user, @RequestBody(required = false) byte[] body) {
        String cursor = DropboxArgs.body(json, body).string("cursor");
        Search request = cursors.open(cursor, Search.class);
        if (request == null || request.after() == null) {
            throw DropboxApiException.badInput("Error in the body: 'cursor' is not a cursor of files/search_v2");
        }
        return page(user, request);
    }

    /** {@code options.file_categories}: each a FileCategory given as "image" or {".tag": "image"}. */
    private List<DropboxArgs> categoryArgs(DropboxArgs options) {
        List<DropboxArgs> out = new ArrayList<>();
        var node = options.node().get("file_categories");
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw DropboxApiException.badInput("Error in the body: 'file_categories' must be a list");
        }
        for (var element : node) {
            out.add(DropboxArgs.body(json, json.writeValueAsBytes(Map.of("c", element))));
        }
        return out;
    }

    /** The folder to search in, as a syncbox path ({@code null}: everything). */
    private String scope(CurrentUser user, String argument) {
        if (argument == null || argument.isEmpty()) {
            return null;
        }
        DropboxWire.Target target = DropboxLookup.target(argument, "path");
        if (target.byPath() && SyncPath.isRoot(target.path())) {
            return null;
        }
        Sharing.Visible folder = lookup.require(user, target, "path");
        if (!folder.file().isDir()) {
            throw DropboxLookup.route("path", DropboxErrors.tag("not_folder"));
        }
        return folder.path();
    }

    private Map<String, Object> page(CurrentUser user, Search request) {
        String type = request.extensions().size() == 1 && request.categories().isEmpty()
                ? request.extensions().get(0)
                : null;
        FileSearch.Page page;
        try {
            page = search.search(
                    user,
                    new FileSearch.Request(
                            request.query(),
                            request.path(),
                            type,
                            null,
                            Integer.toString(Math.min(request.max(), 100)),
                            request.after()));
        } catch (SyncboxException e) {
            if (e.code() == ErrorCode.INVALID_REQUEST) {
                throw invalid(e.detail());
            }
            throw e;
        }
        Map<String, Sharing.Visible> found = page.matches().isEmpty()
                ? Map.of()
                : sharing.findAll(
                        user.userId(),
                        page.matches().stream().map(FileSearch.Match::fileId).toList());
        List<String> words = IndexTerms.queryWords(request.query());
        List<Map<String, Object>> matches = new ArrayList<>();
        for (FileSearch.Match match : page.matches()) {
            Sharing.Visible entry = found.get(match.fileId());
            if (entry == null
                    || entry.file().isDeleted()
                    || !wanted(request, match.name(), entry.file().isDir())) {
                continue;
            }
            boolean byName = byName(words, match.name());
            if (request.filenameOnly() && !byName) {
                continue;
            }
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("metadata", DropboxErrors.nested("metadata", DropboxWire.metadata(entry.file(), match.path())));
            item.put("match_type", DropboxErrors.tag(byName ? "filename" : "file_content"));
            matches.add(item);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("matches", matches);
        result.put("has_more", page.hasMore());
        if (page.hasMore()) {
            Search next = new Search(
                    request.query(),
                    request.path(),
                    request.extensions(),
                    request.categories(),
                    request.filenameOnly(),
                    request.max(),
                    page.nextCursor());
            result.put("cursor", cursors.seal(next));
        }
        return result;
    }

    /** Whether a match passes the extension and category filters. */
    private static boolean wanted(Search request, String name, boolean dir) {
        String extension = IndexTerms.extension(name);
        boolean byExtension =
                request.extensions().isEmpty() || (!dir && request.extensions().contains(extension));
        boolean byCategory =
                request.categories().isEmpty() || request.categories().contains(category(extension, dir));
        return byExtension && byCategory;
    }

    /** Dropbox's FileCategory of a name. */
    static String category(String extension, boolean dir) {
        if (dir) {
            return "folder";
        }
        if (extension.equals("pdf") || extension.equals("paper")) {
            return extension;
        }
        return switch (IndexTerms.category(extension, false)) {
            case "image", "audio", "video", "spreadsheet", "presentation" -> IndexTerms.category(extension, false);
            case "document", "text" -> "document";
            default -> "others";
        };
    }

    /** Whether every word of the query starts a word of the name (the match is by name, not by content). */
    private static boolean byName(List<String> words, String name) {
        List<String> nameWords = IndexTerms.words(name);
        return !words.isEmpty()
                && words.stream().allMatch(w -> nameWords.stream().anyMatch(n -> n.startsWith(w)));
    }

    private static DropboxApiException invalid(String detail) {
        return DropboxApiException.route(DropboxErrors.nested("invalid_argument", detail));
    }
}

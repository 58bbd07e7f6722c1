package dev.syncbox.sync.tree;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.cache.HotCache;
import dev.syncbox.server.metadata.FileEntity;
import dev.syncbox.server.metadata.FileRepository;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.metadata.UserRepository;
import dev.syncbox.server.web.CurrentUser;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Folder listings through Redis. The key carries the namespace's journal head
 * ({@code dir:{namespace}:{seq}:{folder}}), so any change in the namespace makes every cached listing
 * unreachable at once — a moved subtree of any size included — and stale entries just expire.
 */
@Service
class FolderListings {

    private static final Duration TTL = Duration.ofMinutes(5);

    private final UserRepository users;
    private final FileRepository files;
    private final JdbcTemplate jdbc;
    private final HotCache cache;
    private final JsonMapper json;

    FolderListings(UserRepository users, FileRepository files, JdbcTemplate jdbc, HotCache cache, JsonMapper json) {
        this.users = users;
        this.files = files;
        this.jdbc = jdbc;
        this.cache = cache;
        this.json = json;
    }

    TreeController.Listing list(CurrentUser user, String rawPath) {
        String path = SyncPath.normalize(rawPath);
        long namespaceId = users.findById(user.userId()).orElseThrow().rootNamespaceId();
        long seq =
                jdbc.queryForObject("SELECT last_seq FROM namespaces WHERE namespace_id = ?", Long.class, namespaceId);
        String key = "dir:" + namespaceId + ":" + seq + ":" + PathKeys.of(path);
        Optional<TreeController.Listing> cached = cache.get(key).flatMap(this::parse);
        if (cached.isPresent()) {
            return cached.get();
        }
        String folderPath = SyncPath.ROOT;
        if (!SyncPath.isRoot(path)) {
            FileEntity folder = files.findLive(namespaceId, PathKeys.of(path))
                    .orElseThrow(() -> new SyncboxException(ErrorCode.NOT_FOUND, "No folder " + path));
            if (!folder.isDir()) {
                throw new SyncboxException(ErrorCode.PATH_CONFLICT, path + " is a file, not a folder");
            }
            folderPath = folder.path();
        }
        List<TreeController.Entry> entries = files.findChildren(namespaceId, PathKeys.of(folderPath)).stream()
                .map(FolderListings::entry)
                .toList();
        TreeController.Listing listing = new TreeController.Listing(folderPath, entries);
        cache.put(key, json.writeValueAsString(listing), TTL);
        return listing;
    }

    private Optional<TreeController.Listing> parse(String text) {
        try {
            return Optional.of(json.readValue(text, TreeController.Listing.class));
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    static TreeController.Entry entry(FileEntity f) {
        return new TreeController.Entry(
                f.getId(),
                SyncPath.name(f.path()),
                f.path(),
                f.isDir(),
                f.sizeBytes(),
                f.currentVersionId(),
                f.contentHash(),
                f.modifiedAt());
    }
}

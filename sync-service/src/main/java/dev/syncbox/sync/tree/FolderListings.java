package dev.syncbox.sync.tree;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.cache.HotCache;
import dev.syncbox.server.metadata.FileEntity;
import dev.syncbox.server.metadata.FileRepository;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.share.View;
import dev.syncbox.server.web.CurrentUser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
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

    private final Sharing sharing;
    private final FileRepository files;
    private final JdbcTemplate jdbc;
    private final HotCache cache;
    private final JsonMapper json;

    FolderListings(Sharing sharing, FileRepository files, JdbcTemplate jdbc, HotCache cache, JsonMapper json) {
        this.sharing = sharing;
        this.files = files;
        this.jdbc = jdbc;
        this.cache = cache;
        this.json = json;
    }

    /**
     * A folder of the caller's tree. Folders inside a share are listed from the owner's namespace
     * (cached there) and shown at the caller's paths; the caller's root also shows what is shared with
     * them, each at its mount point.
     */
    TreeController.Listing list(CurrentUser user, String rawPath) {
        String requested = SyncPath.normalize(rawPath);
        Sharing.Location location = sharing.locate(user.userId(), requested);
        TreeController.Listing listing = owned(location.namespaceId(), location.path(), requested);
        View view = location.view();
        List<TreeController.Entry> entries = new ArrayList<>();
        listing.entries().forEach(e -> entries.add(e.at(view.path(e.path()))));
        if (SyncPath.isRoot(requested)) {
            for (Sharing.Mounted mount : sharing.mounts(user.userId())) {
                entries.add(entry(mount.root(), mount.view()));
            }
            entries.sort(Comparator.comparing(e -> PathKeys.of(e.path())));
        }
        return new TreeController.Listing(view.path(listing.path()), entries);
    }

    /** A folder's listing at the owner's paths; problems name {@code shown}, the caller's path. */
    private TreeController.Listing owned(long namespaceId, String path, String shown) {
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
                    .orElseThrow(() -> new SyncboxException(ErrorCode.NOT_FOUND, "No folder " + shown));
            if (!folder.isDir()) {
                throw new SyncboxException(ErrorCode.PATH_CONFLICT, shown + " is a file, not a folder");
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
        return entry(f, View.OWNER);
    }

    static TreeController.Entry entry(FileEntity f, View view) {
        String path = view.path(f.path());
        return new TreeController.Entry(
                f.getId(),
                SyncPath.name(path),
                path,
                f.isDir(),
                f.sizeBytes(),
                f.currentVersionId(),
                f.contentHash(),
                f.modifiedAt());
    }
}

package dev.syncbox.sync.dropbox;

import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.dropbox.DropboxErrors;
import dev.syncbox.server.dropbox.DropboxWire;
import dev.syncbox.server.share.Sharing;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Dropbox's shared folders over syncbox's shared items: a folder's {@code shared_folder_id} is its file id; its owner
 * sees the folders they made shared items (by {@code sharing/share_folder} or a first member, a {@code shared_roots}
 * row, with members or not yet), a member those shared with them at their mount paths, as {@code editor}
 * (READ_WRITE) or {@code viewer} (READ).
 */
@Component
class DropboxSharedFolders {

    /** A shared folder as one user sees it. */
    record Folder(String id, String name, String path, String accessType, Instant invited, long ownerId) {}

    private static final String OWNED = "SELECT f.file_id, f.file_path, f.owner_id, n.created_at FROM shared_roots r"
            + " JOIN files f ON f.namespace_id = r.namespace_id AND f.file_id = r.file_id"
            + " JOIN namespaces n ON n.namespace_id = r.shared_namespace_id"
            + " WHERE r.namespace_id = ? AND NOT f.is_deleted AND f.is_dir";
    private static final String WITH_ME = "SELECT f.file_id, f.file_path, f.owner_id, s.created_at, s.permission,"
            + " s.mount_path FROM shared_items s JOIN files f ON f.file_id = s.file_id"
            + " WHERE s.shared_with_user_id = ? AND NOT f.is_deleted AND f.is_dir";

    private final JdbcTemplate jdbc;
    private final Sharing sharing;

    DropboxSharedFolders(JdbcTemplate jdbc, Sharing sharing) {
        this.jdbc = jdbc;
        this.sharing = sharing;
    }

    /** Up to {@code limit} shared folders of the user after the id {@code after}, by id: theirs and others'. */
    List<Folder> page(long userId, String after, int limit) {
        String from = after == null ? "" : after;
        List<Folder> folders = new ArrayList<>(jdbc.query(
                OWNED + " AND f.file_id > ? ORDER BY f.file_id LIMIT ?",
                DropboxSharedFolders::owned,
                sharing.rootNamespace(userId),
                from,
                limit));
        folders.addAll(jdbc.query(
                WITH_ME + " AND f.file_id > ? ORDER BY f.file_id LIMIT ?",
                DropboxSharedFolders::withMe,
                userId,
                from,
                limit));
        folders.sort(Comparator.comparing(Folder::id));
        return folders.size() > limit ? folders.subList(0, limit) : folders;
    }

    /** One shared folder as the user sees it, if it is one and they are in it. */
    Optional<Folder> find(long userId, String folderId) {
        if (!dev.syncbox.core.id.Ids.isUlid(folderId)) {
            return Optional.empty();
        }
        List<Folder> owned = jdbc.query(
                OWNED + " AND f.file_id = ?", DropboxSharedFolders::owned, sharing.rootNamespace(userId), folderId);
        if (!owned.isEmpty()) {
            return Optional.of(owned.get(0));
        }
        return jdbc.query(WITH_ME + " AND f.file_id = ?", DropboxSharedFolders::withMe, userId, folderId).stream()
                .findFirst();
    }

    /** Whether a shared item of the user's namespace is the folder at {@code key}, above it, or under it. */
    Optional<String> overlap(long userId, String key) {
        return jdbc
                .query(
                        "SELECT CASE WHEN f.path_key = ? THEN 'already_shared' WHEN starts_with(?, f.path_key || '/')"
                                + " THEN 'inside_shared_folder' ELSE 'contains_shared_folder' END FROM shared_roots r"
                                + " JOIN files f ON f.namespace_id = r.namespace_id AND f.file_id = r.file_id"
                                + " WHERE r.namespace_id = ? AND NOT f.is_deleted AND (f.path_key = ?"
                                + " OR starts_with(?, f.path_key || '/') OR starts_with(f.path_key, ? || '/'))"
                                + " ORDER BY 1 LIMIT 1",
                        (rs, n) -> rs.getString(1),
                        key,
                        key,
                        sharing.rootNamespace(userId),
                        key,
                        key,
                        key)
                .stream()
                .findFirst();
    }

    /** {@code SharedFolderMetadata}. */
    Map<String, Object> metadata(Folder folder) {
        Map<String, Object> policy = new LinkedHashMap<>();
        // Only the owner adds or removes members; anyone may be invited; links are not syncbox's.
        policy.put("acl_update_policy", DropboxErrors.tag("owner"));
        policy.put("shared_link_policy", DropboxErrors.tag("members"));
        policy.put("member_policy", DropboxErrors.tag("anyone"));
        policy.put("resolved_member_policy", DropboxErrors.tag("anyone"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access_type", DropboxErrors.tag(folder.accessType()));
        out.put("is_inside_team_folder", false);
        out.put("is_team_folder", false);
        out.put("name", folder.name());
        out.put("policy", policy);
        // No web preview in syncbox: the folder's listing in its API, at the gateway the caller used.
        out.put(
                "preview_url",
                ServletUriComponentsBuilder.fromCurrentContextPath()
                        .path("/files/list")
                        .queryParam("path", "{path}")
                        .buildAndExpand(folder.path())
                        .encode()
                        .toUriString());
        out.put("shared_folder_id", folder.id());
        out.put("time_invited", DropboxWire.time(folder.invited()));
        out.put("path_lower", DropboxWire.pathLower(folder.path()));
        out.put("path_display", DropboxWire.path(folder.path()));
        out.put("access_inheritance", DropboxErrors.tag("inherit"));
        return out;
    }

    private static Folder owned(ResultSet rs, int n) throws SQLException {
        String path = rs.getString(2);
        return new Folder(
                rs.getString(1),
                SyncPath.name(path),
                path,
                "owner",
                rs.getTimestamp(4).toInstant(),
                rs.getLong(3));
    }

    private static Folder withMe(ResultSet rs, int n) throws SQLException {
        String mount = rs.getString(6);
        return new Folder(
                rs.getString(1),
                SyncPath.name(mount),
                mount,
                "READ_WRITE".equals(rs.getString(5)) ? "editor" : "viewer",
                rs.getTimestamp(4).toInstant(),
                rs.getLong(3));
    }
}

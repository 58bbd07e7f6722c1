package dev.syncbox.sync.share;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.files.EntriesRestored;
import dev.syncbox.server.journal.Journal;
import dev.syncbox.server.metadata.FileEntity;
import dev.syncbox.server.metadata.FileRepository;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.metadata.UserEntity;
import dev.syncbox.server.metadata.UserRepository;
import dev.syncbox.server.share.Permission;
import dev.syncbox.server.share.ShareChanged;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.web.CurrentUser;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates, changes and revokes shares. Only the owner shares (a READ_WRITE sharee edits content but
 * does not decide who else sees it); a sharee may leave a share. Every change bumps the sharee's
 * permission cache generation after commit and wakes their long-polls.
 */
@Service
public class Shares {

    private static final String SHARE_COLUMNS =
            "s.share_id, s.file_id, u.user_id, u.email, u.name, s.permission," + " s.created_at, s.updated_at";

    private final Sharing sharing;
    private final FileRepository files;
    private final UserRepository users;
    private final Journal journal;
    private final ApplicationEventPublisher events;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    Shares(
            Sharing sharing,
            FileRepository files,
            UserRepository users,
            Journal journal,
            ApplicationEventPublisher events,
            JdbcTemplate jdbc,
            Clock clock) {
        this.sharing = sharing;
        this.files = files;
        this.users = users;
        this.journal = journal;
        this.events = events;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional
    public ShareController.ShareView share(CurrentUser user, String fileId, ShareController.ShareRequest request) {
        Permission permission = permission(request.permission());
        FileEntity item = owned(user, fileId);
        UserEntity sharee = sharee(request);
        if (sharee.id() == user.userId()) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "You own this item already");
        }
        journal.lock(item.namespaceId());
        item = owned(user, fileId); // as it is under the lock: a concurrent move changes its path
        if (SyncPath.isRoot(item.path())) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "The root folder cannot be shared");
        }
        requireNotNested(item, sharee.id());
        long namespaceId = sharedNamespace(item);
        Instant now = clock.instant();
        Long shareId = null;
        for (int attempt = 0; shareId == null; attempt++) {
            if (attempt == 10) {
                throw new SyncboxException(ErrorCode.SERVICE_UNAVAILABLE, "Could not find a free name; retry");
            }
            // Another owner sharing an item of the same name with the same person at the same moment
            // takes the name first: the insert waits for it, then the next free name is used.
            String mount = freeMount(sharee, SyncPath.name(item.path()));
            List<Long> inserted = jdbc.queryForList(
                    "INSERT INTO shared_items (file_id, owner_id, shared_with_user_id, namespace_id, permission,"
                            + " mount_path, mount_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT DO NOTHING RETURNING share_id",
                    Long.class,
                    item.getId(),
                    user.userId(),
                    sharee.id(),
                    namespaceId,
                    permission.name(),
                    mount,
                    PathKeys.of(mount),
                    Timestamp.from(now),
                    Timestamp.from(now));
            if (inserted.isEmpty()) {
                requireNotNested(item, sharee.id());
            } else {
                shareId = inserted.get(0);
            }
        }
        announceChange(sharee);
        return new ShareController.ShareView(
                shareId, item.getId(), sharee.id(), sharee.email(), sharee.name(), permission.name(), now, now);
    }

    /**
     * Makes the caller's item a shared item with no one in it yet (Dropbox's {@code sharing/share_folder}): its
     * namespace and {@code shared_roots} row, as a first share makes them. Returns the namespace.
     */
    @Transactional
    public long shareItem(CurrentUser user, String fileId) {
        FileEntity item = owned(user, fileId);
        journal.lock(item.namespaceId());
        item = owned(user, fileId); // as it is under the lock
        if (SyncPath.isRoot(item.path())) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "The root folder cannot be shared");
        }
        return sharedNamespace(item);
    }

    public List<ShareController.ShareView> list(CurrentUser user, String fileId) {
        FileEntity item = sharing.find(user.userId(), fileId)
                .filter(v -> !v.file().isDeleted())
                .orElseThrow(() -> Sharing.notFound(fileId))
                .file();
        return jdbc.query(
                "SELECT " + SHARE_COLUMNS + " FROM shared_items s JOIN users u ON u.user_id = s.shared_with_user_id"
                        + " WHERE s.file_id = ? ORDER BY s.share_id",
                (rs, n) -> shareView(rs),
                item.getId());
    }

    @Transactional
    public ShareController.ShareView change(CurrentUser user, String fileId, String shareId, String permission) {
        Permission wanted = permission(permission);
        FileEntity item = owned(user, fileId);
        long id = shareOf(item, shareId).sharee();
        jdbc.update(
                "UPDATE shared_items SET permission = ?, updated_at = ? WHERE share_id = ?",
                wanted.name(),
                Timestamp.from(clock.instant()),
                Long.parseLong(shareId));
        announceChange(users.findById(id).orElseThrow());
        return jdbc.queryForObject(
                "SELECT " + SHARE_COLUMNS
                        + " FROM shared_items s JOIN users u ON u.user_id = s.shared_with_user_id WHERE s.share_id = ?",
                (rs, n) -> shareView(rs),
                Long.parseLong(shareId));
    }

    @Transactional
    public void revoke(CurrentUser user, String fileId, String shareId) {
        FileEntity item = sharing.find(user.userId(), fileId)
                .orElseThrow(() -> Sharing.notFound(fileId))
                .file();
        ShareRow share = shareOf(item, shareId);
        if (item.ownerId() != user.userId() && share.sharee() != user.userId()) {
            // A member of the share sees it but may only leave it themselves.
            throw new SyncboxException(ErrorCode.PERMISSION_DENIED, "Only the owner can remove someone else");
        }
        jdbc.update("DELETE FROM shared_items WHERE share_id = ?", share.id());
        announceChange(users.findById(share.sharee()).orElseThrow());
    }

    public List<ShareController.SharedItem> sharedWith(CurrentUser user) {
        return jdbc.query(
                "SELECT s.share_id, f.file_id, s.mount_path, f.is_dir, s.permission, o.user_id, o.email, o.name,"
                        + " s.created_at FROM shared_items s JOIN files f ON f.file_id = s.file_id"
                        + " JOIN users o ON o.user_id = s.owner_id"
                        + " WHERE s.shared_with_user_id = ? AND NOT f.is_deleted ORDER BY s.mount_key",
                (rs, n) -> new ShareController.SharedItem(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        SyncPath.name(rs.getString(3)),
                        rs.getBoolean(4),
                        rs.getString(5),
                        new ShareController.Owner(rs.getLong(6), rs.getString(7), rs.getString(8)),
                        rs.getTimestamp(9).toInstant()),
                user.userId());
    }

    /** The item, live, if the caller owns it; 403 for a sharee, 404 for anyone else. */
    private FileEntity owned(CurrentUser user, String fileId) {
        Sharing.Visible visible = sharing.find(user.userId(), fileId)
                .filter(v -> !v.file().isDeleted())
                .orElseThrow(() -> Sharing.notFound(fileId));
        if (!visible.view().owner()) {
            throw new SyncboxException(ErrorCode.PERMISSION_DENIED, "Only the owner can share this item");
        }
        return visible.file();
    }

    private record ShareRow(long id, long sharee) {}

    private ShareRow shareOf(FileEntity item, String shareId) {
        long id;
        try {
            id = Long.parseLong(shareId);
        } catch (NumberFormatException e) {
            throw noShare(shareId);
        }
        List<ShareRow> rows = jdbc.query(
                "SELECT share_id, shared_with_user_id FROM shared_items WHERE share_id = ? AND file_id = ?",
                (rs, n) -> new ShareRow(rs.getLong(1), rs.getLong(2)),
                id,
                item.getId());
        if (rows.isEmpty()) {
            throw noShare(shareId);
        }
        return rows.get(0);
    }

    private UserEntity sharee(ShareController.ShareRequest request) {
        if ((request.userId() == null) == (request.email() == null)) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "Give exactly one of user_id and email");
        }
        return (request.userId() != null
                        ? users.findById(request.userId())
                        : users.findByEmail(request.email().toLowerCase(Locale.ROOT)))
                .orElseThrow(() -> new SyncboxException(ErrorCode.NOT_FOUND, "No such user"));
    }

    /**
     * One share per person per subtree: sharing a folder inside (or around) an item already shared
     * with the same person would show them the same files twice.
     */
    private void requireNotNested(FileEntity item, long shareeId) {
        String key = PathKeys.of(item.path());
        // The sharee's shares from this owner (the sharee's shard), then which of their roots overlap the item (the
        // owner namespace's shard): two statements, each on one shard when the metadata is distributed.
        Map<String, Long> shares = new java.util.HashMap<>();
        jdbc.query(
                "SELECT file_id, share_id FROM shared_items WHERE shared_with_user_id = ? AND owner_id = ?",
                rs -> {
                    shares.put(rs.getString(1), rs.getLong(2));
                },
                shareeId,
                item.ownerId());
        List<Long> overlapping = shares.isEmpty()
                ? List.of()
                : jdbc
                        .queryForList(
                                "SELECT file_id FROM files WHERE namespace_id = ? AND file_id = ANY(?) AND (path_key = ?"
                                        + " OR starts_with(?, path_key || '/') OR starts_with(path_key, ? || '/'))"
                                        + " ORDER BY file_id",
                                String.class,
                                item.namespaceId(),
                                shares.keySet().toArray(String[]::new),
                                key,
                                key,
                                key)
                        .stream()
                        .map(shares::get)
                        .toList();
        if (!overlapping.isEmpty()) {
            throw new SyncboxException(
                    ErrorCode.ALREADY_SHARED,
                    "This item, a folder around it or one inside it is already shared with this person",
                    Map.of("share_id", overlapping.get(0)));
        }
    }

    /** The item's own namespace, created with its first share. */
    private long sharedNamespace(FileEntity item) {
        List<Long> existing = jdbc.queryForList(
                "SELECT shared_namespace_id FROM shared_roots WHERE namespace_id = ? AND file_id = ?",
                Long.class,
                item.namespaceId(),
                item.getId());
        if (!existing.isEmpty()) {
            return existing.get(0);
        }
        long created = jdbc.queryForObject(
                "INSERT INTO namespaces (owner_id, kind, root_file_id, parent_namespace_id, created_at)"
                        + " VALUES (?, 'SHARED', ?, ?, ?) RETURNING namespace_id",
                Long.class,
                item.ownerId(),
                item.getId(),
                item.namespaceId(),
                Timestamp.from(clock.instant()));
        jdbc.update(
                "INSERT INTO shared_roots (namespace_id, file_id, shared_namespace_id) VALUES (?, ?, ?)",
                item.namespaceId(),
                item.getId(),
                created);
        // Locked again (it is held already): later appends of this transaction see the new shared item.
        journal.lock(item.namespaceId());
        return created;
    }

    /**
     * Items back from the trash bring their shares back. While an item was gone its mount point was the sharee's own
     * path again (a share whose item is gone holds no paths), so the sharee may have made something there: such a
     * share moves to a free name, "/Name (2)", as a new share would, and the sharee's feed deletes the old mount point
     * and lists the item at the new one. Runs in the restore's transaction.
     */
    @EventListener
    void on(EntriesRestored restored) {
        // Most restores bring back nothing shared: asked of the namespace's own shard first.
        List<String> roots = jdbc.queryForList(
                "SELECT file_id FROM shared_roots WHERE namespace_id = ? AND file_id = ANY(?)",
                String.class,
                restored.namespaceId(),
                restored.fileIds().toArray(String[]::new));
        if (roots.isEmpty()) {
            return;
        }
        List<Map<String, Object>> back = jdbc.queryForList(
                "SELECT s.share_id, s.shared_with_user_id, s.mount_path FROM shared_items s"
                        + " JOIN users u ON u.user_id = s.shared_with_user_id"
                        + " WHERE s.file_id = ANY(?) AND EXISTS (SELECT 1 FROM files f"
                        + " WHERE f.namespace_id = u.root_namespace_id AND f.path_key = s.mount_key AND NOT f.is_deleted)",
                (Object) roots.toArray(String[]::new));
        for (Map<String, Object> share : back) {
            UserEntity sharee = users.findById(((Number) share.get("shared_with_user_id")).longValue())
                    .orElseThrow();
            String mount = freeMount(sharee, SyncPath.name((String) share.get("mount_path")));
            jdbc.update(
                    "UPDATE shared_items SET mount_path = ?, mount_key = ? WHERE share_id = ?",
                    mount,
                    PathKeys.of(mount),
                    share.get("share_id"));
            announceChange(sharee);
        }
    }

    /** "/Name", or "/Name (2)"... when the sharee already has something by that name at the top. */
    private String freeMount(UserEntity sharee, String name) {
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        String candidate = SyncPath.child(SyncPath.ROOT, name);
        for (int n = 2; taken(sharee, candidate); n++) {
            candidate = SyncPath.child(SyncPath.ROOT, stem + " (" + n + ")" + extension);
        }
        return candidate;
    }

    private boolean taken(UserEntity sharee, String mount) {
        String key = PathKeys.of(mount);
        return files.findLive(sharee.rootNamespaceId(), key).isPresent()
                || !jdbc.queryForList(
                                "SELECT 1 FROM shared_items WHERE shared_with_user_id = ? AND mount_key = ?",
                                Integer.class,
                                sharee.id(),
                                key)
                        .isEmpty();
    }

    private void announceChange(UserEntity sharee) {
        events.publishEvent(new ShareChanged(sharee.id(), sharee.rootNamespaceId()));
    }

    private static Permission permission(String value) {
        try {
            return Permission.valueOf(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "permission must be READ or READ_WRITE");
        }
    }

    private static SyncboxException noShare(String shareId) {
        return new SyncboxException(ErrorCode.NOT_FOUND, "No share " + shareId);
    }

    private static ShareController.ShareView shareView(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new ShareController.ShareView(
                rs.getLong(1),
                rs.getString(2),
                rs.getLong(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getTimestamp(7).toInstant(),
                rs.getTimestamp(8).toInstant());
    }
}

package dev.syncbox.sync.dav;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.share.View;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/**
 * What a DAV path of the caller's tree is: located through {@link Sharing} (so a share's entries are read from the
 * owner's namespace and anything the caller may not see is simply absent), read with the columns a DAV answer needs,
 * {@code client_modified_at} among them.
 */
@Component
class DavResources {

    /** An entry of the caller's tree (the root has no row: {@code fileId} null). */
    record Resource(
            String path,
            long namespaceId,
            String namespacePath,
            String fileId,
            boolean dir,
            long size,
            String versionId,
            Instant createdAt,
            Instant modifiedAt,
            View view,
            boolean mountRoot) {

        boolean root() {
            return fileId == null;
        }

        boolean writable() {
            return view.writable();
        }

        boolean shared() {
            return !view.owner();
        }

        /** A file's ETag (its version, quoted); a folder's comes from {@link FolderTags}. */
        String fileTag() {
            return versionId == null ? null : '"' + versionId + '"';
        }
    }

    private static final String COLUMNS = "file_id, file_path, is_dir, size_bytes, current_version_id, created_at,"
            + " coalesce(client_modified_at, modified_at)";

    private final Sharing sharing;
    private final JdbcTemplate jdbc;

    DavResources(Sharing sharing, JdbcTemplate jdbc) {
        this.sharing = sharing;
        this.jdbc = jdbc;
    }

    Sharing sharing() {
        return sharing;
    }

    /** The entry at {@code path} of the caller's tree, if there is one. */
    Optional<Resource> find(long userId, String path) {
        Sharing.Location location;
        try {
            location = sharing.locate(userId, path);
        } catch (SyncboxException e) {
            if (e.code() == ErrorCode.PATH_CONFLICT) {
                return Optional.empty();
            }
            throw e;
        }
        if (SyncPath.isRoot(path)) {
            return Optional.of(new Resource(
                    path, location.namespaceId(), path, null, true, 0, null, null, null, View.OWNER, false));
        }
        boolean mountRoot =
                location.shared() && location.path().equals(location.view().rootPath());
        return jdbc
                .query(
                        "SELECT " + COLUMNS + " FROM files WHERE namespace_id = ? AND path_key = ? AND NOT is_deleted",
                        mapper(location.namespaceId(), location.view(), mountRoot),
                        location.namespaceId(),
                        PathKeys.of(location.path()))
                .stream()
                .findFirst();
    }

    /** {@link #find}, or a 404. */
    Resource require(long userId, String path) {
        return find(userId, path).orElseThrow(() -> new SyncboxException(ErrorCode.NOT_FOUND, "Nothing at " + path));
    }

    /** The live entries directly inside a folder in one query; in the caller's root, the mounts too. */
    List<Resource> children(long userId, Resource folder) {
        List<Resource> out = new ArrayList<>(jdbc.query(
                "SELECT " + COLUMNS + " FROM files WHERE namespace_id = ? AND parent_key = ? AND NOT is_deleted"
                        + " ORDER BY path_key",
                mapper(folder.namespaceId(), folder.view(), false),
                folder.namespaceId(),
                PathKeys.of(folder.namespacePath())));
        if (folder.root()) {
            for (Sharing.Mounted m : sharing.mounts(userId)) {
                if (PathKeys.of(SyncPath.parent(m.grant().mountPath())).equals(PathKeys.of(folder.path()))) {
                    var r = m.root();
                    out.add(new Resource(
                            m.grant().mountPath(),
                            r.namespaceId(),
                            r.path(),
                            r.getId(),
                            r.isDir(),
                            r.sizeBytes(),
                            r.currentVersionId(),
                            r.createdAt(),
                            r.modifiedAt(),
                            m.view(),
                            true));
                }
            }
        }
        return out;
    }

    private static RowMapper<Resource> mapper(long namespaceId, View view, boolean mountRoot) {
        return (rs, n) -> {
            String path = rs.getString(2);
            return new Resource(
                    view.path(path),
                    namespaceId,
                    path,
                    rs.getString(1),
                    rs.getBoolean(3),
                    rs.getLong(4),
                    rs.getString(5),
                    rs.getTimestamp(6).toInstant(),
                    rs.getTimestamp(7).toInstant(),
                    view,
                    mountRoot);
        };
    }
}

package dev.syncbox.sync.dropbox;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.dropbox.DropboxApiException;
import dev.syncbox.server.dropbox.DropboxErrors;
import dev.syncbox.server.dropbox.DropboxWire;
import dev.syncbox.server.metadata.FileVersionEntity;
import dev.syncbox.server.metadata.FileVersionRepository;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.web.CurrentUser;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What a Dropbox path argument ({@code /a/b}, {@code id:…}, {@code rev:…}) names in the caller's tree, with the
 * route's LookupError member when it names nothing.
 */
@Component
class DropboxLookup {

    private final Sharing sharing;
    private final FileVersionRepository versions;
    private final JdbcTemplate jdbc;

    DropboxLookup(Sharing sharing, FileVersionRepository versions, JdbcTemplate jdbc) {
        this.sharing = sharing;
        this.versions = versions;
        this.jdbc = jdbc;
    }

    /** A path argument parsed, or {@code {member: malformed_path}}. */
    static DropboxWire.Target target(String argument, String member) {
        try {
            return DropboxWire.target(argument);
        } catch (SyncboxException e) {
            throw DropboxErrors.lookup(member, e);
        }
    }

    /** A path argument that must be a path (a place to write to), or {@code {member: malformed_path}}. */
    static String writePath(String argument, String member) {
        DropboxWire.Target target = target(argument, member);
        if (!target.byPath()) {
            throw DropboxApiException.route(DropboxErrors.nested(
                    member, DropboxErrors.nested("malformed_path", "'" + argument + "' is not a path")));
        }
        return target.path();
    }

    /** The live entry {@code target} names, if the caller sees it. */
    Optional<Sharing.Visible> live(CurrentUser user, DropboxWire.Target target) {
        if (target.byPath()) {
            return SyncPath.isRoot(target.path()) ? Optional.empty() : at(user, target.path());
        }
        return entry(user, target).filter(v -> !v.file().isDeleted());
    }

    /** The live entry at a path; nothing below a file (a path through a shared file is no path at all). */
    Optional<Sharing.Visible> at(CurrentUser user, String path) {
        try {
            return sharing.at(user.userId(), path);
        } catch (SyncboxException e) {
            if (e.code() == ErrorCode.PATH_CONFLICT) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The live entry, or the route error {@code {member: {".tag": "not_found"}}}. */
    Sharing.Visible require(CurrentUser user, DropboxWire.Target target, String member) {
        return live(user, target).orElseThrow(() -> notFound(member));
    }

    /** The entry an id or rev names, live or in the trash. */
    Optional<Sharing.Visible> entry(CurrentUser user, DropboxWire.Target target) {
        String fileId = target.fileId();
        if (target.versionId() != null) {
            fileId = versions.findById(target.versionId())
                    .map(FileVersionEntity::fileId)
                    .orElse(null);
        }
        return fileId == null ? Optional.empty() : sharing.find(user.userId(), fileId);
    }

    /**
     * The newest trashed entry at {@code path} when nothing live is there: what Dropbox shows as {@code
     * DeletedMetadata}.
     */
    Optional<Sharing.Visible> deleted(CurrentUser user, String path) {
        Sharing.Location location;
        try {
            location = sharing.locate(user.userId(), path);
        } catch (SyncboxException e) {
            return Optional.empty();
        }
        List<String> found = jdbc.queryForList(
                "SELECT file_id FROM files WHERE namespace_id = ? AND path_key = ? AND is_deleted"
                        + " ORDER BY deleted_at DESC LIMIT 1",
                String.class,
                location.namespaceId(),
                PathKeys.of(location.path()));
        return found.isEmpty() ? Optional.empty() : sharing.find(user.userId(), found.get(0));
    }

    /**
     * A write failure at {@code path} as {@code {member: WriteError}}: a conflict names what is in the way (a file, a
     * folder, or a file where a folder above it should be).
     */
    DropboxApiException write(String member, CurrentUser user, String path, SyncboxException e) {
        if (e.code() == ErrorCode.PATH_CONFLICT || e.code() == ErrorCode.CONFLICT) {
            if (SyncPath.isRoot(path)) {
                return DropboxLookup.route(member, conflict(true));
            }
            return DropboxLookup.route(
                    member,
                    at(user, path)
                            .map(v -> conflict(v.file().isDir()))
                            .orElseGet(() -> DropboxErrors.nested("conflict", DropboxErrors.tag("file_ancestor"))));
        }
        if (e.code() == ErrorCode.QUOTA_EXCEEDED && member.equals("to")) {
            return DropboxApiException.route(DropboxErrors.tag("insufficient_quota"));
        }
        return DropboxErrors.write(member, e);
    }

    static DropboxApiException notFound(String member) {
        return DropboxApiException.route(DropboxErrors.nested(member, DropboxErrors.tag("not_found")));
    }

    static DropboxApiException route(String member, Map<String, Object> value) {
        return DropboxApiException.route(DropboxErrors.nested(member, value));
    }

    /** WriteError's {@code conflict} member: a file or a folder is in the way. */
    static Map<String, Object> conflict(boolean folder) {
        return DropboxErrors.nested("conflict", DropboxErrors.tag(folder ? "folder" : "file"));
    }
}

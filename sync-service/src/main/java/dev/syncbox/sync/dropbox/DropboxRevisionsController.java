package dev.syncbox.sync.dropbox;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.dropbox.DropboxApi;
import dev.syncbox.server.dropbox.DropboxApiException;
import dev.syncbox.server.dropbox.DropboxArgs;
import dev.syncbox.server.dropbox.DropboxErrors;
import dev.syncbox.server.dropbox.DropboxWire;
import dev.syncbox.server.dropbox.TemporaryLinks;
import dev.syncbox.server.metadata.FileEntity;
import dev.syncbox.server.metadata.FileVersionEntity;
import dev.syncbox.server.metadata.FileVersionRepository;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.web.CurrentUser;
import dev.syncbox.sync.trash.Trash;
import dev.syncbox.sync.version.VersionController;
import dev.syncbox.sync.version.VersionHistory;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.data.domain.Limit;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import tools.jackson.databind.json.JsonMapper;

/** Dropbox's {@code files/list_revisions}, {@code files/restore} and {@code files/get_temporary_link}. */
@DropboxApi
class DropboxRevisionsController {

    private final DropboxLookup lookup;
    private final Sharing sharing;
    private final FileVersionRepository versions;
    private final VersionHistory history;
    private final Trash trash;
    private final DropboxCopies copies;
    private final TemporaryLinks links;
    private final JsonMapper json;

    DropboxRevisionsController(
            DropboxLookup lookup,
            Sharing sharing,
            FileVersionRepository versions,
            VersionHistory history,
            Trash trash,
            DropboxCopies copies,
            TemporaryLinks links,
            JsonMapper json) {
        this.lookup = lookup;
        this.sharing = sharing;
        this.versions = versions;
        this.history = history;
        this.trash = trash;
        this.copies = copies;
        this.links = links;
        this.json = json;
    }

    /**
     * A file's versions, newest first. By {@code path}: the file there, or the newest deleted one there; by {@code
     * id}: that file, live or deleted.
     */
    @PostMapping("/2/files/list_revisions")
    Map<String, Object> listRevisions(CurrentUser user, @RequestBody(required = false) byte[] body) {
        DropboxArgs args = DropboxArgs.body(json, body);
        String argument = args.string("path");
        String mode = args.tag("mode", "path");
        int limit = (int) args.number("limit", 10, 1, 100);
        if (!mode.equals("path") && !mode.equals("id")) {
            throw DropboxApiException.badInput("Error in the body: unknown mode '" + mode + "'");
        }
        DropboxWire.Target target = DropboxLookup.target(argument, "path");
        Sharing.Visible found;
        if (mode.equals("id")) {
            if (target.fileId() == null) {
                throw DropboxLookup.route(
                        "path", DropboxErrors.nested("malformed_path", "mode id needs an id:… argument"));
            }
            found = lookup.entry(user, target).orElseThrow(() -> DropboxLookup.notFound("path"));
        } else {
            found = lookup.live(user, target)
                    .or(() -> target.byPath() ? lookup.deleted(user, target.path()) : lookup.entry(user, target))
                    .orElseThrow(() -> DropboxLookup.notFound("path"));
        }
        FileEntity file = found.file();
        if (file.isDir()) {
            throw DropboxLookup.route("path", DropboxErrors.tag("not_file"));
        }
        String path = found.path();
        List<Map<String, Object>> entries = versions
                .findByNamespaceIdAndFileIdOrderByCreatedAtDescIdDesc(file.namespaceId(), file.getId(), Limit.of(limit))
                .stream()
                .map(v ->
                        DropboxWire.file(path, file.getId(), v.getId(), v.sizeBytes(), v.contentHash(), v.createdAt()))
                .toList();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("is_deleted", file.isDeleted());
        result.put("entries", entries);
        if (file.isDeleted() && file.deletedAt() != null) {
            result.put("server_deleted", DropboxWire.time(file.deletedAt()));
        }
        return result;
    }

    /**
     * Makes version {@code rev} of the file at {@code path} its current one again: a new version, same blocks. A
     * deleted file comes back from the trash first, with its id and history; one deleted with a folder around it comes
     * back as a new file at its path.
     */
    @PostMapping("/2/files/restore")
    Map<String, Object> restore(CurrentUser user, @RequestBody(required = false) byte[] body) {
        DropboxArgs args = DropboxArgs.body(json, body);
        DropboxWire.Target target = DropboxLookup.target(args.string("path"), "path_lookup");
        String rev = args.string("rev");
        Sharing.Visible found = lookup.live(user, target)
                .or(() -> target.byPath() ? lookup.deleted(user, target.path()) : lookup.entry(user, target))
                .orElseThrow(() -> DropboxLookup.notFound("path_lookup"));
        if (found.file().isDir()) {
            throw DropboxLookup.route("path_lookup", DropboxErrors.tag("not_file"));
        }
        String versionId = DropboxWire.versionId(rev);
        FileVersionEntity old = versionId == null
                ? null
                : versions.findOf(found.file(), versionId).orElse(null);
        if (old == null) {
            throw DropboxApiException.route(DropboxErrors.tag("invalid_revision"));
        }
        if (found.file().isDeleted()) {
            if (!found.view().writable()) {
                throw DropboxLookup.route("path_write", DropboxErrors.tag("no_write_permission"));
            }
            try {
                trash.restore(user, found.file().getId());
            } catch (SyncboxException e) {
                if (e.code() != ErrorCode.NOT_FOUND) {
                    throw DropboxErrors.write("path_write", e);
                }
                // Not a trash entry of its own: it went with a folder, which stays in the trash.
                return copies.recreate(user, found.path(), old);
            }
        }
        VersionController.Restored restored;
        try {
            restored = history.restore(user, found.file().getId(), versionId);
        } catch (SyncboxException e) {
            throw switch (e.code()) {
                case NOT_FOUND -> DropboxLookup.notFound("path_lookup");
                default -> DropboxErrors.write("path_write", e);
            };
        }
        Sharing.Visible now =
                sharing.find(user.userId(), restored.fileId()).orElseThrow(() -> DropboxLookup.notFound("path_lookup"));
        return DropboxWire.file(
                now.path(),
                restored.fileId(),
                restored.versionId(),
                restored.size(),
                restored.contentHash(),
                restored.timestamp());
    }

    /**
     * A link that downloads the file (or the version a {@code rev:} names) without a token for four hours, at the
     * gateway the caller came through.
     */
    @PostMapping("/2/files/get_temporary_link")
    Map<String, Object> temporaryLink(
            CurrentUser user, @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        DropboxArgs args = DropboxArgs.body(json, body);
        DropboxWire.Target target = DropboxLookup.target(args.string("path"), "path");
        Sharing.Visible found = (target.versionId() != null ? lookup.entry(user, target) : lookup.live(user, target))
                .filter(v -> !v.file().isDeleted())
                .orElseThrow(() -> DropboxLookup.notFound("path"));
        if (found.file().isDir()) {
            throw DropboxLookup.route("path", DropboxErrors.tag("not_file"));
        }
        String versionId =
                target.versionId() != null ? target.versionId() : found.file().currentVersionId();
        Map<String, Object> metadata = copies.versionMetadata(found, versionId);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("metadata", metadata);
        result.put(
                "link",
                DropboxGateway.base(request)
                        + TemporaryLinks.PREFIX
                        + links.issue(user.userId(), found.file().getId(), versionId));
        return result;
    }
}

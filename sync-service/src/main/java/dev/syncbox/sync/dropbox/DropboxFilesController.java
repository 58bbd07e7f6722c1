package dev.syncbox.sync.dropbox;

import dev.syncbox.server.dropbox.DropboxApi;
import dev.syncbox.server.dropbox.DropboxApiException;
import dev.syncbox.server.dropbox.DropboxArgs;
import dev.syncbox.server.dropbox.DropboxErrors;
import dev.syncbox.server.web.CurrentUser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import tools.jackson.databind.json.JsonMapper;

/**
 * Dropbox's {@code files/get_metadata}, {@code create_folder_v2}, {@code delete_v2}, {@code move_v2} and {@code
 * copy_v2}: RPC routes, a JSON body in and a JSON answer out.
 */
@DropboxApi
class DropboxFilesController {

    /** Dropbox's limit on {@code create_folder_batch}'s paths. */
    static final int MAX_BATCH = 10_000;

    private final DropboxFiles files;
    private final DropboxCopies copies;
    private final JsonMapper json;

    DropboxFilesController(DropboxFiles files, DropboxCopies copies, JsonMapper json) {
        this.files = files;
        this.copies = copies;
        this.json = json;
    }

    @PostMapping("/2/files/get_metadata")
    Map<String, Object> getMetadata(CurrentUser user, @RequestBody(required = false) byte[] body) {
        DropboxArgs args = DropboxArgs.body(json, body);
        return files.metadata(user, args.string("path"), args.bool("include_deleted", false));
    }

    @PostMapping("/2/files/create_folder_v2")
    Map<String, Object> createFolder(CurrentUser user, @RequestBody(required = false) byte[] body) {
        DropboxArgs args = DropboxArgs.body(json, body);
        return Map.of("metadata", files.createFolder(user, args.string("path"), args.bool("autorename", false)));
    }

    /**
     * Always done at once ({@code complete}), never as an async job: each folder is one create, and a failure is its
     * entry's, not the batch's.
     */
    @PostMapping("/2/files/create_folder_batch")
    Map<String, Object> createFolders(CurrentUser user, @RequestBody(required = false) byte[] body) {
        DropboxArgs args = DropboxArgs.body(json, body);
        List<String> paths = args.strings("paths");
        boolean autorename = args.bool("autorename", false);
        args.bool("force_async", false);
        if (paths.size() > MAX_BATCH) {
            throw DropboxApiException.badInput("Error in the body: 'paths' holds more than " + MAX_BATCH + " paths");
        }
        List<Map<String, Object>> entries = new ArrayList<>();
        for (String path : paths) {
            try {
                entries.add(
                        DropboxErrors.flat("success", Map.of("metadata", files.createFolder(user, path, autorename))));
            } catch (DropboxApiException e) {
                if (e.status() != 409) {
                    throw e;
                }
                entries.add(DropboxErrors.nested("failure", e.error()));
            }
        }
        return DropboxErrors.flat("complete", Map.of("entries", entries));
    }

    @PostMapping("/2/files/delete_v2")
    Map<String, Object> delete(CurrentUser user, @RequestBody(required = false) byte[] body) {
        DropboxArgs args = DropboxArgs.body(json, body);
        String parentRev = args.optionalString("parent_rev");
        if (parentRev != null && !parentRev.matches("[0-9a-f]+")) {
            throw DropboxApiException.badInput(
                    "Error in call to API function \"files/delete_v2\": request body: parent_rev: '" + parentRev
                            + "' does not match pattern '[0-9a-f]+'");
        }
        return Map.of("metadata", files.delete(user, args.string("path"), parentRev));
    }

    @PostMapping("/2/files/move_v2")
    Map<String, Object> move(CurrentUser user, @RequestBody(required = false) byte[] body) {
        DropboxArgs args = relocationArgs(body);
        DropboxFiles.Relocation relocation = files.relocation(
                user, args.string("from_path"), args.string("to_path"), args.bool("autorename", false), true);
        return Map.of("metadata", files.move(user, relocation));
    }

    @PostMapping("/2/files/copy_v2")
    Map<String, Object> copy(CurrentUser user, @RequestBody(required = false) byte[] body) {
        DropboxArgs args = relocationArgs(body);
        DropboxFiles.Relocation relocation = files.relocation(
                user, args.string("from_path"), args.string("to_path"), args.bool("autorename", false), false);
        return Map.of("metadata", copies.copy(user, relocation));
    }

    /** RelocationArg: the flags syncbox has no use for are still type-checked, as Dropbox does. */
    private DropboxArgs relocationArgs(byte[] body) {
        DropboxArgs args = DropboxArgs.body(json, body);
        args.bool("allow_shared_folder", false);
        args.bool("allow_ownership_transfer", false);
        return args;
    }
}

package dev.syncbox.sync.tree;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.web.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class TreeController {

    record FolderRequest(@NotBlank String path) {}

    /** Move by {@code from_path}, or by {@code file_id}. */
    record MoveRequest(
            String fromPath, String fileId, @NotBlank String toPath) {}

    public record Entry(
            String fileId,
            String name,
            String path,
            boolean isDir,
            long size,
            String currentVersionId,
            String contentHash,
            Instant modifiedAt) {

        /** This entry shown at another path (a sharee's view). */
        Entry at(String viewPath) {
            return new Entry(
                    fileId,
                    dev.syncbox.core.path.SyncPath.name(viewPath),
                    viewPath,
                    isDir,
                    size,
                    currentVersionId,
                    contentHash,
                    modifiedAt);
        }
    }

    record Listing(String path, List<Entry> entries) {}

    public record Moved(String fileId, String fromPath, String path, boolean isDir) {}

    private final TreeOperations tree;
    private final FolderListings listings;

    TreeController(TreeOperations tree, FolderListings listings) {
        this.tree = tree;
        this.listings = listings;
    }

    @PostMapping("/files/folder")
    @ResponseStatus(HttpStatus.CREATED)
    Entry createFolder(CurrentUser user, @Valid @RequestBody FolderRequest request) {
        return tree.createFolder(user, request.path());
    }

    @PostMapping("/files/move")
    Moved move(CurrentUser user, @Valid @RequestBody MoveRequest request) {
        if ((request.fromPath() == null) == (request.fileId() == null)) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "Give exactly one of from_path and file_id");
        }
        return tree.move(user, request.fromPath(), request.fileId(), request.toPath());
    }

    @GetMapping("/files/list")
    Listing list(CurrentUser user, @RequestParam(name = "path", defaultValue = "/") String path) {
        return listings.list(user, path);
    }
}

package dev.syncbox.sync.trash;

import dev.syncbox.server.web.CurrentUser;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class TrashController {

    /** {@code move_to_trash} defaults to true; false deletes permanently at once. */
    record DeleteRequest(Boolean moveToTrash) {}

    public record Deleted(String fileId, Instant deletedAt, Instant recoveryDeadline) {}

    public record TrashEntry(
            String fileId, String path, boolean isDir, long size, Instant deletedAt, Instant recoveryDeadline) {}

    record TrashList(List<TrashEntry> entries) {}

    public record Restored(String fileId, String path, boolean isDir) {}

    record Emptied(int purged) {}

    private final Trash trash;

    TrashController(Trash trash) {
        this.trash = trash;
    }

    @PostMapping("/files/{fileId}/delete")
    Deleted delete(
            CurrentUser user, @PathVariable String fileId, @RequestBody(required = false) DeleteRequest request) {
        boolean toTrash = request == null || request.moveToTrash() == null || request.moveToTrash();
        return trash.delete(user, fileId, toTrash);
    }

    @GetMapping("/trash")
    TrashList list(CurrentUser user) {
        return new TrashList(trash.list(user));
    }

    @PostMapping("/trash/{fileId}/restore")
    Restored restore(CurrentUser user, @PathVariable String fileId) {
        return trash.restore(user, fileId);
    }

    @DeleteMapping("/trash/{fileId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void purge(CurrentUser user, @PathVariable String fileId) {
        trash.purge(user, fileId);
    }

    @DeleteMapping("/trash")
    Emptied empty(CurrentUser user) {
        return new Emptied(trash.empty(user));
    }
}

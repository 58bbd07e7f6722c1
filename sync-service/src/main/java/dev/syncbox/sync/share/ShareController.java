package dev.syncbox.sync.share;

import dev.syncbox.server.web.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /files/{id}/share}, {@code GET /files/{id}/shares}, {@code PATCH} and {@code DELETE
 * /files/{id}/share/{share_id}}, {@code GET /shared}.
 */
@RestController
public class ShareController {

    public record ShareRequest(
            Long userId,
            @Email @Size(max = 255) String email,
            @NotNull String permission) {}

    record PermissionRequest(@NotNull String permission) {}

    public record ShareView(
            long shareId,
            String fileId,
            long userId,
            String email,
            String name,
            String permission,
            Instant sharedAt,
            Instant updatedAt) {}

    record ShareList(List<ShareView> shares) {}

    public record Owner(long userId, String email, String name) {}

    public record SharedItem(
            long shareId,
            String fileId,
            String path,
            String name,
            boolean isDir,
            String permission,
            Owner owner,
            Instant sharedAt) {}

    record SharedList(List<SharedItem> items) {}

    private final Shares shares;

    ShareController(Shares shares) {
        this.shares = shares;
    }

    @PostMapping("/files/{fileId}/share")
    @ResponseStatus(HttpStatus.CREATED)
    ShareView share(CurrentUser user, @PathVariable String fileId, @Valid @RequestBody ShareRequest request) {
        return shares.share(user, fileId, request);
    }

    @GetMapping("/files/{fileId}/shares")
    ShareList list(CurrentUser user, @PathVariable String fileId) {
        return new ShareList(shares.list(user, fileId));
    }

    @PatchMapping("/files/{fileId}/share/{shareId}")
    ShareView change(
            CurrentUser user,
            @PathVariable String fileId,
            @PathVariable String shareId,
            @Valid @RequestBody PermissionRequest request) {
        return shares.change(user, fileId, shareId, request.permission());
    }

    /** The owner revokes a share, or the sharee leaves it. */
    @DeleteMapping("/files/{fileId}/share/{shareId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(CurrentUser user, @PathVariable String fileId, @PathVariable String shareId) {
        shares.revoke(user, fileId, shareId);
    }

    @GetMapping("/shared")
    SharedList shared(CurrentUser user) {
        return new SharedList(shares.sharedWith(user));
    }
}

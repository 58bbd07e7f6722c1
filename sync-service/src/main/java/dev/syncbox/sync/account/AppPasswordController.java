package dev.syncbox.sync.account;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.auth.AppPasswords;
import dev.syncbox.server.web.CurrentUser;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * App passwords for WebDAV and Nextcloud clients. Managing them takes a syncbox bearer token: a client signed in
 * with an app password (Basic auth) must not be able to mint or revoke passwords, so anything else is refused here
 * whatever {@link CurrentUser} says.
 */
@RestController
class AppPasswordController {

    record CreateRequest(String name) {}

    record AppPasswordList(List<AppPasswords.AppPassword> appPasswords) {}

    private final AppPasswords appPasswords;

    AppPasswordController(AppPasswords appPasswords) {
        this.appPasswords = appPasswords;
    }

    @PostMapping("/auth/app-passwords")
    @ResponseStatus(HttpStatus.CREATED)
    AppPasswords.Created create(CurrentUser user, @RequestBody CreateRequest request) {
        requireBearer();
        return appPasswords.create(user.userId(), request == null ? null : request.name());
    }

    @GetMapping("/auth/app-passwords")
    AppPasswordList list(CurrentUser user) {
        requireBearer();
        return new AppPasswordList(appPasswords.list(user.userId()));
    }

    @DeleteMapping("/auth/app-passwords/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(CurrentUser user, @PathVariable String id) {
        requireBearer();
        appPasswords.revoke(user.userId(), id);
    }

    private static void requireBearer() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (!(authentication instanceof JwtAuthenticationToken)) {
            throw new SyncboxException(
                    ErrorCode.PERMISSION_DENIED, "App passwords are managed with a syncbox access token");
        }
    }
}

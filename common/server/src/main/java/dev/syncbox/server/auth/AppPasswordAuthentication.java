package dev.syncbox.server.auth;

import dev.syncbox.server.web.CurrentUser;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/** A request signed in with an app password (Basic auth on the WebDAV and Nextcloud routes). */
public final class AppPasswordAuthentication extends AbstractAuthenticationToken {

    private final transient CurrentUser user;

    AppPasswordAuthentication(CurrentUser user) {
        super(List.of());
        this.user = user;
        setAuthenticated(true);
    }

    public CurrentUser user() {
        return user;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return user;
    }
}

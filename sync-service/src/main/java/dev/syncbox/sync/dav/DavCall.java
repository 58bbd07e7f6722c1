package dev.syncbox.sync.dav;

import dev.syncbox.server.dav.DavConditions;
import dev.syncbox.server.dav.DavPaths;
import dev.syncbox.server.web.CurrentUser;

/**
 * One DAV request as the services see it: the caller, their email (the user segment of Nextcloud's route), where the
 * request URI points, its {@code If} header, the {@code Host} that destinations are compared with, and its body.
 */
record DavCall(
        CurrentUser user, String email, DavPaths.Target target, DavConditions conditions, String host, byte[] body) {

    long userId() {
        return user.userId();
    }

    String path() {
        return target.path();
    }

    boolean hasBody() {
        return body != null && body.length > 0;
    }
}

package dev.syncbox.upload.dav;

import dev.syncbox.server.dav.DavAccounts;
import dev.syncbox.server.dav.DavPaths;
import dev.syncbox.server.metrics.Latency;
import dev.syncbox.server.web.CurrentUser;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * WebDAV's {@code PUT} on the three file routes ({@code /remote.php/dav/files/{email}/…}, {@code
 * /remote.php/webdav/…}, {@code /dav/…}): the body, of any length and sent chunked or not, replaces the file's
 * content (201 for a new file, 204 for a replaced one); the gateway sends every other method of those routes
 * elsewhere.
 */
@RestController
class DavPutController {

    private final DavWrites writes;
    private final DavAccounts accounts;

    DavPutController(DavWrites writes, DavAccounts accounts) {
        this.accounts = accounts;
        this.writes = writes;
    }

    @Latency("syncbox.upload.latency")
    @PutMapping({"/remote.php/dav/files/**", "/remote.php/webdav/**", "/dav/**"})
    ResponseEntity<Void> put(CurrentUser user, HttpServletRequest request) throws IOException {
        String email = accounts.email(user);
        DavPaths.Target target = DavPaths.target(request.getRequestURI(), email);
        try (InputStream body = request.getInputStream()) {
            return writes.write(
                            user,
                            email,
                            target.path(),
                            DavWrites.Headers.of(request),
                            DavWrites.totalLength(request),
                            body)
                    .response();
        }
    }
}

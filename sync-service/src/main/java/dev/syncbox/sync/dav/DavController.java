package dev.syncbox.sync.dav;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.dav.DavAccounts;
import dev.syncbox.server.dav.DavConditions;
import dev.syncbox.server.dav.DavPaths;
import dev.syncbox.server.dav.DavResponses;
import dev.syncbox.server.web.CurrentUser;
import dev.syncbox.sync.dav.DavResources.Resource;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * The WebDAV routes of sync-service. WebDAV's methods are not Spring's, so one mapping without a method condition
 * takes them all and dispatches on the method; the work is in {@link DavProperties}, {@link DavTree} and {@link
 * DavLocking}. GET, HEAD and PUT belong to the download and upload services (the gateway routes them by method).
 */
@RestController
class DavController {

    static final String ALLOW = "OPTIONS, PROPFIND, PROPPATCH, MKCOL, DELETE, MOVE, COPY, LOCK, UNLOCK, GET, HEAD, PUT";

    /** Bodies larger than this are not PROPFIND, PROPPATCH or LOCK bodies. */
    private static final int MAX_BODY = 1 << 20;

    private final DavAccounts accounts;
    private final DavResources resources;
    private final DavProperties properties;
    private final DavTree tree;
    private final DavLocking locking;

    DavController(
            DavAccounts accounts, DavResources resources, DavProperties properties, DavTree tree, DavLocking locking) {
        this.accounts = accounts;
        this.resources = resources;
        this.properties = properties;
        this.tree = tree;
        this.locking = locking;
    }

    /** Spring answers OPTIONS itself for mappings that declare no method: this one declares it. */
    @RequestMapping(
            path = {"/remote.php/dav/files/**", "/remote.php/webdav/**", "/dav/**"},
            method = RequestMethod.OPTIONS)
    ResponseEntity<Void> options(CurrentUser user, HttpServletRequest request) {
        String email = accounts.email(user);
        DavPaths.target(request.getRequestURI(), email);
        return options();
    }

    @RequestMapping(path = {"/remote.php/dav/files/**", "/remote.php/webdav/**", "/dav/**"})
    ResponseEntity<Void> handle(CurrentUser user, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        String email = accounts.email(user);
        DavCall call = new DavCall(
                user,
                email,
                DavPaths.target(request.getRequestURI(), email),
                DavConditions.parse(request.getHeader("If")),
                host(request),
                body(request));
        return switch (method) {
            case "PROPFIND" -> xml(response, 207, propfind(call, request.getHeader("Depth")));
            case "PROPPATCH" -> xml(response, 207, proppatch(call));
            case "MKCOL" -> {
                tree.mkcol(call);
                yield identified(call, call.path(), HttpStatus.CREATED);
            }
            case "DELETE" -> {
                tree.delete(call);
                yield ResponseEntity.noContent().build();
            }
            case "MOVE", "COPY" -> {
                DavTree.Outcome outcome = tree.relocate(
                        call,
                        request.getHeader("Destination"),
                        request.getHeader("Overwrite"),
                        request.getHeader("Depth"),
                        method.equals("MOVE"));
                yield identified(
                        call,
                        DavPaths.destination(request.getHeader("Destination"), call.host(), call.email())
                                .path(),
                        outcome.created() ? HttpStatus.CREATED : HttpStatus.NO_CONTENT);
            }
            case "LOCK" -> {
                DavLocking.Locked locked = locking.lock(call, request.getHeader("Depth"), request.getHeader("Timeout"));
                response.setHeader("Lock-Token", "<" + locked.lock().token() + ">");
                yield xml(response, locked.created() ? 201 : 200, locked.body());
            }
            case "UNLOCK" -> {
                locking.unlock(call, request.getHeader("Lock-Token"));
                yield ResponseEntity.noContent().build();
            }
            default ->
                throw new SyncboxException(ErrorCode.METHOD_NOT_ALLOWED, method + " is not answered by this service");
        };
    }

    /**
     * A success naming the entry now at {@code path}, as Nextcloud's client reads it after MKCOL, MOVE and COPY:
     * {@code OC-FileId} and its ETag (also as {@code OC-ETag}).
     */
    private ResponseEntity<Void> identified(DavCall call, String path, HttpStatus status) {
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(status);
        resources.find(call.userId(), path).ifPresent(r -> {
            String etag = properties.etag(call.userId(), r);
            answer.header("OC-FileId", r.fileId());
            if (etag != null) {
                answer.header(HttpHeaders.ETAG, etag).header("OC-ETag", etag);
            }
        });
        return answer.build();
    }

    private static ResponseEntity<Void> options() {
        return ResponseEntity.ok()
                .header("DAV", "1, 2")
                .header(HttpHeaders.ALLOW, ALLOW)
                .header("MS-Author-Via", "DAV")
                .build();
    }

    /** An XML answer, written here so that its type goes out exactly as {@link DavResponses#XML} spells it. */
    private static ResponseEntity<Void> xml(HttpServletResponse response, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        DavResponses.xml(response);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
        response.flushBuffer();
        return null;
    }

    private String propfind(DavCall call, String depthHeader) {
        int depth;
        String d = depthHeader == null ? "infinity" : depthHeader.strip();
        if (d.equals("0")) {
            depth = 0;
        } else if (d.equals("1")) {
            depth = 1;
        } else if (d.equalsIgnoreCase("infinity")) {
            throw new SyncboxException(ErrorCode.PERMISSION_DENIED, "Depth: infinity is not supported");
        } else {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "Depth is 0, 1 or infinity");
        }
        DavProperties.Request request = DavProperties.request(DavXml.parse(call.body()));
        Resource target = resources.require(call.userId(), call.path());
        return properties.propfind(call.userId(), call.target().prefix(), target, depth, request);
    }

    private String proppatch(DavCall call) {
        var root = DavXml.parse(call.body());
        Resource target = resources.require(call.userId(), call.path());
        tree.guardsFor(call, target);
        return properties.proppatch(call.target().href(target.path(), target.dir()), target, root);
    }

    private static String host(HttpServletRequest request) {
        String forwarded = request.getHeader("X-Forwarded-Host");
        String port = request.getHeader("X-Forwarded-Port");
        if (forwarded != null && !forwarded.isBlank()) {
            String h = forwarded.split(",")[0].strip();
            return port == null || h.contains(":") ? h : h + ":" + port.strip();
        }
        String host = request.getHeader(HttpHeaders.HOST);
        return host != null ? host : request.getServerName() + ":" + request.getServerPort();
    }

    private static byte[] body(HttpServletRequest request) throws IOException {
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new SyncboxException(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is too large");
            }
            return body;
        }
    }
}

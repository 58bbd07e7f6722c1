package dev.syncbox.sync.dav;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.dav.DavAccounts;
import dev.syncbox.server.dav.DavPaths;
import dev.syncbox.server.dav.DavResponses;
import dev.syncbox.server.web.CurrentUser;
import dev.syncbox.sync.trash.Trash;
import dev.syncbox.sync.trash.TrashController;
import dev.syncbox.sync.version.VersionController;
import dev.syncbox.sync.version.VersionHistory;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLStreamException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * Nextcloud's trash bin and versions DAV endpoints, which the capabilities promise ({@code files.undelete},
 * {@code files.versioning}), over syncbox's own {@link Trash} and {@link VersionHistory} (so access, transactions
 * and the journal are theirs):
 *
 * <ul>
 *   <li>{@code PROPFIND /remote.php/dav/trashbin/{email}/trash} lists the trash; an entry is
 *       {@code …/trash/{file id}.d{deleted unix seconds}} (Nextcloud's {@code name.d{seconds}} form, with the file id
 *       as the name so that it maps back to exactly one entry; the file's name is {@code nc:trashbin-filename}).
 *       {@code MOVE} of an entry to {@code …/trashbin/{email}/restore/{anything}} restores it where it was (or beside
 *       it, as syncbox's restore does), {@code DELETE} of an entry purges it, of {@code …/trash} empties the trash.
 *   <li>{@code PROPFIND /remote.php/dav/versions/{email}/versions/{file id}} lists a file's versions, each at
 *       {@code …/{file id}/{version id}}; {@code COPY} or {@code MOVE} of one to {@code …/versions/{email}/restore/target}
 *       restores it as the current version. GET of a version is download-service's.
 * </ul>
 *
 * Requested properties are not selected: every PROPFIND answers the fixed set Nextcloud's clients read.
 */
@RestController
class DavTrashAndVersions {

    static final String TRASHBIN = "/remote.php/dav/trashbin/";
    static final String VERSIONS = "/remote.php/dav/versions/";

    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC).withLocale(Locale.ROOT);

    private final DavAccounts accounts;
    private final Trash trash;
    private final VersionHistory history;

    DavTrashAndVersions(DavAccounts accounts, Trash trash, VersionHistory history) {
        this.accounts = accounts;
        this.trash = trash;
        this.history = history;
    }

    @RequestMapping(
            path = {"/remote.php/dav/trashbin/**", "/remote.php/dav/versions/**"},
            method = RequestMethod.OPTIONS)
    ResponseEntity<Void> options(CurrentUser user, HttpServletRequest request) {
        segments(request.getRequestURI(), accounts.email(user));
        return ResponseEntity.ok()
                .header("DAV", "1")
                .header(HttpHeaders.ALLOW, "OPTIONS, PROPFIND, MOVE, COPY, DELETE, GET, HEAD")
                .build();
    }

    @RequestMapping(path = {"/remote.php/dav/trashbin/**", "/remote.php/dav/versions/**"})
    ResponseEntity<Void> handle(CurrentUser user, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String email = accounts.email(user);
        Route route = segments(request.getRequestURI(), email);
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        if (route.trash()) {
            return trash(user, email, route.rest(), method, request, response);
        }
        return versions(user, email, route.rest(), method, request, response);
    }

    // ---- trash bin

    private ResponseEntity<Void> trash(
            CurrentUser user,
            String email,
            List<String> rest,
            String method,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        if (rest.isEmpty() || !rest.get(0).equals("trash") || rest.size() > 2) {
            // The user's trashbin root and restore/ are not browsable; nothing else exists.
            throw new SyncboxException(ErrorCode.NOT_FOUND, "No such trash bin resource");
        }
        String base = TRASHBIN + DavPaths.encode(email) + "/trash";
        if (rest.size() == 1) {
            return switch (method) {
                case "PROPFIND" -> {
                    int depth = depth(request.getHeader("Depth"));
                    List<TrashController.TrashEntry> entries = depth == 0 ? List.of() : trash.list(user);
                    yield xml(response, trashListing(base, entries));
                }
                case "DELETE" -> {
                    trash.empty(user);
                    yield ResponseEntity.noContent().build();
                }
                default -> throw notAllowed(method);
            };
        }
        TrashController.TrashEntry entry = trashEntry(user, rest.get(1));
        return switch (method) {
            case "PROPFIND" -> xml(response, trashListingOne(base, entry));
            case "DELETE" -> {
                trash.purge(user, entry.fileId());
                yield ResponseEntity.noContent().build();
            }
            case "MOVE" -> {
                List<String> destination = destination(request.getHeader("Destination"), email, true);
                if (destination.size() != 2 || !destination.get(0).equals("restore")) {
                    throw new SyncboxException(
                            ErrorCode.INVALID_REQUEST, "Destination is not " + TRASHBIN + "{user}/restore/{name}");
                }
                trash.restore(user, entry.fileId());
                yield ResponseEntity.status(201).build();
            }
            default -> throw notAllowed(method);
        };
    }

    /** The entry a name {@code {file id}.d{seconds}} stands for, among the caller's trash: or a 404. */
    private TrashController.TrashEntry trashEntry(CurrentUser user, String name) {
        String bare = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        return trash.list(user).stream()
                .filter(e -> trashName(e).equals(bare))
                .findFirst()
                .orElseThrow(() -> new SyncboxException(ErrorCode.NOT_FOUND, "No trash entry " + bare));
    }

    static String trashName(TrashController.TrashEntry entry) {
        return entry.fileId() + ".d" + entry.deletedAt().getEpochSecond();
    }

    private String trashListing(String base, List<TrashController.TrashEntry> entries) {
        return multistatus(out -> {
            response(out, base + "/", x -> {
                x.start(DavXml.DAV, "resourcetype");
                x.empty(DavXml.DAV, "collection");
                x.xml().writeEndElement();
            });
            for (TrashController.TrashEntry e : entries) {
                trashResponse(out, base, e);
            }
        });
    }

    private String trashListingOne(String base, TrashController.TrashEntry entry) {
        return multistatus(out -> trashResponse(out, base, entry));
    }

    private static void trashResponse(DavXml.Out out, String base, TrashController.TrashEntry e)
            throws XMLStreamException {
        String href = base + "/" + DavPaths.encode(trashName(e)) + (e.isDir() ? "/" : "");
        response(out, href, x -> {
            x.text(DavXml.NC, "trashbin-filename", SyncPath.name(e.path()));
            x.text(DavXml.NC, "trashbin-original-location", e.path().substring(1));
            x.text(
                    DavXml.NC,
                    "trashbin-deletion-time",
                    Long.toString(e.deletedAt().getEpochSecond()));
            x.text(DavXml.DAV, "getcontentlength", Long.toString(e.size()));
            if (e.isDir()) {
                x.start(DavXml.DAV, "resourcetype");
                x.empty(DavXml.DAV, "collection");
                x.xml().writeEndElement();
            } else {
                x.empty(DavXml.DAV, "resourcetype");
            }
            x.text(DavXml.OC, "id", e.fileId());
            x.text(DavXml.OC, "fileid", e.fileId());
            x.text(DavXml.DAV, "getlastmodified", HTTP_DATE.format(e.deletedAt()));
            x.text(DavXml.DAV, "getetag", '"' + trashName(e) + '"');
        });
    }

    // ---- versions

    private ResponseEntity<Void> versions(
            CurrentUser user,
            String email,
            List<String> rest,
            String method,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        if (rest.size() < 2 || rest.size() > 3 || !rest.get(0).equals("versions")) {
            throw new SyncboxException(ErrorCode.NOT_FOUND, "No such versions resource");
        }
        String fileId = rest.get(1);
        String base = VERSIONS + DavPaths.encode(email) + "/versions/" + DavPaths.encode(fileId);
        if (rest.size() == 2) {
            if (!method.equals("PROPFIND")) {
                throw notAllowed(method);
            }
            int depth = depth(request.getHeader("Depth"));
            List<VersionController.VersionView> all = versionsOf(user, fileId);
            return xml(response, multistatus(out -> {
                response(out, base + "/", x -> {
                    x.start(DavXml.DAV, "resourcetype");
                    x.empty(DavXml.DAV, "collection");
                    x.xml().writeEndElement();
                });
                if (depth == 1) {
                    for (VersionController.VersionView v : all) {
                        versionResponse(out, base, v);
                    }
                }
            }));
        }
        String versionId = rest.get(2);
        VersionController.VersionView version = versionsOf(user, fileId).stream()
                .filter(v -> v.id().equals(versionId))
                .findFirst()
                .orElseThrow(
                        () -> new SyncboxException(ErrorCode.NOT_FOUND, "No version " + versionId + " of " + fileId));
        return switch (method) {
            case "PROPFIND" -> xml(response, multistatus(out -> versionResponse(out, base, version)));
            case "COPY", "MOVE" -> {
                List<String> destination = destination(request.getHeader("Destination"), email, false);
                if (!destination.equals(List.of("restore", "target"))) {
                    throw new SyncboxException(
                            ErrorCode.INVALID_REQUEST, "Destination is not " + VERSIONS + "{user}/restore/target");
                }
                history.restore(user, fileId, versionId);
                yield ResponseEntity.noContent().build();
            }
            default -> throw notAllowed(method);
        };
    }

    /** Every version of a file the caller can see (newest first), or the 404 of a file they can't. */
    private List<VersionController.VersionView> versionsOf(CurrentUser user, String fileId) {
        List<VersionController.VersionView> all = new ArrayList<>();
        String after = null;
        while (true) {
            VersionController.VersionPage page = history.page(user, fileId, 1000, after);
            all.addAll(page.versions());
            if (!page.hasMore()) {
                return all;
            }
            after = page.nextCursor();
        }
    }

    private static void versionResponse(DavXml.Out out, String base, VersionController.VersionView v)
            throws XMLStreamException {
        response(out, base + "/" + DavPaths.encode(v.id()), x -> {
            x.text(DavXml.DAV, "getcontentlength", Long.toString(v.size()));
            x.text(DavXml.DAV, "getlastmodified", HTTP_DATE.format(v.createdAt()));
            x.text(DavXml.DAV, "getetag", '"' + v.id() + '"');
            x.text(DavXml.DAV, "getcontenttype", MediaType.APPLICATION_OCTET_STREAM_VALUE);
            x.empty(DavXml.DAV, "resourcetype");
        });
    }

    // ---- shared

    private record Route(boolean trash, List<String> rest) {}

    /**
     * The decoded segments after {@code …/trashbin/{email}/} or {@code …/versions/{email}/}: a 404 for another
     * user's segment.
     */
    private static Route segments(String rawUri, String email) {
        String uri = rawUri;
        int query = uri.indexOf('?');
        if (query >= 0) {
            uri = uri.substring(0, query);
        }
        boolean trash;
        String after;
        if (uri.startsWith(TRASHBIN)) {
            trash = true;
            after = uri.substring(TRASHBIN.length());
        } else if (uri.startsWith(VERSIONS)) {
            trash = false;
            after = uri.substring(VERSIONS.length());
        } else {
            throw new SyncboxException(ErrorCode.NOT_FOUND, "Not a WebDAV route");
        }
        List<String> parts = new ArrayList<>();
        for (String raw : after.split("/")) {
            if (!raw.isEmpty()) {
                parts.add(DavPaths.decode(raw));
            }
        }
        if (parts.isEmpty() || !parts.get(0).toLowerCase(Locale.ROOT).equals(email.toLowerCase(Locale.ROOT))) {
            throw new SyncboxException(ErrorCode.NOT_FOUND, "No such user's resources here");
        }
        return new Route(trash, List.copyOf(parts.subList(1, parts.size())));
    }

    /** The segments a Destination names below the caller's trashbin ({@code trash}) or versions root, or a 400. */
    private static List<String> destination(String header, String email, boolean trash) {
        if (header == null || header.isBlank()) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "A Destination header is required");
        }
        String raw = header.strip();
        if (!raw.startsWith("/")) {
            try {
                raw = new URI(raw).getRawPath();
            } catch (URISyntaxException e) {
                throw new SyncboxException(ErrorCode.INVALID_REQUEST, "Destination is not a URL");
            }
            if (raw == null || raw.isEmpty()) {
                throw new SyncboxException(ErrorCode.INVALID_REQUEST, "Destination has no path");
            }
        }
        if (!raw.startsWith(trash ? TRASHBIN : VERSIONS)) {
            throw new SyncboxException(
                    ErrorCode.INVALID_REQUEST, "Destination is not below " + (trash ? TRASHBIN : VERSIONS));
        }
        Route route = segments(raw, email);
        return route.rest();
    }

    private static int depth(String header) {
        String d = header == null ? "1" : header.strip();
        return switch (d) {
            case "0" -> 0;
            case "1" -> 1;
            default -> throw new SyncboxException(ErrorCode.INVALID_REQUEST, "Depth is 0 or 1 here");
        };
    }

    private static SyncboxException notAllowed(String method) {
        return new SyncboxException(ErrorCode.METHOD_NOT_ALLOWED, method + " is not answered here");
    }

    @FunctionalInterface
    private interface Body {
        void write(DavXml.Out out) throws XMLStreamException;
    }

    private static String multistatus(Body body) {
        StringWriter text = new StringWriter();
        DavXml.Out out = DavXml.writer(text);
        try {
            out.root("multistatus");
            body.write(out);
            out.xml().writeEndElement();
            out.end();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }

    private static void response(DavXml.Out out, String href, Body props) throws XMLStreamException {
        out.start(DavXml.DAV, "response");
        out.text(DavXml.DAV, "href", href);
        out.start(DavXml.DAV, "propstat");
        out.start(DavXml.DAV, "prop");
        props.write(out);
        out.xml().writeEndElement();
        out.text(DavXml.DAV, "status", "HTTP/1.1 200 OK");
        out.xml().writeEndElement();
        out.xml().writeEndElement();
    }

    private static ResponseEntity<Void> xml(HttpServletResponse response, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(207);
        DavResponses.xml(response);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
        response.flushBuffer();
        return null;
    }
}

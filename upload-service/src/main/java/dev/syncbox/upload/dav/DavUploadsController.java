package dev.syncbox.upload.dav;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.dav.DavAccounts;
import dev.syncbox.server.dav.DavPaths;
import dev.syncbox.server.metrics.Latency;
import dev.syncbox.server.web.CurrentUser;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Nextcloud's chunked upload (v2) under {@code /remote.php/dav/uploads/{email}/}: {@code MKCOL {transfer}} starts
 * one, {@code PUT {transfer}/{n}} stores chunk n, {@code PROPFIND {transfer}} lists the chunks received (how a
 * client resumes), {@code MOVE {transfer}/.file} assembles them into the file its {@code Destination} names, and
 * {@code DELETE {transfer}} abandons it. WebDAV methods other than Spring's own arrive here by URI alone, so the
 * method is dispatched in code.
 */
@RestController
class DavUploadsController {

    private static final String DAV = "DAV:";
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC).withLocale(Locale.US);

    /** The parts of an upload URI: the raw path up to the transfer (for hrefs), the transfer, the chunk. */
    private record Parts(String transferHref, String transfer, String chunk) {}

    private final DavWrites writes;
    private final DavAccounts accounts;
    private final ChunkedUploads uploads;

    DavUploadsController(DavWrites writes, ChunkedUploads uploads, DavAccounts accounts) {
        this.accounts = accounts;
        this.writes = writes;
        this.uploads = uploads;
    }

    @Latency("syncbox.upload.latency")
    @RequestMapping({"/remote.php/dav/uploads/**"})
    ResponseEntity<?> handle(CurrentUser user, HttpServletRequest request) throws IOException {
        String email = accounts.email(user);
        Parts parts = parts(request.getRequestURI(), email);
        String method = request.getMethod();
        if (parts.transfer() == null) {
            throw notAllowed(method, "the uploads folder");
        }
        if (parts.chunk() == null) {
            return switch (method) {
                case "MKCOL" -> mkcol(user, parts, request);
                case "PROPFIND" -> propfind(user, parts, request.getHeader("Depth"));
                case "DELETE" -> {
                    uploads.find(user, parts.transfer());
                    uploads.delete(user, parts.transfer());
                    yield ResponseEntity.noContent().build();
                }
                default -> throw notAllowed(method, "an upload");
            };
        }
        return switch (method) {
            case "PUT" -> put(user, email, parts, request);
            case "MOVE" -> move(user, email, parts, request);
            case "DELETE" -> {
                uploads.deleteChunk(user, parts.transfer(), parts.chunk());
                yield ResponseEntity.noContent().build();
            }
            case "PROPFIND" -> propfindChunk(user, parts);
            default -> throw notAllowed(method, "a chunk");
        };
    }

    private ResponseEntity<?> mkcol(CurrentUser user, Parts parts, HttpServletRequest request) throws IOException {
        try (InputStream body = request.getInputStream()) {
            if (body.read() >= 0) {
                throw new SyncboxException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "MKCOL takes no body");
            }
        }
        String destination = request.getHeader("Destination");
        if (destination != null) {
            // Checked now, so that a transfer bound for nowhere fails before its chunks are sent.
            DavPaths.destination(destination, request.getHeader(HttpHeaders.HOST), accounts.email(user));
        }
        uploads.create(user, parts.transfer(), destination);
        return ResponseEntity.status(HttpStatus.CREATED).build();
    }

    private ResponseEntity<?> put(CurrentUser user, String email, Parts parts, HttpServletRequest request)
            throws IOException {
        if (parts.chunk().equals(".file")) {
            throw notAllowed("PUT", ".file (it is assembled by MOVE)");
        }
        ChunkedUploads.Transfer transfer = uploads.find(user, parts.transfer());
        requireSameDestination(transfer, request, email);
        boolean created;
        try (InputStream body = request.getInputStream()) {
            created = uploads.put(user, parts.transfer(), parts.chunk(), body);
        }
        return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.NO_CONTENT)
                .build();
    }

    private ResponseEntity<?> move(CurrentUser user, String email, Parts parts, HttpServletRequest request)
            throws IOException {
        if (!parts.chunk().equals(".file")) {
            throw new SyncboxException(
                    ErrorCode.METHOD_NOT_ALLOWED, "Only the transfer's .file is moved (into its destination)");
        }
        ChunkedUploads.Transfer transfer = uploads.find(user, parts.transfer());
        String destination = request.getHeader("Destination");
        if (destination == null) {
            destination = transfer.destination();
        }
        DavPaths.Target target = DavPaths.destination(destination, request.getHeader(HttpHeaders.HOST), email);
        List<ChunkedUploads.Chunk> chunks = uploads.chunks(user, parts.transfer());
        if (chunks.isEmpty()) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "The upload " + parts.transfer() + " has no chunks");
        }
        long size = chunks.stream().mapToLong(ChunkedUploads.Chunk::size).sum();
        Long declared = DavWrites.totalLength(request);
        if (declared != null && declared != size) {
            throw new SyncboxException(
                    ErrorCode.SIZE_MISMATCH,
                    "OC-Total-Length is " + declared + " but the chunks hold " + size + " bytes");
        }
        DavWrites.Written written;
        try (InputStream content = uploads.assembled(user, chunks)) {
            written = writes.write(user, email, target.path(), DavWrites.Headers.of(request), size, content);
        }
        uploads.delete(user, parts.transfer());
        return written.response();
    }

    private ResponseEntity<?> propfind(CurrentUser user, Parts parts, String depth) {
        ChunkedUploads.Transfer transfer = uploads.find(user, parts.transfer());
        List<ChunkedUploads.Chunk> chunks = "0".equals(depth) ? List.of() : uploads.chunks(user, parts.transfer());
        List<Entry> entries = new ArrayList<>();
        entries.add(new Entry(parts.transferHref() + "/", null, transfer.createdAt()));
        for (ChunkedUploads.Chunk chunk : chunks) {
            entries.add(new Entry(parts.transferHref() + "/" + DavPaths.encode(chunk.name()), chunk, chunk.storedAt()));
        }
        return multistatus(entries);
    }

    private ResponseEntity<?> propfindChunk(CurrentUser user, Parts parts) {
        uploads.find(user, parts.transfer());
        long number = ChunkedUploads.chunkNumber(parts.chunk());
        ChunkedUploads.Chunk chunk = uploads.chunks(user, parts.transfer()).stream()
                .filter(c -> c.number() == number)
                .findFirst()
                .orElseThrow(() -> new SyncboxException(ErrorCode.NOT_FOUND, "No chunk " + parts.chunk()));
        return multistatus(List.of(
                new Entry(parts.transferHref() + "/" + DavPaths.encode(chunk.name()), chunk, chunk.storedAt())));
    }

    /** One response of a multistatus: the transfer (no chunk) or one of its chunks. */
    private record Entry(String href, ChunkedUploads.Chunk chunk, Instant modified) {}

    private static ResponseEntity<?> multistatus(List<Entry> entries) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.setPrefix("d", DAV);
            xml.writeStartElement(DAV, "multistatus");
            xml.writeNamespace("d", DAV);
            for (Entry entry : entries) {
                xml.writeStartElement(DAV, "response");
                element(xml, "href", entry.href());
                xml.writeStartElement(DAV, "propstat");
                xml.writeStartElement(DAV, "prop");
                xml.writeStartElement(DAV, "resourcetype");
                if (entry.chunk() == null) {
                    xml.writeEmptyElement(DAV, "collection");
                }
                xml.writeEndElement();
                if (entry.chunk() != null) {
                    element(xml, "getcontentlength", Long.toString(entry.chunk().size()));
                    element(xml, "getetag", '"' + entry.chunk().sessionId() + '"');
                }
                element(xml, "getlastmodified", HTTP_DATE.format(entry.modified()));
                xml.writeEndElement();
                element(xml, "status", "HTTP/1.1 200 OK");
                xml.writeEndElement();
                xml.writeEndElement();
            }
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return ResponseEntity.status(HttpStatus.MULTI_STATUS)
                .contentType(new MediaType("application", "xml", java.nio.charset.StandardCharsets.UTF_8))
                .body(out.toString());
    }

    private static void element(XMLStreamWriter xml, String name, String text) throws XMLStreamException {
        xml.writeStartElement(DAV, name);
        xml.writeCharacters(text);
        xml.writeEndElement();
    }

    /** A chunk's {@code Destination}, when it names one, must be its transfer's. */
    private void requireSameDestination(ChunkedUploads.Transfer transfer, HttpServletRequest request, String email) {
        String destination = request.getHeader("Destination");
        if (destination == null || transfer.destination() == null) {
            return;
        }
        String host = request.getHeader(HttpHeaders.HOST);
        if (!DavPaths.destination(destination, host, email)
                .path()
                .equals(DavPaths.destination(transfer.destination(), host, email)
                        .path())) {
            throw new SyncboxException(
                    ErrorCode.INVALID_REQUEST, "The chunk's Destination is not its upload's: " + destination);
        }
    }

    /**
     * {@code /remote.php/dav/uploads/{email}/{transfer}/{chunk}} split: {@code not_found} for another user's
     * segment or anything deeper.
     */
    private static Parts parts(String rawUri, String email) {
        String uri = rawUri.contains("?") ? rawUri.substring(0, rawUri.indexOf('?')) : rawUri;
        String rest = uri.substring(DavPaths.UPLOADS.length());
        List<String> segments = new ArrayList<>(List.of(rest.split("/", -1)));
        while (!segments.isEmpty() && segments.get(segments.size() - 1).isEmpty()) {
            segments.remove(segments.size() - 1);
        }
        if (segments.isEmpty()
                || !DavPaths.decode(segments.get(0)).toLowerCase(Locale.ROOT).equals(email.toLowerCase(Locale.ROOT))
                || segments.size() > 3
                || segments.stream().anyMatch(String::isEmpty)) {
            throw new SyncboxException(ErrorCode.NOT_FOUND, "No such upload here");
        }
        String transfer = segments.size() > 1 ? DavPaths.decode(segments.get(1)) : null;
        String chunk = segments.size() > 2 ? DavPaths.decode(segments.get(2)) : null;
        String href = DavPaths.UPLOADS + segments.get(0) + (segments.size() > 1 ? "/" + segments.get(1) : "");
        return new Parts(href, transfer, chunk);
    }

    private static SyncboxException notAllowed(String method, String what) {
        return new SyncboxException(ErrorCode.METHOD_NOT_ALLOWED, method + " is not allowed on " + what);
    }
}

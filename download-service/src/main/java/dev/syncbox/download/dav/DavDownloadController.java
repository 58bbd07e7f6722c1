package dev.syncbox.download.dav;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.download.file.ByteRange;
import dev.syncbox.server.content.ContentReader;
import dev.syncbox.server.dav.DavAccounts;
import dev.syncbox.server.dav.DavPaths;
import dev.syncbox.server.metadata.FileEntity;
import dev.syncbox.server.metadata.FileVersionEntity;
import dev.syncbox.server.metadata.FileVersionRepository;
import dev.syncbox.server.metrics.Latency;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.web.CurrentUser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET} and {@code HEAD} on the WebDAV file routes: a file's current version with the headers Nextcloud's
 * clients read ({@code ETag}/{@code OC-ETag} = the version id, {@code OC-FileId}, {@code Last-Modified} from the
 * client's modification time when it gave one), one {@code Range} (206, or 416), {@code If-None-Match} (304) and
 * {@code If-Range}. A folder answers 200 with no body, as Nextcloud's does; its ETag is sync-service's (PROPFIND).
 * No {@code OC-Checksum} is sent: syncbox's content hash is Dropbox's hash of 4 MiB block hashes, not a SHA-256 of
 * the content, so no checksum type Nextcloud knows could be given without reading the file twice.
 */
@RestController
class DavDownloadController {

    private final DavAccounts accounts;
    private final Sharing sharing;
    private final FileVersionRepository versions;
    private final ContentReader reader;

    DavDownloadController(DavAccounts accounts, Sharing sharing, FileVersionRepository versions, ContentReader reader) {
        this.accounts = accounts;
        this.sharing = sharing;
        this.versions = versions;
        this.reader = reader;
    }

    @Latency("syncbox.download.latency")
    @RequestMapping(
            path = {"/remote.php/dav/files/**", "/remote.php/webdav/**", "/remote.php/webdav", "/dav/**", "/dav"},
            method = {RequestMethod.GET, RequestMethod.HEAD})
    void get(CurrentUser user, HttpServletRequest request, HttpServletResponse response) throws IOException {
        DavPaths.Target target = DavPaths.target(request.getRequestURI(), accounts.email(user));
        if (target.root()) {
            response.setStatus(HttpServletResponse.SC_OK);
            return;
        }
        FileEntity file = sharing.at(user.userId(), target.path())
                .map(Sharing.Visible::file)
                .filter(f -> !f.isDeleted())
                .orElseThrow(() -> new SyncboxException(ErrorCode.NOT_FOUND, "Nothing at " + target.path()));
        Instant modified = file.clientModifiedAt() != null ? file.clientModifiedAt() : file.modifiedAt();
        response.setHeader("OC-FileId", file.getId());
        response.setDateHeader(HttpHeaders.LAST_MODIFIED, modified.toEpochMilli());
        if (file.isDir()) {
            response.setStatus(HttpServletResponse.SC_OK);
            return;
        }
        FileVersionEntity version = versions.findOf(file, file.currentVersionId())
                .orElseThrow(() -> new SyncboxException(ErrorCode.NOT_FOUND, "Nothing at " + target.path()));
        String etag = '"' + version.getId() + '"';
        long size = version.sizeBytes();
        response.setHeader(HttpHeaders.ETAG, etag);
        response.setHeader("OC-ETag", etag);
        response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        if (matches(request.getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        String name = SyncPath.name(target.path());
        response.setContentType(MediaTypeFactory.getMediaType(name)
                .orElse(MediaType.APPLICATION_OCTET_STREAM)
                .toString());
        response.setHeader(
                HttpHeaders.CONTENT_DISPOSITION,
                "attachment; filename*=UTF-8''"
                        + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
        String ifRange = request.getHeader(HttpHeaders.IF_RANGE);
        ByteRange range;
        try {
            range = ifRange == null || rangeStillValid(ifRange, etag, modified)
                    ? ByteRange.parse(request.getHeader(HttpHeaders.RANGE), size)
                    : null;
        } catch (SyncboxException e) {
            if (e.code() != ErrorCode.RANGE_NOT_SATISFIABLE) {
                throw e;
            }
            response.setStatus(HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE);
            response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + size);
            response.setContentLength(0);
            return;
        }
        boolean head = request.getMethod().equals("HEAD");
        if (range == null) {
            response.setContentLengthLong(size);
            if (!head && size > 0) {
                List<ContentReader.BlockSpan> layout = reader.layout(version);
                reader.write(layout, 0, size - 1, response.getOutputStream());
            }
            return;
        }
        response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
        response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes " + range.first() + "-" + range.last() + "/" + size);
        response.setContentLengthLong(range.length());
        if (!head) {
            reader.write(reader.layout(version), range.first(), range.last(), response.getOutputStream());
        }
    }

    /** {@code If-Range}: an entity tag (strong, so never a weak one) or an HTTP date no earlier than the file's. */
    private static boolean rangeStillValid(String ifRange, String etag, Instant modified) {
        String value = ifRange.trim();
        if (value.startsWith("\"")) {
            return value.equals(etag);
        }
        if (value.startsWith("W/")) {
            return false;
        }
        try {
            Instant date = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
            return modified.getEpochSecond() <= date.getEpochSecond();
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean matches(String header, String etag) {
        if (header == null) {
            return false;
        }
        for (String candidate : header.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }
}

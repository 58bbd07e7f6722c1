package dev.syncbox.download.dav;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET} and {@code HEAD} of {@code /remote.php/dav/versions/{email}/versions/{file id}/{version id}}
 * (Nextcloud's versions app): one version's content, whole, with its id as the ETag. A file the caller can't see, a
 * version not of that file, another user's segment or any other path below the route is a 404. The listing and the
 * restore are sync-service's ({@code DavTrashAndVersions}).
 */
@RestController
class DavVersionDownloadController {

    private static final String VERSIONS = "/remote.php/dav/versions/";

    private final DavAccounts accounts;
    private final Sharing sharing;
    private final FileVersionRepository versions;
    private final ContentReader reader;

    DavVersionDownloadController(
            DavAccounts accounts, Sharing sharing, FileVersionRepository versions, ContentReader reader) {
        this.accounts = accounts;
        this.sharing = sharing;
        this.versions = versions;
        this.reader = reader;
    }

    @Latency("syncbox.download.latency")
    @RequestMapping(
            path = "/remote.php/dav/versions/**",
            method = {RequestMethod.GET, RequestMethod.HEAD})
    void get(CurrentUser user, HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<String> parts = segments(request.getRequestURI());
        if (parts.size() != 4
                || !parts.get(0)
                        .toLowerCase(Locale.ROOT)
                        .equals(accounts.email(user).toLowerCase(Locale.ROOT))
                || !parts.get(1).equals("versions")) {
            throw new SyncboxException(ErrorCode.NOT_FOUND, "No such version");
        }
        String fileId = parts.get(2);
        String versionId = parts.get(3);
        FileEntity file = sharing.find(user.userId(), fileId)
                .map(Sharing.Visible::file)
                .filter(f -> !f.isDeleted() && !f.isDir())
                .orElseThrow(() -> Sharing.notFound(fileId));
        FileVersionEntity version = versions.findOf(file, versionId)
                .orElseThrow(
                        () -> new SyncboxException(ErrorCode.NOT_FOUND, "No version " + versionId + " of " + fileId));
        String etag = '"' + version.getId() + '"';
        long size = version.sizeBytes();
        response.setHeader(HttpHeaders.ETAG, etag);
        response.setHeader("OC-ETag", etag);
        response.setHeader("OC-FileId", file.getId());
        response.setDateHeader(HttpHeaders.LAST_MODIFIED, version.createdAt().toEpochMilli());
        response.setContentType(MediaTypeFactory.getMediaType(SyncPath.name(file.path()))
                .orElse(MediaType.APPLICATION_OCTET_STREAM)
                .toString());
        response.setContentLengthLong(size);
        if (!request.getMethod().equals("HEAD") && size > 0) {
            reader.write(reader.layout(version), 0, size - 1, response.getOutputStream());
        }
    }

    private static List<String> segments(String rawUri) {
        String uri = rawUri;
        int query = uri.indexOf('?');
        if (query >= 0) {
            uri = uri.substring(0, query);
        }
        List<String> parts = new ArrayList<>();
        for (String raw : uri.substring(VERSIONS.length()).split("/")) {
            if (!raw.isEmpty()) {
                parts.add(DavPaths.decode(raw));
            }
        }
        return parts;
    }
}

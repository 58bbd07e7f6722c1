package dev.syncbox.download.thumbnail;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.metadata.FileEntity;
import dev.syncbox.server.metadata.FileVersionEntity;
import dev.syncbox.server.metadata.FileVersionRepository;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.web.CurrentUser;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /files/{file_id}/thumbnail?size=64|128|256|512|1024[&version={version_id}]}: a JPEG of the version's
 * image fitted in a square of that size, with the access of a download. The ETag names the content and the size, so
 * {@code If-None-Match} is answered without reading anything; a named version's thumbnail never changes.
 */
@RestController
class ThumbnailController {

    /** The current version's thumbnail changes with the next commit: browsers ask again after a minute. */
    static final String CURRENT = "private, max-age=60";
    /** A version is immutable, and so is its thumbnail. */
    static final String VERSION = "private, max-age=31536000, immutable";

    private final Sharing sharing;
    private final FileVersionRepository versions;
    private final Thumbnails thumbnails;

    ThumbnailController(Sharing sharing, FileVersionRepository versions, Thumbnails thumbnails) {
        this.sharing = sharing;
        this.versions = versions;
        this.thumbnails = thumbnails;
    }

    @GetMapping("/files/{fileId}/thumbnail")
    void thumbnail(
            CurrentUser user,
            @PathVariable String fileId,
            @RequestParam(name = "size", required = false) String size,
            @RequestParam(name = "version", required = false) String versionId,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
            HttpServletResponse response)
            throws IOException {
        // Exactly a download's lookups and answers: a folder, a deleted file, someone else's and nobody's are 404.
        FileEntity file = sharing.find(user.userId(), fileId)
                .map(Sharing.Visible::file)
                .filter(f -> !f.isDeleted() && !f.isDir())
                .orElseThrow(() -> Sharing.notFound(fileId));
        boolean named = versionId != null && !versionId.isBlank();
        String wanted = named ? versionId : file.currentVersionId();
        FileVersionEntity version = versions.findOf(file, wanted)
                .orElseThrow(() ->
                        new SyncboxException(ErrorCode.NOT_FOUND, "No version " + wanted + " of " + file.getId()));
        int box = ThumbnailBox.parse(size);
        if (box < 0) {
            throw new SyncboxException(
                    ErrorCode.INVALID_REQUEST,
                    "size must be one of " + ThumbnailBox.SIZES.toString().replaceAll("[\\[\\]]", "") + ", not "
                            + (size == null ? "missing" : "'" + size + "'"));
        }
        String etag = Thumbnails.etag(version.contentHash(), box);
        if (matches(ifNoneMatch, etag)) {
            headers(response, etag, named, version);
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        // Made (or refused) before any header is set: a problem must not carry the image's caching headers.
        byte[] jpeg = thumbnails.of(version, box);
        headers(response, etag, named, version);
        response.setContentType("image/jpeg");
        response.setContentLength(jpeg.length);
        response.getOutputStream().write(jpeg);
    }

    private static void headers(HttpServletResponse response, String etag, boolean named, FileVersionEntity version) {
        response.setHeader(HttpHeaders.ETAG, etag);
        response.setHeader(HttpHeaders.CACHE_CONTROL, named ? VERSION : CURRENT);
        response.setHeader("X-Syncbox-Version-Id", version.getId());
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

package dev.syncbox.download.dropbox;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.dropbox.DropboxApi;
import dev.syncbox.server.dropbox.DropboxApiException;
import dev.syncbox.server.dropbox.DropboxArgs;
import dev.syncbox.server.dropbox.DropboxErrors;
import dev.syncbox.server.dropbox.DropboxWire;
import dev.syncbox.server.metadata.FileEntity;
import dev.syncbox.server.metadata.FileVersionEntity;
import dev.syncbox.server.metadata.FileVersionRepository;
import dev.syncbox.server.metrics.Latency;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.web.CurrentUser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /2/files/download} (or GET with the {@code arg} parameter): a file by path, {@code id:} or {@code
 * rev:}, at its current version or the {@code rev} given, streamed with its {@code FileMetadata} in the {@code
 * Dropbox-API-Result} header; one {@code Range} is honoured (206).
 */
@DropboxApi
class DropboxDownloadController {

    private static final String RESULT = "Dropbox-API-Result";
    private static final Pattern REV = Pattern.compile("[0-9a-f]{9,}");

    /** The file to send, the version of it, and its path as the caller sees it. */
    private record Found(FileEntity file, FileVersionEntity version, String path) {}

    private final JsonMapper json;
    private final Sharing sharing;
    private final FileVersionRepository versions;
    private final ContentStreams streams;

    DropboxDownloadController(
            JsonMapper json, Sharing sharing, FileVersionRepository versions, ContentStreams streams) {
        this.json = json;
        this.sharing = sharing;
        this.versions = versions;
        this.streams = streams;
    }

    @Latency("syncbox.download.latency")
    @RequestMapping(
            path = "/2/files/download",
            method = {RequestMethod.POST, RequestMethod.GET})
    void download(
            CurrentUser user,
            HttpServletRequest request,
            @RequestHeader(name = HttpHeaders.RANGE, required = false) String range,
            HttpServletResponse response)
            throws IOException {
        DropboxArgs arg = DropboxArgs.header(json, request);
        String path = arg.string("path");
        String rev = arg.optionalString("rev");
        if (rev != null && !REV.matcher(rev).matches()) {
            throw DropboxApiException.badInput("'rev' must be at least 9 lowercase hex characters");
        }
        Found found;
        try {
            found = find(user, DropboxWire.target(path), rev);
        } catch (SyncboxException e) {
            throw DropboxErrors.lookup("path", e);
        }
        FileVersionEntity version = found.version();
        Map<String, Object> metadata = new LinkedHashMap<>(DropboxWire.file(
                found.path(),
                found.file().getId(),
                version.getId(),
                version.sizeBytes(),
                version.contentHash(),
                version.createdAt(),
                version.clientModifiedAt()));
        metadata.remove(".tag");
        response.setHeader(RESULT, DropboxWire.headerJson(json, metadata));
        streams.write(version, range, response);
    }

    private Found find(CurrentUser user, DropboxWire.Target target, String rev) {
        if (target.versionId() != null) {
            // rev:… names a version of a file the caller can see, even one in the trash.
            FileVersionEntity version = versions.findById(target.versionId())
                    .orElseThrow(() -> new SyncboxException(ErrorCode.NOT_FOUND, "No version " + target.versionId()));
            Sharing.Visible visible =
                    sharing.find(user.userId(), version.fileId()).orElseThrow(() -> Sharing.notFound(version.fileId()));
            return new Found(visible.file(), version, visible.path());
        }
        if (target.byPath() && SyncPath.isRoot(target.path())) {
            throw notFile();
        }
        Sharing.Visible visible = (target.byPath()
                        ? sharing.at(user.userId(), target.path())
                        : sharing.find(user.userId(), target.fileId())
                                .filter(v -> !v.file().isDeleted()))
                .orElseThrow(() -> new SyncboxException(ErrorCode.NOT_FOUND, "Nothing there"));
        if (visible.file().isDir()) {
            throw notFile();
        }
        String versionId = rev == null ? visible.file().currentVersionId() : DropboxWire.versionId(rev);
        if (versionId == null) {
            throw new SyncboxException(ErrorCode.NOT_FOUND, "No version " + rev);
        }
        FileVersionEntity version = versions.findOf(visible.file(), versionId)
                .orElseThrow(() -> new SyncboxException(ErrorCode.NOT_FOUND, "No version " + rev));
        return new Found(visible.file(), version, visible.path());
    }

    private static DropboxApiException notFile() {
        return DropboxApiException.route(DropboxErrors.nested("path", DropboxErrors.tag("not_file")));
    }
}

package dev.syncbox.download.dropbox;

import dev.syncbox.server.dropbox.TemporaryLinks;
import dev.syncbox.server.metadata.FileVersionEntity;
import dev.syncbox.server.metadata.FileVersionRepository;
import dev.syncbox.server.metrics.Latency;
import dev.syncbox.server.share.Sharing;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /apitl/1/{token}}: the version a temporary link names, without a token, while the link's user may still
 * read the file (a revoked share or a deleted file ends it). A malformed, forged or expired token and a link that no
 * longer reads anything are the same plain-text 404: the token alone must not tell which.
 */
@RestController
class TemporaryLinkController {

    private final TemporaryLinks links;
    private final Sharing sharing;
    private final FileVersionRepository versions;
    private final ContentStreams streams;

    TemporaryLinkController(
            TemporaryLinks links, Sharing sharing, FileVersionRepository versions, ContentStreams streams) {
        this.links = links;
        this.sharing = sharing;
        this.versions = versions;
        this.streams = streams;
    }

    @Latency("syncbox.download.latency")
    @GetMapping("/apitl/1/{token}")
    void fetch(
            @PathVariable String token,
            @RequestHeader(name = HttpHeaders.RANGE, required = false) String range,
            HttpServletResponse response)
            throws IOException {
        TemporaryLinks.Link link = links.verify(token);
        Optional<Sharing.Visible> visible = link == null
                ? Optional.empty()
                : sharing.find(link.userId(), link.fileId())
                        .filter(v -> !v.file().isDeleted() && !v.file().isDir());
        Optional<FileVersionEntity> version = visible.flatMap(v -> versions.findOf(v.file(), link.versionId()));
        if (version.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            response.setContentType("text/plain; charset=utf-8");
            response.getOutputStream().write("This link is not valid, or has expired".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String path = visible.get().path();
        String name = path.substring(path.lastIndexOf('/') + 1);
        response.setHeader(
                HttpHeaders.CONTENT_DISPOSITION,
                "attachment; filename=\"" + name.replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "_") + "\"; filename*=UTF-8''"
                        + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
        response.setHeader("X-Content-Type-Options", "nosniff");
        streams.write(version.get(), range, response);
    }
}

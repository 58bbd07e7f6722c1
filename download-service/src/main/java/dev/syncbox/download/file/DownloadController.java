package dev.syncbox.download.file;

import dev.syncbox.core.delta.BlockDelta;
import dev.syncbox.core.delta.BlockSignature;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.hash.BlockId;
import dev.syncbox.server.content.BlockAccess;
import dev.syncbox.server.content.BlockReads;
import dev.syncbox.server.content.BlockRegistry;
import dev.syncbox.server.content.ContentReader;
import dev.syncbox.server.content.ContentReader.BlockSpan;
import dev.syncbox.server.metadata.FileEntity;
import dev.syncbox.server.metadata.FileVersionEntity;
import dev.syncbox.server.metadata.FileVersionRepository;
import dev.syncbox.server.metrics.Latency;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.web.CurrentUser;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Streams a version's content (the current one unless {@code version} is given). Supports a single
 * {@code Range}, {@code If-None-Match} and {@code If-Range}; the ETag is the content hash.
 */
@RestController
class DownloadController {

    private final Sharing sharing;
    private final BlockAccess access;
    private final BlockRegistry registry;
    private final BlockReads reads;
    private final FileVersionRepository versions;
    private final ContentReader reader;
    private final Counter deltaSaved;

    DownloadController(
            Sharing sharing,
            BlockAccess access,
            BlockRegistry blocks,
            BlockReads reads,
            FileVersionRepository versions,
            ContentReader reader,
            MeterRegistry registry) {
        this.sharing = sharing;
        this.access = access;
        this.registry = blocks;
        this.reads = reads;
        this.versions = versions;
        this.reader = reader;
        this.deltaSaved = Counter.builder("syncbox.delta.saved.bytes")
                .description("Bytes a delta spared the wire: the content it rebuilt less the delta sent")
                .baseUnit("bytes")
                .tag("direction", "download")
                .register(registry);
    }

    @Latency("syncbox.download.latency")
    @GetMapping("/files/download/{fileId}")
    void download(
            CurrentUser user,
            @PathVariable String fileId,
            @RequestParam(name = "version", required = false) String versionId,
            @RequestHeader(name = HttpHeaders.RANGE, required = false) String range,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
            @RequestHeader(name = HttpHeaders.IF_RANGE, required = false) String ifRange,
            HttpServletResponse response)
            throws IOException {
        FileEntity file = visibleFile(user, fileId);
        FileVersionEntity version = version(file, versionId);
        String etag = '"' + version.contentHash() + '"';

        response.setHeader(HttpHeaders.ETAG, etag);
        response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        response.setDateHeader(HttpHeaders.LAST_MODIFIED, version.createdAt().toEpochMilli());
        response.setHeader("X-Syncbox-Version-Id", version.getId());
        response.setHeader("X-Syncbox-Checksum", version.contentHash());
        response.setHeader("X-Syncbox-Timestamp", version.createdAt().toString());
        if (matches(ifNoneMatch, etag)) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        ByteRange byteRange =
                ifRange == null || matches(ifRange, etag) ? ByteRange.parse(range, version.sizeBytes()) : null;
        List<BlockSpan> layout = reader.layout(version);

        response.setContentType("application/octet-stream");
        response.setHeader(
                HttpHeaders.CONTENT_DISPOSITION,
                "attachment; filename*=UTF-8''"
                        + URLEncoder.encode(name(file), StandardCharsets.UTF_8).replace("+", "%20"));
        if (byteRange == null) {
            response.setContentLengthLong(version.sizeBytes());
            if (version.sizeBytes() > 0) {
                reader.write(layout, 0, version.sizeBytes() - 1, response.getOutputStream());
            }
        } else {
            response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
            response.setHeader(
                    HttpHeaders.CONTENT_RANGE,
                    "bytes " + byteRange.first() + "-" + byteRange.last() + "/" + version.sizeBytes());
            response.setContentLengthLong(byteRange.length());
            reader.write(layout, byteRange.first(), byteRange.last(), response.getOutputStream());
        }
    }

    /** One block of a version: its id, where it starts in the content and its size. */
    record BlockView(String blockId, long offset, int size) {}

    /** A version's block list, for a client that fetches only the blocks it does not have. */
    record BlockList(String fileId, String versionId, long size, String contentHash, List<BlockView> blocks) {}

    /**
     * {@code GET /files/download/{file_id}/blocks}: the blocks of a version (the current one unless {@code version}
     * is given) in content order. Reading any of them with {@code GET /blocks/{block_id}} is then permitted.
     */
    @GetMapping("/files/download/{fileId}/blocks")
    BlockList blocks(
            CurrentUser user,
            @PathVariable String fileId,
            @RequestParam(name = "version", required = false) String versionId) {
        FileEntity file = visibleFile(user, fileId);
        FileVersionEntity version = version(file, versionId);
        List<BlockView> blocks = reader.layout(version).stream()
                .map(span -> new BlockView(span.blockId(), span.offset(), span.size()))
                .toList();
        return new BlockList(fileId, version.getId(), version.sizeBytes(), version.contentHash(), blocks);
    }

    private FileEntity visibleFile(CurrentUser user, String fileId) {
        return sharing.find(user.userId(), fileId)
                .map(Sharing.Visible::file)
                .filter(f -> !f.isDeleted() && !f.isDir())
                .orElseThrow(() -> Sharing.notFound(fileId));
    }

    private FileVersionEntity version(FileEntity file, String versionId) {
        String wanted = versionId == null || versionId.isBlank() ? file.currentVersionId() : versionId;
        return versions.findOf(file, wanted)
                .orElseThrow(() ->
                        new SyncboxException(ErrorCode.NOT_FOUND, "No version " + wanted + " of " + file.getId()));
    }

    /**
     * {@code GET /blocks/{block_id}}: one block's bytes, for a client that assembles files from blocks.
     * Only for a block of a version the caller can read (or whose bytes they sent): knowing a hash
     * gives nothing, and the answer is the same 404 as for a block that does not exist. An id that is not 64
     * lowercase hex characters is a 400: no block could ever have it.
     */
    @Latency("syncbox.download.latency")
    @GetMapping("/blocks/{blockId}")
    void block(CurrentUser user, @PathVariable String blockId, HttpServletResponse response) throws IOException {
        int size = readable(user, List.of(blockId)).get(blockId);
        response.setContentType("application/octet-stream");
        response.setHeader(HttpHeaders.ETAG, '"' + blockId + '"');
        response.setContentLengthLong(size);
        if (size > 0) {
            try (InputStream in = reads.open(blockId, size, 0, size - 1)) {
                in.transferTo(response.getOutputStream());
            }
        }
    }

    /**
     * {@code GET /blocks/{block_id}/delta?base={base_id}}: the block as an SBD1 delta against a block the client
     * already holds (the format {@code PUT /blocks/{id}/delta} takes), so a changed block downloads about as small as
     * it uploads. Both blocks must be readable by the caller, with the same 404 as {@code GET /blocks/{id}} otherwise;
     * the client applies the delta to its copy of the base and checks the result's SHA-256 against the id.
     */
    @Latency("syncbox.download.latency")
    @GetMapping("/blocks/{blockId}/delta")
    void blockDelta(
            CurrentUser user,
            @PathVariable String blockId,
            @RequestParam(name = "base") String baseId,
            HttpServletResponse response)
            throws IOException {
        java.util.Map<String, Integer> sizes = readable(user, List.of(blockId, baseId));
        byte[] delta = BlockDelta.encode(List.of(read(baseId, sizes.get(baseId))), read(blockId, sizes.get(blockId)));
        octets(response, delta);
        deltaSaved.increment(Math.max(0, sizes.get(blockId) - delta.length));
    }

    /**
     * The block's rsync signature ({@link BlockSignature}): what a client that changed a block in place, and so no
     * longer has its old bytes, needs to send the new block as a delta against it ({@code PUT /blocks/{id}/delta}).
     * The same access and 404 as {@code GET /blocks/{id}}.
     */
    @GetMapping("/blocks/{blockId}/signature")
    void blockSignature(CurrentUser user, @PathVariable String blockId, HttpServletResponse response)
            throws IOException {
        octets(
                response,
                BlockSignature.of(read(blockId, readable(user, List.of(blockId)).get(blockId))));
    }

    /**
     * The sizes of blocks the caller may read: a malformed id is 400 {@code invalid_request} (no block could have it),
     * a block that does not exist or that the caller may not read the same 404.
     */
    private java.util.Map<String, Integer> readable(CurrentUser user, List<String> ids) {
        for (String id : ids) {
            if (!BlockId.isValid(id)) {
                throw new SyncboxException(
                        ErrorCode.INVALID_REQUEST,
                        "A block id is the SHA-256 of the block's bytes: 64 lowercase hex characters");
            }
        }
        java.util.Set<String> permitted = java.util.Set.copyOf(access.permitted(user.userId(), ids));
        java.util.Map<String, Integer> sizes = registry.sizes(ids);
        for (String id : ids) {
            if (!permitted.contains(id) || sizes.get(id) == null) {
                throw new SyncboxException(ErrorCode.NOT_FOUND, "No block " + id);
            }
        }
        return sizes;
    }

    private static void octets(HttpServletResponse response, byte[] bytes) throws IOException {
        response.setContentType("application/octet-stream");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private byte[] read(String blockId, int size) {
        return reads.read(blockId, size);
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

    private static String name(FileEntity file) {
        String path = file.path();
        return path.substring(path.lastIndexOf('/') + 1);
    }
}

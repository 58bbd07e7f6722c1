package dev.syncbox.upload.block;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.metrics.Latency;
import dev.syncbox.server.web.CurrentUser;
import dev.syncbox.upload.file.MultipartUpload;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /blocks/check}, {@code POST /blocks/upload} (the seed's multipart {@code block_id,
 * content}), {@code PUT /blocks/{block_id}} (raw bytes), {@code PUT /blocks/{block_id}/delta?base=…}
 * (a delta against blocks the server has) and {@code POST /blocks/upload_batch} (many blocks).
 */
@RestController
class BlockController {

    static final int MAX_CHECK = 10_000;

    record CheckRequest(@NotNull @Size(max = MAX_CHECK) List<@NotNull String> blockHashes) {}

    record CheckResponse(List<String> existing, List<String> missing) {}

    record BlockStored(String blockId, int size, boolean stored) {}

    /** One part of {@code POST /blocks/upload_batch}: its block was {@code stored} or already {@code existing}. */
    record BatchBlock(String blockId, String status) {}

    /** Each part's {@link BatchBlock} or problem, in part order. */
    record BatchResponse(List<Object> blocks) {}

    private final BlockUploads blocks;

    BlockController(BlockUploads blocks) {
        this.blocks = blocks;
    }

    @PostMapping("/blocks/check")
    CheckResponse check(CurrentUser user, @Valid @RequestBody CheckRequest request) {
        BlockUploads.Check check = blocks.check(user, request.blockHashes());
        return new CheckResponse(check.existing(), check.missing());
    }

    @Latency("syncbox.upload.latency")
    @PutMapping("/blocks/{blockId}")
    BlockStored put(CurrentUser user, @PathVariable String blockId, HttpServletRequest request) throws IOException {
        try (InputStream body = request.getInputStream()) {
            return blocks.upload(user, blockId, body);
        }
    }

    @Latency("syncbox.upload.latency")
    @PutMapping("/blocks/{blockId}/delta")
    BlockStored putDelta(
            CurrentUser user,
            @PathVariable String blockId,
            @RequestParam("base") List<String> baseIds,
            HttpServletRequest request)
            throws IOException {
        try (InputStream body = request.getInputStream()) {
            return blocks.uploadDelta(user, blockId, baseIds, body);
        }
    }

    @Latency("syncbox.upload.latency")
    @PostMapping("/blocks/upload")
    BlockStored upload(CurrentUser user, HttpServletRequest request) throws IOException {
        MultipartUpload multipart = MultipartUpload.of(request);
        String blockId = null;
        BlockStored stored = null;
        for (MultipartUpload.Part part = multipart.next(); part != null; part = multipart.next()) {
            switch (part.name()) {
                case "block_id" -> blockId = MultipartUpload.text(part).trim();
                case "content" -> {
                    if (blockId == null) {
                        throw new SyncboxException(
                                ErrorCode.INVALID_REQUEST, "The block_id part must come before the content part");
                    }
                    try (InputStream in = part.content()) {
                        stored = blocks.upload(user, blockId, in);
                    }
                }
                default -> throw new SyncboxException(ErrorCode.INVALID_REQUEST, "Unknown part '" + part.name() + "'");
            }
        }
        if (stored == null) {
            throw new SyncboxException(
                    ErrorCode.INVALID_REQUEST, "Missing part " + (blockId == null ? "block_id" : "content"));
        }
        return stored;
    }

    /**
     * Many blocks in one request: multipart, one part per block, each part named by its block id. Each
     * part is answered in place; a bad part does not stop the others.
     */
    @Latency("syncbox.upload.latency")
    @PostMapping("/blocks/upload_batch")
    BatchResponse uploadBatch(CurrentUser user, HttpServletRequest request) throws IOException {
        return new BatchResponse(blocks.uploadBatch(user, MultipartUpload.of(request)));
    }
}

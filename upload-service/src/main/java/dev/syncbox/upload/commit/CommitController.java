package dev.syncbox.upload.commit;

import dev.syncbox.conflict.engine.commit.Committed;
import dev.syncbox.server.metrics.Latency;
import dev.syncbox.server.web.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class CommitController {

    /** The version a client assembled: its blocks in order, their total size and content hash. */
    record CommitBody(
            @NotBlank String filePath,
            String parentVersionId,
            @NotNull List<@NotNull String> blocks,
            @NotNull @PositiveOrZero Long size,
            @NotBlank String contentHash,
            String deviceId,
            String mode) {}

    /**
     * {@code conflict} is set when the parent was stale and {@code mode: auto} resolved it; then
     * {@code file_id} may be a conflicted copy's.
     */
    record CommitResponse(
            String fileId, String versionId, String checksum, Instant timestamp, Committed.ConflictOutcome conflict) {

        static CommitResponse of(Committed committed) {
            return new CommitResponse(
                    committed.fileId(),
                    committed.versionId(),
                    committed.contentHash(),
                    committed.timestamp(),
                    committed.conflict());
        }
    }

    /** Up to {@value BatchCommits#MAX_ENTRIES} commit bodies, each answered in place. */
    record BatchBody(
            @NotNull @Size(max = BatchCommits.MAX_ENTRIES) List<CommitBody> entries) {}

    /** Each entry: a {@link CommitResponse}, or the problem {@code /files/commit} would have answered. */
    record BatchResponse(List<Object> entries) {}

    private final FileCommits commits;
    private final BatchCommits batches;

    CommitController(FileCommits commits, BatchCommits batches) {
        this.commits = commits;
        this.batches = batches;
    }

    @Latency("syncbox.upload.latency")
    @PostMapping("/files/commit")
    CommitResponse commit(CurrentUser user, @Valid @RequestBody CommitBody body) {
        return commits.commit(user, body);
    }

    @Latency("syncbox.upload.latency")
    @PostMapping("/files/commit_batch")
    BatchResponse commitBatch(CurrentUser user, @Valid @RequestBody BatchBody body) {
        return new BatchResponse(batches.commit(user, body.entries()));
    }
}

package dev.syncbox.conflict.engine.testing;

import dev.syncbox.conflict.engine.commit.CommitMode;
import dev.syncbox.conflict.engine.commit.CommitRequest;
import dev.syncbox.conflict.engine.commit.Committed;
import dev.syncbox.conflict.engine.commit.VersionCommitter;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.content.ContentIngest;
import dev.syncbox.server.testing.TestAccounts.TestUser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.context.ApplicationContext;

/** Commits content straight through the service layer, for tests of what reads it. */
public final class TestCommits {

    private final ContentIngest ingest;
    private final VersionCommitter committer;

    public TestCommits(ApplicationContext context) {
        this.ingest = context.getBean(ContentIngest.class);
        this.committer = context.getBean(VersionCommitter.class);
    }

    /** An upload that overwrites whatever is at {@code path}. */
    public Committed upload(TestUser who, String path, byte[] content) {
        return commit(who, path, null, true, CommitMode.REJECT, content);
    }

    public Committed upload(TestUser who, String path, String text) {
        return upload(who, path, text.getBytes(StandardCharsets.UTF_8));
    }

    public Committed commit(
            TestUser who, String path, String parentVersionId, boolean overwrite, CommitMode mode, byte[] content) {
        try {
            var stored = ingest.store(
                    new ByteArrayInputStream(content),
                    Long.MAX_VALUE,
                    () -> new SyncboxException(ErrorCode.INTERNAL, "no limit"));
            return committer.commit(
                    new CommitRequest(who.userId(), who.deviceId(), path, parentVersionId, overwrite, stored, mode));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

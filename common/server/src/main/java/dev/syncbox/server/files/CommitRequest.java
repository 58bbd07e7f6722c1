package dev.syncbox.server.files;

import dev.syncbox.server.content.StoredContent;
import java.util.Objects;

/**
 * A new version of the file at {@code path}, whose blocks are already stored.
 *
 * @param parentVersionId the version the writer started from; {@code null} overwrites whatever is current
 */
public record CommitRequest(long userId, String deviceId, String path, String parentVersionId, StoredContent content) {

    public CommitRequest {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(content, "content");
    }
}

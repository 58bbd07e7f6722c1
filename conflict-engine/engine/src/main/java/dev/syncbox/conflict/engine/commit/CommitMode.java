package dev.syncbox.conflict.engine.commit;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import java.util.Locale;

/** What a commit does when its parent version is no longer the current one. */
public enum CommitMode {
    /** {@code 409 conflict} with the current version: the client merges and commits again. */
    REJECT,
    /** The server resolves: a 3-way merge for text, a conflicted copy for anything else. */
    AUTO;

    /** {@code "reject"} (also for null or blank) or {@code "auto"}; anything else is {@code 400}. */
    public static CommitMode parse(String text) {
        if (text == null || text.isBlank()) {
            return REJECT;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "mode is reject or auto, not '" + text + "'");
        }
    }
}

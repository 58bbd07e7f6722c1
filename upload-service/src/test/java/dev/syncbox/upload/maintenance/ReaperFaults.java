package dev.syncbox.upload.maintenance;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;

/** Makes the reaper fail between two of its steps, as a crash or an S3 outage would; for tests of any package. */
public final class ReaperFaults {

    private ReaperFaults() {}

    /** The reaper throws at {@code step} (a {@link BlockReaper.Step} name) until {@link #clear}. */
    public static void failAt(BlockReaper reaper, String step) {
        failAt(reaper, BlockReaper.Step.valueOf(step));
    }

    static void failAt(BlockReaper reaper, BlockReaper.Step step) {
        reaper.probe((reached, ids) -> {
            if (reached == step && !ids.isEmpty()) {
                throw new SyncboxException(ErrorCode.STORAGE_UNAVAILABLE, "reaper aborted at " + step + " by the test");
            }
        });
    }

    public static void clear(BlockReaper reaper) {
        reaper.probe((reached, ids) -> {});
    }
}

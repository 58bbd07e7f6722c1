package dev.syncbox.server.content;

import java.util.List;

/** Garbage collection tombstoned these blocks; once that commits nobody may be told they exist. */
public record BlocksTombstoned(List<String> blockIds) {

    public BlocksTombstoned {
        blockIds = List.copyOf(blockIds);
    }
}

package dev.syncbox.server.content;

import java.util.List;

/** A committed version counts references to these stored blocks; they are cached as existing after it. */
public record BlocksReferenced(List<String> blockIds) {

    public BlocksReferenced {
        blockIds = List.copyOf(blockIds);
    }
}

package dev.syncbox.client.plan;

import java.util.List;

/** What to do, in order, and what cannot be synced as things are (with the reason). */
public record Plan(List<Op> ops, List<Problem> problems) {

    public record Problem(String path, String reason) {}

    public boolean isEmpty() {
        return ops.isEmpty();
    }
}

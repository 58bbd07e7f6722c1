package dev.syncbox.conflict.engine.record;

import dev.syncbox.server.content.StoredContent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * The commit's side of the seed's metrics (docs/metrics.md): commit attempts, the versions they
 * wrote with their logical bytes and block references (dedup ratio and block reuse are taken against
 * the bytes and blocks newly stored), conflicts by outcome, resolutions by who resolved them, and
 * the commit's latency. Every meter is registered on first use, so only a process that commits
 * exports them: the rates are computed in PromQL, never here.
 */
@Component
public class CommitMetrics {

    private final MeterRegistry registry;

    CommitMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A commit went through without a conflict and wrote a version of {@code content}. */
    public void committed(StoredContent content) {
        attempt();
        wrote(content);
    }

    /** A conflict resolved by the server wrote a version of {@code content} (a merge, a conflicted copy). */
    public void wrote(StoredContent content) {
        Counter.builder("syncbox.versions.committed")
                .description("Versions written by commits")
                .register(registry)
                .increment();
        Counter.builder("syncbox.commit.bytes")
                .description("Logical bytes of the versions written by commits")
                .baseUnit("bytes")
                .register(registry)
                .increment(content.size());
        Counter.builder("syncbox.commit.blocks")
                .description("Block references of the versions written by commits")
                .register(registry)
                .increment(content.blockIds().size());
    }

    /** A commit found its parent no longer current; {@code outcome} is how the conflict ended. */
    void conflicted(String outcome) {
        attempt();
        Counter.builder("syncbox.conflicts")
                .description("Conflicting commits, by how the conflict ended")
                .tag("outcome", outcome.toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
    }

    /**
     * A conflict was closed: {@code auto} by the server at once, {@code settled} by a later commit
     * of the device that wrote it or on top of a merge, {@code manual} by a user choosing a version.
     */
    void resolved(String how, Duration took) {
        Counter.builder("syncbox.conflicts.resolved")
                .description("Conflicts closed, by who closed them")
                .tag("how", how)
                .register(registry)
                .increment();
        Timer.builder("syncbox.conflicts.resolution_time")
                .description("From a conflict's divergence to its resolution")
                .tag("how", how)
                .register(registry)
                .record(took);
    }

    /** Starts timing a commit: a single one, or a batch of {@code /files/commit_batch}. */
    public Timer.Sample start() {
        return Timer.start(registry);
    }

    /** Stops timing a commit started by {@link #start}. */
    public void timed(Timer.Sample sample, String kind) {
        sample.stop(Timer.builder("syncbox.commit.latency")
                .description("Time to commit versions whose blocks are stored: locks, checks, metadata and journal")
                .tag("kind", kind)
                .register(registry));
    }

    private void attempt() {
        Counter.builder("syncbox.commits")
                .description("Commit attempts: clean commits and conflicting ones")
                .register(registry)
                .increment();
    }
}

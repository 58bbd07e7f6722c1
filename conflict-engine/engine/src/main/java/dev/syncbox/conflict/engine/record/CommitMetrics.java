package dev.syncbox.conflict.engine.record;

import dev.syncbox.server.content.StoredContent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * The commit's side of the seed's metrics (docs/metrics.md): commit attempts, the versions they
 * wrote with their logical bytes and block references (dedup ratio and block reuse are taken against
 * the bytes and blocks newly stored), conflicts by outcome, resolutions by who resolved them, and
 * the commit's latency. The rates are computed in PromQL, never here.
 *
 * <p>This code is linked by every service, but only a service that commits exports the meters: it
 * registers them at start ({@link #registerCommitting}, {@link #registerResolving}), at zero, so that
 * Prometheus sees a counter's first increase (a series born at 1 has no increase to rate).
 */
@Component
public class CommitMetrics {

    /** How a conflict can end ({@code conflicts.resolution} in lower case). */
    static final List<String> OUTCOMES = List.of("merged", "merged_with_markers", "conflicted_copy", "rejected");

    private final MeterRegistry registry;

    CommitMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers, at zero, the meters of a service that commits versions. */
    public void registerCommitting() {
        commits();
        versions();
        bytes();
        blocks();
        OUTCOMES.forEach(this::conflicts);
        List.of("auto", "settled").forEach(how -> {
            resolutions(how);
            resolutionTime(how);
        });
        List.of("single", "batch").forEach(this::latency);
    }

    /** Registers, at zero, the meters of a service where users resolve conflicts by hand. */
    public void registerResolving() {
        resolutions("manual");
        resolutionTime("manual");
    }

    /** A commit went through without a conflict and wrote a version of {@code content}. */
    public void committed(StoredContent content) {
        commits().increment();
        wrote(content);
    }

    /** A conflict resolved by the server wrote a version of {@code content} (a merge, a conflicted copy). */
    public void wrote(StoredContent content) {
        versions().increment();
        bytes().increment(content.size());
        blocks().increment(content.blockIds().size());
    }

    /** A commit found its parent no longer current; {@code outcome} is how the conflict ended. */
    void conflicted(String outcome) {
        commits().increment();
        conflicts(outcome.toLowerCase(Locale.ROOT)).increment();
    }

    /**
     * A conflict was closed: {@code auto} by the server at once, {@code settled} by a later commit
     * of the device that wrote it or on top of a merge, {@code manual} by a user choosing a version.
     */
    void resolved(String how, Duration took) {
        resolutions(how).increment();
        resolutionTime(how).record(took);
    }

    /** Starts timing a commit: a single one, or a batch of {@code /files/commit_batch}. */
    public Timer.Sample start() {
        return Timer.start(registry);
    }

    /** Stops timing a commit started by {@link #start}. */
    public void timed(Timer.Sample sample, String kind) {
        sample.stop(latency(kind));
    }

    private Counter commits() {
        return Counter.builder("syncbox.commits")
                .description("Commit attempts: clean commits and conflicting ones")
                .register(registry);
    }

    private Counter versions() {
        return Counter.builder("syncbox.versions.committed")
                .description("Versions written by commits")
                .register(registry);
    }

    private Counter bytes() {
        return Counter.builder("syncbox.commit.bytes")
                .description("Logical bytes of the versions written by commits")
                .baseUnit("bytes")
                .register(registry);
    }

    private Counter blocks() {
        return Counter.builder("syncbox.commit.blocks")
                .description("Block references of the versions written by commits")
                .register(registry);
    }

    private Counter conflicts(String outcome) {
        return Counter.builder("syncbox.conflicts")
                .description("Conflicting commits, by how the conflict ended")
                .tag("outcome", outcome)
                .register(registry);
    }

    private Counter resolutions(String how) {
        return Counter.builder("syncbox.conflicts.resolved")
                .description("Conflicts closed, by who closed them")
                .tag("how", how)
                .register(registry);
    }

    private Timer resolutionTime(String how) {
        return Timer.builder("syncbox.conflicts.resolution_time")
                .description("From a conflict's divergence to its resolution")
                .tag("how", how)
                .register(registry);
    }

    private Timer latency(String kind) {
        return Timer.builder("syncbox.commit.latency")
                .description("Time to commit versions whose blocks are stored: locks, checks, metadata and journal")
                .tag("kind", kind)
                .register(registry);
    }
}

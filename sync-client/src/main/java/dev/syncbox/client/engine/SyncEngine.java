package dev.syncbox.client.engine;

import dev.syncbox.client.plan.LocalEntry;
import dev.syncbox.client.plan.Plan;
import dev.syncbox.client.plan.Planner;
import dev.syncbox.client.sync.Reconciler;
import dev.syncbox.client.sync.RemoteTree;
import dev.syncbox.client.sync.SyncedTree;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * One folder's sync: read the server's changes into the remote tree, scan the folder, plan, carry the plan out, and
 * again until there is nothing left to do. The remote tree, the synced tree and the cursor outlive the process, so a
 * sync stopped at any point resumes from what really happened.
 */
public final class SyncEngine {

    /**
     * Reads the change feed from {@code cursor} (null: a listing from the start) into the tree, a page at a time: each
     * page's changes and the cursor after them are handed to {@code pages} together, so the tree and the cursor are
     * kept in one commit and a feed cut short (a lost connection, a crash) is never read twice. Reading changes twice
     * would be wrong: a folder deleted, made again and a folder moved into it would lose what the moved one holds.
     */
    public interface Feed {
        void drain(String cursor, RemoteTree tree, Pages pages) throws IOException;
    }

    /** Takes in a page of the feed: {@code apply} changes the tree, then {@code cursor} is where the feed is. */
    @FunctionalInterface
    public interface Pages {
        void take(Runnable apply, String cursor);
    }

    /** The folder as it is now, and what in it cannot be synced. */
    public interface Scan {
        Scanned scan() throws IOException;
    }

    /**
     * The folder as scanned, what in it cannot be synced, and which paths the folder's ignore rules keep out of sync on
     * both sides (an ignored entry the server has is neither downloaded nor, since it is not here, deleted there).
     */
    public record Scanned(List<LocalEntry> entries, List<Plan.Problem> problems, Ignore ignore) {

        public Scanned(List<LocalEntry> entries, List<Plan.Problem> problems) {
            this(entries, problems, (path, dir) -> false);
        }
    }

    /** Paths kept out of sync. */
    @FunctionalInterface
    public interface Ignore {
        boolean ignored(String path, boolean dir);
    }

    /** Where the cursor lives, and a way to group many small writes of it into one. */
    public interface Durable {
        String cursor();

        void cursor(String cursor);

        /** Runs the work, its writes grouped into few commits (a process stopped half-way keeps some of them). */
        void inTransaction(Runnable work);

        /** Runs the work, its writes in one commit: all of them are kept or none. */
        void atomically(Runnable work);
    }

    /** What one {@link #syncOnce} did. */
    public record Result(
            int passes, int done, List<Reconciler.Failure> failures, List<Plan.Problem> problems, boolean settled) {}

    /** Passes per call: a plan may leave work for the next (an entry moved aside first), never this many times. */
    static final int MAX_PASSES = 8;

    private final Feed feed;
    private final Scan scan;
    private final Durable durable;
    private final RemoteTree remote;
    private final SyncedTree synced;
    private final Reconciler reconciler;
    private final String deviceName;
    private final Clock clock;

    public SyncEngine(
            Feed feed,
            Scan scan,
            Durable durable,
            RemoteTree remote,
            SyncedTree synced,
            Reconciler reconciler,
            String deviceName,
            Clock clock) {
        this.feed = feed;
        this.scan = scan;
        this.durable = durable;
        this.remote = remote;
        this.synced = synced;
        this.reconciler = reconciler;
        this.deviceName = deviceName;
        this.clock = clock;
    }

    /** The plan for the trees as they are now, without carrying it out (for {@code syncbox status}). */
    public Plan pending() throws IOException {
        pull();
        return plan(scan.scan());
    }

    /**
     * Syncs until both sides agree or only failures are left. A plan that would delete much of the folder is refused
     * unless {@code allowMassDelete}.
     */
    public Result syncOnce(boolean allowMassDelete) throws IOException, DeleteGuard.MassDelete {
        int done = 0;
        List<Reconciler.Failure> failures = List.of();
        List<Plan.Problem> problems = List.of();
        for (int pass = 1; pass <= MAX_PASSES; pass++) {
            pull();
            Plan plan = plan(scan.scan());
            problems = plan.problems();
            if (plan.isEmpty()) {
                return new Result(pass, done, List.of(), problems, true);
            }
            DeleteGuard.check(plan, synced.entries(), allowMassDelete);
            Reconciler.Outcome[] outcome = new Reconciler.Outcome[1];
            durable.inTransaction(() -> outcome[0] = reconciler.execute(plan));
            done += outcome[0].done();
            failures = outcome[0].failures();
            if (outcome[0].done() == 0) {
                return new Result(pass, done, failures, problems, false);
            }
        }
        return new Result(MAX_PASSES, done, failures, problems, false);
    }

    private void pull() throws IOException {
        feed.drain(
                durable.cursor(),
                remote,
                (apply, cursor) -> durable.atomically(() -> {
                    apply.run();
                    durable.cursor(cursor);
                }));
    }

    /**
     * The plan for the trees as they are. Its problems include what the scan could not take (names the server
     * refuses, unreadable files): as much "not synced" as what the planner cannot place.
     */
    private Plan plan(Scanned now) {
        String date = LocalDate.now(clock.withZone(ZoneId.systemDefault())).toString();
        Ignore ignore = now.ignore();
        Plan plan = Planner.plan(
                remote.entries().stream()
                        .filter(e -> !ignore.ignored(e.path(), e.dir()))
                        .toList(),
                now.entries(),
                synced.entries().stream()
                        .filter(e -> !ignore.ignored(e.path(), e.dir()))
                        .toList(),
                new Planner.Context(deviceName, date));
        return new Plan(plan.ops(), merge(now.problems(), plan.problems()));
    }

    private static List<Plan.Problem> merge(List<Plan.Problem> a, List<Plan.Problem> b) {
        List<Plan.Problem> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}

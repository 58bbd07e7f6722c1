package dev.syncbox.conflict.engine.commit;

import dev.syncbox.conflict.engine.record.CommitMetrics;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.content.BlockRegistry;
import dev.syncbox.server.content.BlocksReferenced;
import dev.syncbox.server.files.FilesCommitted;
import dev.syncbox.server.journal.Journal;
import dev.syncbox.server.share.Sharing;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Commits many versions at once ({@code POST /files/commit_batch}), each exactly as {@link
 * VersionCommitter} would, with a handful of statements per namespace instead of a dozen per file.
 * The versions of one namespace go in one transaction under the namespace lock, journaled in one
 * append, so the journal stays gap-free and in commit order. An entry that cannot commit (a folder in
 * the way, over quota, a block gone) gets its problem and the others still commit; nothing of it is
 * written. An entry whose parent is stale is committed afterwards through {@link VersionCommitter},
 * which rejects it or resolves it (merge, conflicted copy) as a single commit would.
 */
@Service
public class BatchCommitter {

    private static final Logger log = LoggerFactory.getLogger(BatchCommitter.class);

    /** How one entry of a batch ended. */
    public sealed interface Outcome {}

    public record Success(Committed committed) implements Outcome {}

    public record Failure(SyncboxException problem) implements Outcome {}

    private final Sharing sharing;
    private final Journal journal;
    private final BlockRegistry blocks;
    private final NamespaceBatches batches;
    private final CommitMetrics metrics;
    private final VersionCommitter committer;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;

    BatchCommitter(
            Sharing sharing,
            Journal journal,
            BlockRegistry blocks,
            NamespaceBatches batches,
            CommitMetrics metrics,
            VersionCommitter committer,
            ApplicationEventPublisher events,
            PlatformTransactionManager transactionManager,
            Clock clock) {
        this.sharing = sharing;
        this.journal = journal;
        this.blocks = blocks;
        this.batches = batches;
        this.metrics = metrics;
        this.committer = committer;
        this.events = events;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /** Commits every request; the outcomes are in the requests' order. */
    public List<Outcome> commit(List<CommitRequest> requests) {
        return commit(requests, null);
    }

    /**
     * {@link #commit(List)}, with each request's path already located for writing by the caller
     * ({@code located}, in the same order; null to locate here).
     */
    public List<Outcome> commit(List<CommitRequest> requests, List<Sharing.Location> located) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("BatchCommitter.commit runs its own transactions");
        }
        Timer.Sample sample = metrics.start();
        try {
            return commitAll(requests, located);
        } finally {
            metrics.timed(sample, "batch");
        }
    }

    private List<Outcome> commitAll(List<CommitRequest> requests, List<Sharing.Location> located) {
        Outcome[] outcomes = new Outcome[requests.size()];
        Map<Long, List<Located>> byNamespace = new LinkedHashMap<>();
        Map<Long, Function<String, Sharing.Location>> locators = new HashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            CommitRequest request = requests.get(i);
            try {
                VersionCommitter.requireFilePath(request.path());
                Sharing.Location location = located != null
                        ? located.get(i)
                        : locators.computeIfAbsent(request.userId(), sharing::writeLocator)
                                .apply(request.path());
                byNamespace
                        .computeIfAbsent(location.namespaceId(), k -> new ArrayList<>())
                        .add(new Located(i, request, location));
            } catch (SyncboxException e) {
                outcomes[i] = new Failure(e);
            }
        }
        List<Located> stale = new ArrayList<>();
        byNamespace.forEach((namespaceId, entries) -> {
            try {
                Map<Integer, Outcome> done = transactions.execute(status -> commitNamespace(namespaceId, entries));
                for (Located entry : entries) {
                    Outcome outcome = done.get(entry.index());
                    if (outcome == null) {
                        stale.add(entry);
                    } else {
                        outcomes[entry.index()] = outcome;
                        if (outcome instanceof Success) {
                            metrics.committed(entry.request().content());
                        }
                    }
                }
            } catch (SyncboxException e) {
                entries.forEach(entry -> outcomes[entry.index()] = new Failure(e));
            } catch (DataAccessException e) {
                // Nothing of this namespace's entries was kept; the other namespaces' stand.
                log.warn("batch commit of {} entries in namespace {} failed", entries.size(), namespaceId, e);
                SyncboxException failure =
                        new SyncboxException(ErrorCode.INTERNAL, "The entry could not be committed; try again");
                entries.forEach(entry -> outcomes[entry.index()] = new Failure(failure));
            }
        });
        for (Located entry : stale) {
            try {
                outcomes[entry.index()] = new Success(committer.commit(entry.request()));
            } catch (SyncboxException e) {
                outcomes[entry.index()] = new Failure(e);
            }
        }
        return List.of(outcomes);
    }

    /** One namespace's entries in one transaction; entries left out of the answer have a stale parent. */
    private Map<Integer, Outcome> commitNamespace(long namespaceId, List<Located> located) {
        journal.lock(namespaceId);
        Map<Integer, Outcome> outcomes = new HashMap<>();
        List<Located> entries = new ArrayList<>();
        Map<Long, Function<String, Sharing.Location>> relocators = new HashMap<>();
        for (Located entry : located) {
            Sharing.Location location = entry.location();
            if (location.shared()) {
                // Resolved before the lock: the share may have been revoked or its folder renamed since.
                try {
                    location = relocators
                            .computeIfAbsent(entry.request().userId(), sharing::writeLocator)
                            .apply(entry.request().path());
                } catch (SyncboxException e) {
                    outcomes.put(entry.index(), new Failure(e));
                    continue;
                }
                if (location.namespaceId() != namespaceId) {
                    outcomes.put(
                            entry.index(),
                            new Failure(new SyncboxException(
                                    ErrorCode.NOT_FOUND,
                                    "Nothing at " + entry.request().path())));
                    continue;
                }
            }
            entries.add(new Located(entry.index(), entry.request(), location));
        }
        if (entries.isEmpty()) {
            return outcomes;
        }
        Instant now = clock.instant();
        NamespaceBatches.Batch batch =
                batches.open(namespaceId, entries.get(0).location().ownerId(), entries, true, now);

        // Every block is counted once per version naming it; versions naming a block that is not
        // stored (any more) fail, and their other references are taken back below.
        Map<String, Integer> counts = new HashMap<>();
        entries.forEach(entry -> distinctBlocks(entry).forEach(id -> counts.merge(id, 1, Integer::sum)));
        Set<String> referenced = blocks.referenceCounts(counts);
        Map<String, Integer> release = new HashMap<>();
        Set<String> named = new LinkedHashSet<>();
        for (Located entry : entries) {
            Set<String> ids = distinctBlocks(entry);
            List<String> missing =
                    ids.stream().filter(id -> !referenced.contains(id)).toList();
            Outcome outcome = missing.isEmpty() ? batch.plan(entry) : new Failure(blocks.missing(missing));
            if (outcome instanceof Success success) {
                named.addAll(ids);
                outcomes.put(entry.index(), success);
            } else {
                ids.stream().filter(referenced::contains).forEach(id -> release.merge(id, 1, Integer::sum));
                if (outcome != null) {
                    outcomes.put(entry.index(), outcome);
                }
            }
        }
        blocks.releaseCounts(release);
        batch.write();
        if (!named.isEmpty()) {
            events.publishEvent(new BlocksReferenced(List.copyOf(named)));
        }
        if (!batch.updatedFileIds().isEmpty()) {
            events.publishEvent(new FilesCommitted(namespaceId, batch.updatedFileIds()));
        }
        return outcomes;
    }

    private static Set<String> distinctBlocks(Located entry) {
        return new LinkedHashSet<>(entry.request().content().blockIds());
    }

    /** A request of the batch, with its place in it and where its path lives. */
    record Located(int index, CommitRequest request, Sharing.Location location) {}
}

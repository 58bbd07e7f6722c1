package dev.syncbox.conflict.engine.commit;

import dev.syncbox.conflict.engine.record.CommitMetrics;
import dev.syncbox.conflict.engine.record.ConflictLog;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.content.BlockRegistry;
import dev.syncbox.server.content.BlocksReferenced;
import dev.syncbox.server.dav.DavLocks;
import dev.syncbox.server.files.FilesCommitted;
import dev.syncbox.server.files.Folders;
import dev.syncbox.server.journal.Journal;
import dev.syncbox.server.metadata.FileEntity;
import dev.syncbox.server.metadata.FileRepository;
import dev.syncbox.server.metadata.FileVersionEntity;
import dev.syncbox.server.metadata.FileVersionRepository;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.share.Sharing;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes stored content the current version of a file: the version row, block refcounts, quota, the
 * file's {@code current_version_id} and the journal entry, in one transaction under the namespace
 * lock, with a compare-and-set on the parent version (docs/conflicts.md). A stale parent is a
 * conflict, never an overwrite: rejected, or resolved by the {@link ConflictResolver}. Under the lock
 * only metadata rows are read and written; content is merged and stored before it, and the lock is
 * taken again — retrying if the file moved on meanwhile.
 */
@Service
public class VersionCommitter {

    /** Merges tried against a file that keeps moving before the upload is kept as a conflicted copy. */
    static final int MERGE_ATTEMPTS = 5;

    private static final int STRIPES = 64;

    /** How one locked attempt ended. */
    private sealed interface Attempt {}

    private record Done(Committed committed, boolean clean) implements Attempt {}

    /** Stale, and the request does not resolve: recorded and refused once the transaction is gone. */
    private record Rejected(long namespaceId, String fileId, String currentVersionId, String baseVersionId)
            implements Attempt {}

    /** Stale, to be resolved: content must be merged against {@code theirs} before locking again. */
    private record Unplanned(FileVersionEntity base, FileVersionEntity theirs) implements Attempt {}

    private final Sharing sharing;
    private final FileRepository files;
    private final FileVersionRepository versions;
    private final Journal journal;
    private final Folders folders;
    private final NamespaceBatches batches;
    private final BlockRegistry blocks;
    private final ConflictResolver resolver;
    private final ConflictLog conflicts;
    private final CommitMetrics metrics;
    private final ApplicationEventPublisher events;
    private final DavLocks locks;
    private final TransactionTemplate transactions;
    private final Clock clock;
    /** Serializes the merges of one file on this instance, so concurrent devices merge in turn, not in vain. */
    private final ReentrantLock[] mergeStripes = new ReentrantLock[STRIPES];

    VersionCommitter(
            Sharing sharing,
            FileRepository files,
            FileVersionRepository versions,
            Journal journal,
            Folders folders,
            NamespaceBatches batches,
            BlockRegistry blocks,
            ConflictResolver resolver,
            ConflictLog conflicts,
            CommitMetrics metrics,
            ApplicationEventPublisher events,
            DavLocks locks,
            PlatformTransactionManager transactionManager,
            Clock clock) {
        this.sharing = sharing;
        this.files = files;
        this.versions = versions;
        this.journal = journal;
        this.folders = folders;
        this.batches = batches;
        this.blocks = blocks;
        this.resolver = resolver;
        this.conflicts = conflicts;
        this.metrics = metrics;
        this.events = events;
        this.locks = locks;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
        for (int i = 0; i < STRIPES; i++) {
            mergeStripes[i] = new ReentrantLock();
        }
    }

    /** Commits {@code request}; never called inside a transaction (it runs its own). */
    public Committed commit(CommitRequest request) {
        return commit(request, null);
    }

    /**
     * Commits {@code request} whose path the caller has just located for writing ({@code located},
     * or null): saves looking it up again. A path in a shared item is located again under the lock
     * all the same.
     */
    public Committed commit(CommitRequest request, Sharing.Location located) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            // Joined to a caller's transaction, the namespace lock would be held across the merge's I/O.
            throw new IllegalStateException("VersionCommitter.commit runs its own transactions");
        }
        requireFilePath(request.path());
        Timer.Sample sample = metrics.start();
        try {
            Sharing.Location location =
                    located != null ? located : sharing.locateForWrite(request.userId(), request.path());
            requireUnlocked(request, location);
            Attempt attempt = locked(request, null, location);
            if (attempt instanceof Unplanned unplanned) {
                ReentrantLock stripe = stripe(unplanned.theirs().fileId());
                stripe.lock();
                try {
                    attempt = resolve(request, unplanned);
                } finally {
                    stripe.unlock();
                }
            }
            return finish(attempt, request);
        } finally {
            metrics.timed(sample, "single");
        }
    }

    /**
     * {@code locked} while another user's WebDAV lock covers the path, or a depth-0 lock of theirs on its folder
     * guards the folder's membership and the commit would add the file: every protocol honours DAV locks, and a
     * WebDAV write has checked its own lock tokens before it gets here. One indexed query; the batch commit skips it.
     */
    private void requireUnlocked(CommitRequest request, Sharing.Location location) {
        for (DavLocks.Lock lock : locks.conflicting(location.namespaceId(), location.path(), true, false)) {
            if (lock.userId() == request.userId()) {
                continue;
            }
            if (!lock.covers(location.path())
                    && files.findLive(location.namespaceId(), PathKeys.of(location.path()))
                            .isPresent()) {
                // A lock on the folder alone: replacing a file already in it changes no membership.
                continue;
            }
            throw new SyncboxException(ErrorCode.LOCKED, "Locked by another user: " + lock.path());
        }
    }

    /** Merges outside the lock, then commits under it; again while the file moved on in between. */
    private Attempt resolve(CommitRequest request, Unplanned unplanned) {
        Attempt attempt = unplanned;
        for (int tries = 1; attempt instanceof Unplanned next; tries++) {
            ConflictResolver.Plan plan = tries < MERGE_ATTEMPTS
                    ? resolver.prepare(next.base(), next.theirs(), request)
                    : new ConflictResolver.CopyPlan();
            attempt = locked(request, plan, null);
        }
        return attempt;
    }

    private Committed finish(Attempt attempt, CommitRequest request) {
        if (attempt instanceof Rejected rejected) {
            throw rejection(rejected, request);
        }
        Done done = (Done) attempt;
        // Counted once the transaction has committed: a rolled-back attempt wrote nothing.
        if (done.clean()) {
            metrics.committed(request.content());
        } else {
            metrics.wrote(request.content());
        }
        return done.committed();
    }

    /** One transaction under the namespace lock: the commit, its resolution, or what is missing for one. */
    private Attempt locked(CommitRequest request, ConflictResolver.Plan plan, Sharing.Location located) {
        return transactions.execute(status -> attempt(request, plan, located, status));
    }

    private Attempt attempt(
            CommitRequest request, ConflictResolver.Plan plan, Sharing.Location located, TransactionStatus status) {
        // The caller's path may lie in an item shared with them: the file then lives in the owner's
        // namespace and counts against the owner's quota.
        Sharing.Location location =
                located != null ? located : sharing.locateForWrite(request.userId(), request.path());
        long namespaceId = location.namespaceId();
        journal.lock(namespaceId);
        if (location.shared()) {
            // Resolved before the lock: the share may have been revoked or its folder renamed since.
            location = sharing.locateForWrite(request.userId(), request.path());
            if (location.namespaceId() != namespaceId) {
                throw new SyncboxException(ErrorCode.NOT_FOUND, "Nothing at " + request.path());
            }
        }
        long ownerId = location.ownerId();
        Instant now = clock.instant();

        // The plain commit, planned against the rows it touches and written with plain statements.
        BatchCommitter.Located entry = new BatchCommitter.Located(0, request, location);
        NamespaceBatches.Batch batch = batches.open(namespaceId, ownerId, List.of(entry), false, now);
        BatchCommitter.Outcome planned = batch.plan(entry);
        if (planned instanceof BatchCommitter.Failure failure) {
            throw failure.problem();
        }
        if (planned instanceof BatchCommitter.Success success) {
            batch.charge();
            List<String> blockIds =
                    List.copyOf(new LinkedHashSet<>(request.content().blockIds()));
            Map<String, Integer> counts = new HashMap<>();
            blockIds.forEach(id -> counts.put(id, 1));
            Set<String> referenced = blocks.referenceCounts(counts);
            if (referenced.size() != blockIds.size()) {
                throw blocks.missing(
                        blockIds.stream().filter(id -> !referenced.contains(id)).toList());
            }
            batch.write();
            events.publishEvent(new BlocksReferenced(blockIds));
            if (!success.committed().created()) {
                events.publishEvent(new FilesCommitted(
                        namespaceId, List.of(success.committed().fileId())));
            }
            return new Done(success.committed(), true);
        }

        // Stale: recorded and refused, or resolved against the current version.
        String path = folders.ensureParents(ownerId, namespaceId, location.path(), request.deviceId(), now);
        FileEntity file =
                files.findLiveForUpdate(namespaceId, PathKeys.of(path)).orElse(null);
        boolean created = file == null;
        FileVersionEntity base = created || request.parentVersionId() == null
                ? null
                : versions.findOf(file, request.parentVersionId()).orElse(null);
        if (base == null || request.mode() != CommitMode.AUTO) {
            // Nothing of this attempt is kept.
            status.setRollbackOnly();
            return new Rejected(
                    namespaceId,
                    file == null ? null : file.getId(),
                    file == null ? null : file.currentVersionId(),
                    base == null ? null : base.getId());
        }
        FileVersionEntity theirs = versions.findByIdAndNamespaceId(file.currentVersionId(), namespaceId)
                .orElseThrow();
        if (plan == null || !plan.fits(theirs.getId())) {
            status.setRollbackOnly();
            return new Unplanned(base, theirs);
        }
        return new Done(resolver.apply(plan, file, base, theirs, request, now), false);
    }

    /** A rejected commit: its conflict is recorded in a transaction of its own, after the lock is released. */
    private SyncboxException rejection(Rejected rejected, CommitRequest request) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("conflict", true);
        properties.put("current_version_id", rejected.currentVersionId());
        if (rejected.baseVersionId() != null) {
            properties.put(
                    "conflict_id",
                    conflicts.recordApart(
                            new ConflictLog.Entry(
                                    rejected.namespaceId(),
                                    rejected.fileId(),
                                    null,
                                    rejected.currentVersionId(),
                                    rejected.baseVersionId(),
                                    request.deviceId(),
                                    "OPEN",
                                    "REJECTED",
                                    null,
                                    null),
                            clock.instant()));
        }
        return new SyncboxException(
                ErrorCode.CONFLICT, "The file changed since version " + request.parentVersionId(), properties);
    }

    private ReentrantLock stripe(String fileId) {
        return mergeStripes[Math.floorMod(fileId.hashCode(), STRIPES)];
    }

    /** The root is the user's folder: no file can live at "/". */
    public static void requireFilePath(String path) {
        if (SyncPath.isRoot(path)) {
            throw new SyncboxException(ErrorCode.INVALID_PATH, "The root folder cannot be a file");
        }
    }
}

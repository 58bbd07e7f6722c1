package dev.syncbox.client.sync;

import dev.syncbox.client.plan.Op;
import dev.syncbox.client.plan.Paths;
import dev.syncbox.client.plan.Plan;
import dev.syncbox.client.plan.SyncedEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Carries out a plan against the two sides, recording each step in the synced tree as soon as it is done, so a
 * process stopped half-way resumes from what really happened. A step that fails is reported and left for the next
 * pass, which plans again from the trees as they are then.
 */
public final class Reconciler {

    /** A step that did not happen, and why. */
    public record Failure(Op op, String path, String reason, boolean retry) {}

    /** What a pass did. */
    public record Outcome(int done, List<Failure> failures) {}

    private final LocalSide local;
    private final RemoteSide remote;
    private final SyncedTree synced;
    private final BiFunction<String, Integer, String> asideName;

    /**
     * {@code asideName} names the local copy of an edit the server refused to take: a path and an attempt (1, 2, …)
     * give a conflicted copy's name beside it.
     */
    public Reconciler(
            LocalSide local, RemoteSide remote, SyncedTree synced, BiFunction<String, Integer, String> asideName) {
        this.local = local;
        this.remote = remote;
        this.synced = synced;
        this.asideName = asideName;
    }

    public Outcome execute(Plan plan) {
        // Downloads start ahead of their turn, a few at a time; the folder changes only in plan order.
        local.fetchAhead(plan.ops().stream()
                .filter(op -> op instanceof Op.Download)
                .map(op -> (Op.Download) op)
                .map(o -> new LocalSide.Fetch(o.fileId(), o.path(), o.versionId(), o.contentHash(), o.size()))
                .toList());
        try {
            return run(plan);
        } finally {
            local.dropAhead();
        }
    }

    private Outcome run(Plan plan) {
        Map<Op, RemoteSide.Uploaded> uploaded = null;
        int done = 0;
        List<Failure> failures = new ArrayList<>();
        for (Op op : plan.ops()) {
            try {
                if (isUpload(op) && uploaded == null) {
                    // Every upload of the plan in one go (the server takes small files by the thousand): the plan puts
                    // them after the folders they go in, and no other step of it touches their paths.
                    uploaded = uploadAll(plan.ops());
                }
                if (isUpload(op) ? record(op, uploaded.get(op)) : apply(op)) {
                    done++;
                } else {
                    failures.add(new Failure(op, op.subject(), "changed while syncing; planned again", true));
                }
            } catch (RemoteSide.Refused e) {
                onRefused(op, e);
                failures.add(new Failure(op, op.subject(), e.getMessage(), e.status() >= 500 || e.status() == 0));
            } catch (IOException | RuntimeException e) {
                failures.add(new Failure(op, op.subject(), String.valueOf(e.getMessage()), true));
            }
        }
        return new Outcome(done, failures);
    }

    private static boolean isUpload(Op op) {
        return op instanceof Op.UploadNew || op instanceof Op.UploadChange;
    }

    private Map<Op, RemoteSide.Uploaded> uploadAll(List<Op> ops) {
        List<Op> uploads = ops.stream().filter(Reconciler::isUpload).toList();
        List<RemoteSide.Uploaded> answers = remote.uploadAll(uploads.stream()
                .map(op -> op instanceof Op.UploadChange o
                        ? new RemoteSide.Upload(o.path(), o.fileId(), o.parentVersionId(), o.contentHash())
                        : new RemoteSide.Upload(op.subject(), null, null, ((Op.UploadNew) op).contentHash()))
                .toList());
        Map<Op, RemoteSide.Uploaded> byOp = new IdentityHashMap<>();
        for (int i = 0; i < uploads.size(); i++) {
            byOp.put(uploads.get(i), answers.get(i));
        }
        return byOp;
    }

    /** Records what an upload did, or throws why it did not happen. */
    private boolean record(Op op, RemoteSide.Uploaded uploaded) throws IOException {
        if (uploaded.failure() != null) {
            if (op instanceof Op.UploadChange o
                    && uploaded.failure() instanceof RemoteSide.Refused r
                    && r.status() == 403
                    && setAside(o)) {
                return true;
            }
            throw uploaded.failure();
        }
        RemoteSide.Committed c = uploaded.committed();
        if (op instanceof Op.UploadNew o) {
            if (!c.conflict()) {
                synced.put(new SyncedEntry(c.fileId(), o.path(), false, c.versionId(), c.contentHash(), c.inode()));
            } else {
                keptAsCopy(o.path(), c);
            }
        } else if (op instanceof Op.UploadChange o) {
            SyncedEntry before = synced.get(o.fileId());
            if (!c.conflict()) {
                synced.put(new SyncedEntry(o.fileId(), o.path(), false, c.versionId(), c.contentHash(), c.inode()));
            } else {
                if (!c.fileId().equals(o.fileId())) {
                    keptAsCopy(o.path(), c);
                }
                if (before != null) {
                    // What the server holds now (another device's version, or the merge) comes on the next pass.
                    synced.put(new SyncedEntry(
                            o.fileId(), o.path(), false, before.versionId(), c.contentHash(), c.inode()));
                }
            }
        }
        return true;
    }

    private boolean apply(Op op) throws IOException {
        if (op instanceof Op.RemoteMkdir o) {
            String fileId = remote.mkdir(o.path());
            synced.put(new SyncedEntry(fileId, o.path(), true, null, null, local.inode(o.path())));
        } else if (op instanceof Op.RemoteMove o) {
            try {
                remote.move(o.fileId(), o.toPath());
            } catch (RemoteSide.Refused e) {
                copyInstead(o, e);
                return true;
            }
            synced.move(o.fileId(), o.toPath());
        } else if (op instanceof Op.RemoteDelete o) {
            try {
                remote.delete(o.fileId());
            } catch (RemoteSide.Refused e) {
                if (e.status() != 403) {
                    throw e;
                }
                // Shared with this user and not theirs to delete: the item itself is left (the share ends for them
                // alone, as a Dropbox or Nextcloud user leaves a folder by deleting it); anything read-only inside
                // one comes back on the next pass.
                remote.leave(o.fileId());
            }
            synced.removeTree(o.fileId());
        } else if (op instanceof Op.Download o) {
            long inode = local.download(o.fileId(), o.path(), o.versionId(), o.contentHash(), o.size(), o.replacing());
            if (inode == LocalSide.CHANGED) {
                return false;
            }
            synced.put(new SyncedEntry(o.fileId(), o.path(), false, o.versionId(), o.contentHash(), inode));
        } else if (op instanceof Op.LocalMkdir o) {
            long inode = local.mkdir(o.path());
            synced.put(new SyncedEntry(o.fileId(), o.path(), true, null, null, inode));
        } else if (op instanceof Op.LocalMove o) {
            if (!local.move(o.fromPath(), o.toPath())) {
                return false;
            }
            synced.move(o.fileId(), o.toPath());
        } else if (op instanceof Op.LocalDelete o) {
            if (!local.delete(o.path(), o.contentHash())) {
                return false;
            }
            synced.removeTree(o.fileId());
        } else if (op instanceof Op.LocalConflictRename o) {
            return local.move(o.path(), o.toPath());
        } else if (op instanceof Op.Adopt o) {
            synced.put(new SyncedEntry(o.fileId(), o.path(), o.dir(), o.versionId(), o.contentHash(), o.inode()));
        } else if (op instanceof Op.Forget o) {
            synced.forget(o.fileId());
        }
        return true;
    }

    /**
     * A move the server will not make because it crosses into or out of a folder shared with this user (the rows belong
     * to different owners), or because the user may not move what moved (the shared item itself, or something shared
     * read-only): the entry the user moved is uploaded afresh from where it is now on the next pass, as a copy. Where
     * only the boundary stood in the way, the original is deleted (to its owner's trash, so its versions stay);
     * otherwise it stays on the server and comes back to where it was. A refused rename that only changed the name's
     * case is undone locally instead: its copy would be at the original's path.
     */
    private void copyInstead(Op.RemoteMove o, RemoteSide.Refused e) throws IOException {
        if (e.status() == 409 && "cross_namespace_move".equals(e.code())) {
            remote.delete(o.fileId());
        } else if (e.status() != 403) {
            throw e;
        }
        SyncedEntry was = synced.get(o.fileId());
        if (was != null && Paths.sameKey(was.path(), o.toPath())) {
            // Only the spelling changed (the shared folder itself, renamed by a member): a copy would land on the same
            // path, so the name the server keeps goes back on the local entry instead.
            local.move(o.toPath(), was.path());
            return;
        }
        synced.removeTree(o.fileId());
    }

    /**
     * An edit the user may not make (a file shared with them read-only), as Nextcloud's client does with one: the
     * edited file moves to a conflicted copy's name beside it, which stays on this device (its upload is refused too,
     * and reported on every pass, until the user moves it somewhere they may write), and the record of the file is
     * dropped, so the next pass brings the server's version back to its path and later edits of its owner keep coming.
     * False if the file changed or went meanwhile: the next pass plans again.
     */
    private boolean setAside(Op.UploadChange o) throws IOException {
        for (int attempt = 1; attempt < 100; attempt++) {
            String aside = asideName.apply(o.path(), attempt);
            if (local.inode(aside) == 0) {
                if (!local.move(o.path(), aside)) {
                    return false;
                }
                synced.forget(o.fileId());
                return true;
            }
        }
        return false;
    }

    /**
     * The server kept the upload as a conflicted copy: the local file takes the copy's name, so the content is not
     * downloaded again and the path is free for what the server has there.
     */
    private void keptAsCopy(String path, RemoteSide.Committed c) throws IOException {
        if (c.path() != null && !c.path().equals(path) && local.move(path, c.path())) {
            synced.put(new SyncedEntry(c.fileId(), c.path(), false, c.versionId(), c.contentHash(), c.inode()));
        }
    }

    /** A refusal that says the synced record is wrong is corrected here, so the next pass plans from the truth. */
    private void onRefused(Op op, RemoteSide.Refused e) {
        if (e.status() != 404) {
            return;
        }
        if (op instanceof Op.UploadChange o) {
            synced.forget(o.fileId());
        } else if (op instanceof Op.RemoteMove o) {
            synced.forget(o.fileId());
        } else if (op instanceof Op.RemoteDelete o) {
            synced.removeTree(o.fileId());
        }
    }
}

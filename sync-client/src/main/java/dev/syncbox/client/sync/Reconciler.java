package dev.syncbox.client.sync;

import dev.syncbox.client.plan.Op;
import dev.syncbox.client.plan.Plan;
import dev.syncbox.client.plan.SyncedEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

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

    public Reconciler(LocalSide local, RemoteSide remote, SyncedTree synced) {
        this.local = local;
        this.remote = remote;
        this.synced = synced;
    }

    public Outcome execute(Plan plan) {
        int done = 0;
        List<Failure> failures = new ArrayList<>();
        for (Op op : plan.ops()) {
            try {
                if (apply(op)) {
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

    private boolean apply(Op op) throws IOException {
        if (op instanceof Op.UploadNew o) {
            RemoteSide.Committed c = remote.upload(o.path(), null);
            if (!c.conflict()) {
                synced.put(new SyncedEntry(c.fileId(), o.path(), false, c.versionId(), c.contentHash(), c.inode()));
            } else {
                keptAsCopy(o.path(), c);
            }
        } else if (op instanceof Op.UploadChange o) {
            RemoteSide.Committed c = remote.upload(o.path(), o.parentVersionId());
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
        } else if (op instanceof Op.RemoteMkdir o) {
            String fileId = remote.mkdir(o.path());
            synced.put(new SyncedEntry(fileId, o.path(), true, null, null, local.inode(o.path())));
        } else if (op instanceof Op.RemoteMove o) {
            remote.move(o.fileId(), o.toPath());
            synced.move(o.fileId(), o.toPath());
        } else if (op instanceof Op.RemoteDelete o) {
            remote.delete(o.fileId());
            synced.removeTree(o.fileId());
        } else if (op instanceof Op.Download o) {
            long inode = local.download(o.fileId(), o.path(), o.versionId(), o.contentHash());
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

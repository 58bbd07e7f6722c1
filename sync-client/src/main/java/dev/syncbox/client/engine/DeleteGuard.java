package dev.syncbox.client.engine;

import dev.syncbox.client.plan.Op;
import dev.syncbox.client.plan.Paths;
import dev.syncbox.client.plan.Plan;
import dev.syncbox.client.plan.SyncedEntry;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Stops a plan that would delete much of what was synced, on either side, until the user says so: a folder that
 * vanished (an unmounted disk, a wrong path, a restore gone wrong) must never be read as "delete everything".
 */
public final class DeleteGuard {

    /** A plan refused for the number of entries it would delete. */
    public static final class MassDelete extends Exception {
        private final int count;
        private final int synced;

        MassDelete(int count, int synced) {
            super("the plan would delete " + count + " of " + synced
                    + " synced entries; nothing was done. Check the folder, then run again with"
                    + " --allow-mass-delete if that is what you want");
            this.count = count;
            this.synced = synced;
        }

        public int count() {
            return count;
        }

        public int synced() {
            return synced;
        }
    }

    /** Above this many entries a plan is refused whatever the share. */
    static final int ABSOLUTE_LIMIT = 500;

    /** Above this share of the synced entries (and at least {@link #SHARE_FLOOR} of them) a plan is refused. */
    static final double SHARE_LIMIT = 0.5;

    static final int SHARE_FLOOR = 20;

    private DeleteGuard() {}

    /** The entries a plan deletes on either side, a folder counted with everything synced under it. */
    public static int deletions(Plan plan, Collection<SyncedEntry> synced) {
        Set<String> deleted = new HashSet<>();
        for (Op op : plan.ops()) {
            String path = null;
            if (op instanceof Op.LocalDelete d) {
                path = d.path();
            } else if (op instanceof Op.RemoteDelete d) {
                path = d.path();
            }
            if (path != null) {
                for (SyncedEntry s : synced) {
                    if (Paths.isAtOrUnder(s.path(), path)) {
                        deleted.add(s.fileId());
                    }
                }
            }
        }
        return deleted.size();
    }

    public static void check(Plan plan, Collection<SyncedEntry> synced, boolean allowed) throws MassDelete {
        if (allowed) {
            return;
        }
        int count = deletions(plan, synced);
        if (count > ABSOLUTE_LIMIT || (count >= SHARE_FLOOR && count > SHARE_LIMIT * synced.size())) {
            throw new MassDelete(count, synced.size());
        }
    }
}

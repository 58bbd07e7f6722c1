package dev.syncbox.client.sync;

import dev.syncbox.client.plan.Paths;
import dev.syncbox.client.plan.RemoteEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's tree as the change feed has told it, in memory; every change is handed to a {@link Store} so it
 * outlives the process together with the feed cursor.
 */
public final class RemoteTree {

    /** Where changes go as they happen (the state database, or nowhere in tests). */
    public interface Store {
        void put(RemoteEntry entry);

        void remove(String fileId);

        void clear();

        Store NONE = new Store() {
            @Override
            public void put(RemoteEntry entry) {}

            @Override
            public void remove(String fileId) {}

            @Override
            public void clear() {}
        };
    }

    private final Map<String, RemoteEntry> byId = new HashMap<>();
    private final Store store;

    public RemoteTree(Collection<RemoteEntry> entries, Store store) {
        entries.forEach(e -> byId.put(e.fileId(), e));
        this.store = store;
    }

    public Collection<RemoteEntry> entries() {
        return List.copyOf(byId.values());
    }

    public RemoteEntry get(String fileId) {
        return byId.get(fileId);
    }

    public int size() {
        return byId.size();
    }

    /** The entry is created or changed; an entry that moved takes everything recorded under its old path along. */
    public void put(RemoteEntry entry) {
        put(entry, null);
    }

    /**
     * As {@link #put(RemoteEntry)}, for a move from {@code fromPath} (null: not known): a folder takes along what is
     * under the path it is recorded at, or under {@code fromPath} when it is recorded there already. That happens when
     * changes are read a second time (a drain cut short before its cursor was kept): what was made in the folder
     * before it moved comes again at the old path, and the move again must take it along.
     */
    public void put(RemoteEntry entry, String fromPath) {
        RemoteEntry before = byId.get(entry.fileId());
        if (entry.dir()) {
            if (before != null) {
                takeAlong(entry, before.path());
            }
            if (fromPath != null) {
                takeAlong(entry, fromPath);
            }
        }
        byId.put(entry.fileId(), entry);
        store.put(entry);
    }

    /** Moves what is recorded under {@code from} to under the folder's path. */
    private void takeAlong(RemoteEntry folder, String from) {
        if (from.equals(folder.path())) {
            return;
        }
        for (RemoteEntry e : new ArrayList<>(byId.values())) {
            if (!e.fileId().equals(folder.fileId()) && Paths.isStrictlyUnder(e.path(), from)) {
                RemoteEntry moved = new RemoteEntry(
                        e.fileId(),
                        Paths.rebase(e.path(), from, folder.path()),
                        e.dir(),
                        e.versionId(),
                        e.contentHash(),
                        e.size());
                byId.put(moved.fileId(), moved);
                store.put(moved);
            }
        }
    }

    /** The entry at {@code path} (any case) and everything under it are gone. */
    public void removeTree(String path) {
        for (RemoteEntry e : new ArrayList<>(byId.values())) {
            if (Paths.isAtOrUnder(e.path(), path)) {
                byId.remove(e.fileId());
                store.remove(e.fileId());
            }
        }
    }

    /** The feed was reset: everything is listed again. */
    public void clear() {
        byId.clear();
        store.clear();
    }
}

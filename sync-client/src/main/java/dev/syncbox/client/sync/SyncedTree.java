package dev.syncbox.client.sync;

import dev.syncbox.client.plan.Paths;
import dev.syncbox.client.plan.SyncedEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The synced tree in memory; every change is handed to a {@link Store} so it outlives the process. */
public final class SyncedTree {

    /** Where changes go as they happen (the state database, or nowhere in tests). */
    public interface Store {
        void put(SyncedEntry entry);

        void remove(String fileId);

        Store NONE = new Store() {
            @Override
            public void put(SyncedEntry entry) {}

            @Override
            public void remove(String fileId) {}
        };
    }

    private final Map<String, SyncedEntry> byId = new HashMap<>();
    private final Store store;

    public SyncedTree(Collection<SyncedEntry> entries, Store store) {
        entries.forEach(e -> byId.put(e.fileId(), e));
        this.store = store;
    }

    public Collection<SyncedEntry> entries() {
        return List.copyOf(byId.values());
    }

    public SyncedEntry get(String fileId) {
        return byId.get(fileId);
    }

    public int size() {
        return byId.size();
    }

    public void put(SyncedEntry entry) {
        byId.put(entry.fileId(), entry);
        store.put(entry);
    }

    public void forget(String fileId) {
        if (byId.remove(fileId) != null) {
            store.remove(fileId);
        }
    }

    /** The entry and everything recorded under its path move to {@code toPath}. */
    public void move(String fileId, String toPath) {
        SyncedEntry entry = byId.get(fileId);
        if (entry == null) {
            return;
        }
        String from = entry.path();
        if (entry.dir()) {
            for (SyncedEntry e : new ArrayList<>(byId.values())) {
                if (!e.fileId().equals(fileId) && Paths.isStrictlyUnder(e.path(), from)) {
                    put(e.withPath(Paths.rebase(e.path(), from, toPath)));
                }
            }
        }
        put(entry.withPath(toPath));
    }

    /** The entry and everything recorded under its path are gone. */
    public void removeTree(String fileId) {
        SyncedEntry entry = byId.get(fileId);
        if (entry == null) {
            return;
        }
        if (entry.dir()) {
            for (SyncedEntry e : new ArrayList<>(byId.values())) {
                if (Paths.isStrictlyUnder(e.path(), entry.path())) {
                    forget(e.fileId());
                }
            }
        }
        forget(fileId);
    }
}

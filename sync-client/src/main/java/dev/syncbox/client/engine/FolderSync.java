package dev.syncbox.client.engine;

import dev.syncbox.client.api.FeedReader;
import dev.syncbox.client.api.HttpRemote;
import dev.syncbox.client.api.Progress;
import dev.syncbox.client.api.ServerClient;
import dev.syncbox.client.config.Credentials;
import dev.syncbox.client.local.FolderSide;
import dev.syncbox.client.local.Hashes;
import dev.syncbox.client.local.LocalFolder;
import dev.syncbox.client.local.Scanner;
import dev.syncbox.client.plan.Paths;
import dev.syncbox.client.plan.Plan;
import dev.syncbox.client.plan.SyncedEntry;
import dev.syncbox.client.state.StateDb;
import dev.syncbox.client.sync.Reconciler;
import dev.syncbox.client.sync.RemoteTree;
import dev.syncbox.client.sync.SyncedTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/** One folder's sync, assembled: the state database, the folder, the server, and the engine over them. */
public final class FolderSync implements AutoCloseable {

    private final LocalFolder folder;
    private final StateDb state;
    private final ServerClient server;
    private final SyncEngine engine;
    private final FolderSide local;
    private final HttpRemote remote;
    private final String deviceId;
    private final RemoteTree remoteTree;
    private final SyncedTree synced;
    private final Hashes hashes;
    private final String deviceName;
    private final Clock clock;
    private final AtomicReference<List<String>> excluded = new AtomicReference<>(List.of());

    public FolderSync(LocalFolder folder, Credentials account, String deviceName, Clock clock) throws IOException {
        this.folder = folder;
        this.state = StateDb.open(folder.stateDir().resolve("state.db"));
        this.server = new ServerClient(account.server(), account.accessToken());
        this.hashes = new Hashes(state.hashes(), state.hashStore());
        this.deviceName = deviceName;
        this.clock = clock;
        this.remote = new HttpRemote(server, folder, account.deviceId(), state);
        this.local = new FolderSide(folder, remote, hashes, clock, state);
        this.deviceId = account.deviceId();
        this.remoteTree = new RemoteTree(state.remoteEntries(), state.remote());
        this.synced = new SyncedTree(state.syncedEntries(), state.synced());
        this.engine = new SyncEngine(
                new FeedReader(server),
                new Scanner(folder, hashes, excluded::get),
                state,
                remoteTree,
                synced,
                new Reconciler(
                        local,
                        remote,
                        synced,
                        (path, attempt) -> Paths.conflictedCopy(path, deviceName, today(), attempt)),
                deviceName,
                clock);
    }

    public SyncEngine engine() {
        return engine;
    }

    /** Syncs until both sides agree, after applying the device's selective sync. */
    public SyncEngine.Result syncOnce(boolean allowMassDelete) throws IOException, DeleteGuard.MassDelete {
        selectiveSync();
        return engine.syncOnce(allowMassDelete);
    }

    /** What a pass would do now, after applying the device's selective sync. */
    public Plan pending() throws IOException {
        selectiveSync();
        return engine.pending();
    }

    /**
     * Reads the folders this device leaves out (its selective sync, kept on the server) and keeps them out of every
     * pass. A folder newly left out goes from the folder to the quarantine, and the trees forget it, so including it
     * again brings it back from the server as new. A folder that holds something not synced yet (a new file, an
     * edit) is left in for one pass, which sends it; what that pass could not send (the server has something else at
     * that path) moves to a conflicted copy's name and is synced as new. Something the user makes later at a path
     * left out moves aside the same way.
     */
    void selectiveSync() throws IOException {
        List<String> now = new ArrayList<>();
        for (JsonNode path :
                server.get("/devices/" + deviceId + "/selective-sync").path("excluded")) {
            now.add(path.asString());
        }
        List<String> before = parse(state.meta("excluded"));
        List<String> waited = parse(state.meta("excluded_waiting"));
        List<String> waiting = new ArrayList<>();
        for (String path : List.copyOf(now)) {
            if (before.stream().anyMatch(b -> Paths.isAtOrUnder(path, b))) {
                continue;
            }
            if (holdsUnsynced(path)) {
                if (!waited.contains(path)) {
                    // Once: this pass sends it.
                    waiting.add(path);
                    now.remove(path);
                    continue;
                }
                // It could not be sent (the server has something else at that path): it goes aside, as new.
                madeAside(path);
            }
            state.inTransaction(() -> {
                remoteTree.removeTree(path);
                for (SyncedEntry e : synced.entries()) {
                    if (Paths.isAtOrUnder(e.path(), path)) {
                        synced.forget(e.fileId());
                    }
                }
            });
            local.putAway(path);
        }
        for (String path : now) {
            if (before.stream().anyMatch(b -> Paths.isAtOrUnder(path, b))) {
                madeAside(path);
            }
        }
        state.meta("excluded", ServerClient.JSON.writeValueAsString(now));
        state.meta("excluded_waiting", ServerClient.JSON.writeValueAsString(waiting));
        excluded.set(List.copyOf(now));
    }

    /**
     * Something the user made here at a path this device leaves out (the folder itself went to the quarantine when it
     * was left out) would never be synced: it moves to a conflicted copy's name, which is synced as new.
     */
    private void madeAside(String path) throws IOException {
        Path there = folder.resolve(path);
        if (!Files.exists(there, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        String date = today();
        for (int attempt = 1; ; attempt++) {
            String aside = Paths.conflictedCopy(path, deviceName, date, attempt);
            Path target = folder.resolve(aside);
            if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(there, target);
                return;
            }
        }
    }

    /** Today's date where the user is, as a conflicted copy's name carries it. */
    private String today() {
        return LocalDate.now(clock.withZone(ZoneId.systemDefault())).toString();
    }

    /** True if anything at or under {@code path} here is not what was last synced (new, or changed since). */
    private boolean holdsUnsynced(String path) throws IOException {
        Path top = folder.resolve(path);
        if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Map<String, SyncedEntry> byKey = new HashMap<>();
        for (SyncedEntry e : synced.entries()) {
            if (Paths.isAtOrUnder(e.path(), path)) {
                byKey.put(Paths.key(e.path()), e);
            }
        }
        try (Stream<Path> all = Files.walk(top)) {
            for (Path p : all.toList()) {
                String relative = "/" + folder.root().relativize(p).toString().replace('\\', '/');
                SyncedEntry was = byKey.get(Paths.key(relative));
                if (was == null) {
                    return true;
                }
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                        && !Objects.equals(was.contentHash(), hashes.hash(relative, p))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> parse(String json) {
        if (json == null) {
            return List.of();
        }
        List<String> paths = new ArrayList<>();
        ServerClient.JSON.readTree(json).forEach(n -> paths.add(n.asString()));
        return paths;
    }

    /** Where transfers of single files report how far they have come (a terminal's progress bars). */
    public void progress(Progress progress) {
        remote.progress(progress);
    }

    public StateDb state() {
        return state;
    }

    public ServerClient server() {
        return server;
    }

    public LocalFolder folder() {
        return folder;
    }

    /** Housekeeping at start: downloads a stopped client left half-written, and quarantined files past their time. */
    public void tidy() throws IOException {
        Path tmp = folder.stateDir().resolve("tmp");
        if (Files.isDirectory(tmp)) {
            try (Stream<Path> left = Files.list(tmp)) {
                for (Path p : left.toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        local.expireQuarantine();
    }

    @Override
    public void close() {
        state.close();
    }
}

package dev.syncbox.client.engine;

import dev.syncbox.client.api.FeedReader;
import dev.syncbox.client.api.HttpRemote;
import dev.syncbox.client.api.ServerClient;
import dev.syncbox.client.config.Credentials;
import dev.syncbox.client.local.FolderSide;
import dev.syncbox.client.local.Hashes;
import dev.syncbox.client.local.LocalFolder;
import dev.syncbox.client.local.Scanner;
import dev.syncbox.client.state.StateDb;
import dev.syncbox.client.sync.Reconciler;
import dev.syncbox.client.sync.RemoteTree;
import dev.syncbox.client.sync.SyncedTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;

/** One folder's sync, assembled: the state database, the folder, the server, and the engine over them. */
public final class FolderSync implements AutoCloseable {

    private final LocalFolder folder;
    private final StateDb state;
    private final ServerClient server;
    private final SyncEngine engine;
    private final FolderSide local;

    public FolderSync(LocalFolder folder, Credentials account, String deviceName, Clock clock) throws IOException {
        this.folder = folder;
        this.state = StateDb.open(folder.stateDir().resolve("state.db"));
        this.server = new ServerClient(account.server(), account.accessToken());
        Hashes hashes = new Hashes(state.hashes(), state.hashStore());
        HttpRemote remote = new HttpRemote(server, folder, account.deviceId());
        this.local = new FolderSide(folder, remote, hashes, clock);
        RemoteTree remoteTree = new RemoteTree(state.remoteEntries(), state.remote());
        SyncedTree synced = new SyncedTree(state.syncedEntries(), state.synced());
        this.engine = new SyncEngine(
                new FeedReader(server),
                new Scanner(folder, hashes),
                state,
                remoteTree,
                synced,
                new Reconciler(local, remote, synced),
                deviceName,
                clock);
    }

    public SyncEngine engine() {
        return engine;
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

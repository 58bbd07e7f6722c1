package dev.syncbox.client.sim;

import dev.syncbox.client.api.FeedReader;
import dev.syncbox.client.api.ServerClient;
import dev.syncbox.client.engine.DeleteGuard;
import dev.syncbox.client.engine.SyncEngine;
import dev.syncbox.client.plan.Paths;
import dev.syncbox.client.plan.RemoteEntry;
import dev.syncbox.client.plan.SyncedEntry;
import dev.syncbox.client.sync.LocalSide;
import dev.syncbox.client.sync.Reconciler;
import dev.syncbox.client.sync.RemoteSide;
import dev.syncbox.client.sync.RemoteTree;
import dev.syncbox.client.sync.SyncedTree;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import tools.jackson.databind.node.ObjectNode;

/**
 * One device of a {@link Simulation}: a model folder, a model state database that commits every few writes and at the
 * end of a transaction as the real one does, and the real engine over them, its calls to the server and the folder
 * passing through a fault injector when the sync is a faulty one.
 */
final class Device {

    /** The process dies: what the state database had not committed is gone, the folder stays as it is. */
    static final class Crash extends Error {
        Crash(String where) {
            super("crashed at " + where, null, false, false);
        }
    }

    private static final Clock CLOCK = Clock.fixed(Instant.parse(Simulation.DATE + "T12:00:00Z"), ZoneOffset.UTC);

    final Simulation.World world;
    final int index;
    final String name;
    final ModelFolder folder;
    final Disk disk;
    boolean online = true;
    RemoteTree remote;
    SyncedTree synced;
    private SyncEngine engine;

    /** What goes wrong in the sync under way (null: nothing). */
    private Random faults;

    private boolean crashed;

    Device(Simulation.World world, int index, int group) {
        this.world = world;
        this.index = index;
        this.name = "dev" + index;
        this.folder = new ModelFolder(world.server.versions::get);
        this.disk = new Disk(group);
        start();
    }

    /** Starts the client from what its state database holds. */
    private void start() {
        remote = new RemoteTree(disk.committed.remote.values(), disk.remoteStore());
        synced = new SyncedTree(disk.committed.synced.values(), disk.syncedStore());
        Reconciler reconciler = new Reconciler(
                new Local(),
                new Remote(world.server.client(folder, name)),
                synced,
                (path, attempt) -> Paths.conflictedCopy(path, name, Simulation.DATE, attempt));
        engine = new SyncEngine(
                this::drain,
                () -> {
                    before("scan");
                    return new SyncEngine.Scanned(folder.scan(), List.of());
                },
                disk,
                remote,
                synced,
                reconciler,
                name,
                CLOCK);
    }

    /** One sync; with {@code faults}, calls fail and the process may crash, after which it starts again. */
    void sync(Random faults) {
        this.faults = faults;
        this.crashed = false;
        try {
            engine.syncOnce(true);
        } catch (IOException e) {
            // Failed this time; the next sync starts from what happened.
        } catch (DeleteGuard.MassDelete e) {
            throw Simulation.refused(e);
        } catch (Crash e) {
            disk.crash();
            start();
        } finally {
            this.faults = null;
        }
    }

    /** A sync with nothing going wrong; true if it found nothing to do. */
    boolean syncClean() throws IOException {
        faults = null;
        try {
            SyncEngine.Result result = engine.syncOnce(true);
            if (!result.settled()) {
                // Writes into a share the device may only read are refused on every pass, and stay: that is quiet.
                return result.done() == 0
                        && !result.failures().isEmpty()
                        && result.failures().stream().allMatch(f -> f.reason().startsWith("permission_denied"));
            }
            return result.done() == 0;
        } catch (DeleteGuard.MassDelete e) {
            throw Simulation.refused(e);
        }
    }

    /** As the feed reader does, against the model server: a page at a time, each kept with its cursor. */
    private void drain(String cursor, RemoteTree tree, SyncEngine.Pages pages) throws IOException {
        String at = cursor;
        if (at == null) {
            pages.take(tree::clear, null);
        }
        while (true) {
            before("feed");
            ModelServer.Page page;
            try {
                page = world.server.changes(at);
            } catch (RemoteSide.Refused e) {
                pages.take(tree::clear, null);
                at = null;
                continue;
            }
            at = page.cursor();
            pages.take(() -> page.changes().forEach(c -> FeedReader.apply(json(c), tree)), at);
            after("feed");
            if (!page.more()) {
                return;
            }
        }
    }

    private static ObjectNode json(ModelServer.Change c) {
        ObjectNode json = ServerClient.JSON.createObjectNode();
        json.put("operation", c.operation());
        json.put("file_id", c.fileId());
        json.put("path", c.path());
        json.put("is_dir", c.dir());
        json.put("version_id", c.versionId());
        json.put("content_hash", c.content());
        json.put("size", c.content() == null ? 0 : c.content().length());
        if (c.fromPath() != null) {
            json.put("from_path", c.fromPath());
        }
        return json;
    }

    /** Before a call: other things may happen meanwhile, and the call may fail or the process crash. */
    private void before(String what) throws IOException {
        world.trace(name + " " + what);
        if (faults == null) {
            return;
        }
        world.meanwhile(this, faults);
        int x = faults.nextInt(100);
        if (x < 3) {
            world.trace(name + " fails before " + what);
            throw new RemoteSide.Refused(503, "unavailable", what);
        }
        if (x < 4 && !crashed) {
            crashed = true;
            world.trace(name + " crashes before " + what);
            throw new Crash("before " + what);
        }
    }

    /** After a call did its work: its answer may be lost, or the process crash before it records it. */
    private void after(String what) throws IOException {
        if (faults == null) {
            return;
        }
        int x = faults.nextInt(100);
        if (x < 3) {
            world.trace(name + " loses the answer to " + what);
            throw new IOException("connection reset after " + what);
        }
        if (x < 4 && !crashed) {
            crashed = true;
            world.trace(name + " crashes after " + what);
            throw new Crash("after " + what);
        }
    }

    /** A call to the server or the folder. */
    private interface Call<T> {
        T run() throws IOException;
    }

    /** The call under the name {@code what}, with what may happen {@link #before} and {@link #after} it. */
    private <T> T through(String what, Call<T> call) throws IOException {
        before(what);
        T result = call.run();
        after(what);
        return result;
    }

    /** The server as this device's engine reaches it, through the faults. */
    private final class Remote implements RemoteSide {
        private final RemoteSide server;

        Remote(RemoteSide server) {
            this.server = server;
        }

        @Override
        public Committed upload(String path, String fileId, String parentVersionId) throws IOException {
            return through("upload " + path, () -> server.upload(path, fileId, parentVersionId));
        }

        /** As the server's batch: each upload on its own, and with faults, committed in another order. */
        @Override
        public List<Uploaded> uploadAll(List<Upload> uploads) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < uploads.size(); i++) {
                order.add(i);
            }
            if (faults != null) {
                Collections.shuffle(order, faults);
            }
            Uploaded[] answers = new Uploaded[uploads.size()];
            for (int i : order) {
                try {
                    answers[i] = new Uploaded(upload(uploads.get(i)), null);
                } catch (IOException e) {
                    answers[i] = new Uploaded(null, e);
                }
            }
            return List.of(answers);
        }

        @Override
        public String mkdir(String path) throws IOException {
            return through("mkdir " + path, () -> server.mkdir(path));
        }

        @Override
        public void move(String fileId, String toPath) throws IOException {
            through("move " + fileId + " to " + toPath, () -> {
                server.move(fileId, toPath);
                return null;
            });
        }

        @Override
        public void delete(String fileId) throws IOException {
            through("delete " + fileId, () -> {
                server.delete(fileId);
                return null;
            });
        }

        @Override
        public boolean leave(String fileId) throws IOException {
            return through("leave " + fileId, () -> server.leave(fileId));
        }
    }

    /** The folder as this device's engine changes it, through the faults. */
    private final class Local implements LocalSide {

        @Override
        public long download(
                String fileId, String path, String versionId, String contentHash, long size, String replacing)
                throws IOException {
            return through(
                    "download " + path, () -> folder.download(fileId, path, versionId, contentHash, size, replacing));
        }

        @Override
        public long mkdir(String path) throws IOException {
            return through("local mkdir " + path, () -> folder.mkdir(path));
        }

        @Override
        public boolean move(String fromPath, String toPath) throws IOException {
            return through("local move " + fromPath + " to " + toPath, () -> {
                boolean moved = folder.move(fromPath, toPath);
                if (!moved) {
                    world.trace(name + " local move refused");
                }
                return moved;
            });
        }

        @Override
        public boolean delete(String path, String contentHash) throws IOException {
            return through("local delete " + path, () -> folder.delete(path, contentHash));
        }

        @Override
        public long inode(String path) {
            return folder.inode(path);
        }
    }

    /**
     * The state database: writes inside a transaction are committed every {@code group} writes and when it ends (as
     * the real one groups them), outside one at once; a crash loses what was not committed.
     */
    static final class Disk implements SyncEngine.Durable {

        static final class State {
            final Map<String, SyncedEntry> synced = new HashMap<>();
            final Map<String, RemoteEntry> remote = new HashMap<>();
            String cursor;
        }

        final State committed = new State();
        private final List<Consumer<State>> pending = new ArrayList<>();
        private final int group;
        private int depth;
        private int atomic;
        private String cursor;

        Disk(int group) {
            this.group = group;
        }

        private void write(Consumer<State> w) {
            if (depth == 0) {
                w.accept(committed);
                return;
            }
            pending.add(w);
            if (atomic == 0 && pending.size() >= group) {
                flush();
            }
        }

        private void flush() {
            pending.forEach(w -> w.accept(committed));
            pending.clear();
        }

        void crash() {
            pending.clear();
            depth = 0;
            atomic = 0;
            cursor = committed.cursor;
        }

        SyncedTree.Store syncedStore() {
            return new SyncedTree.Store() {
                @Override
                public void put(SyncedEntry entry) {
                    write(s -> s.synced.put(entry.fileId(), entry));
                }

                @Override
                public void remove(String fileId) {
                    write(s -> s.synced.remove(fileId));
                }
            };
        }

        RemoteTree.Store remoteStore() {
            return new RemoteTree.Store() {
                @Override
                public void put(RemoteEntry entry) {
                    write(s -> s.remote.put(entry.fileId(), entry));
                }

                @Override
                public void remove(String fileId) {
                    write(s -> s.remote.remove(fileId));
                }

                @Override
                public void clear() {
                    write(s -> s.remote.clear());
                }
            };
        }

        @Override
        public String cursor() {
            return cursor;
        }

        @Override
        public void cursor(String cursor) {
            this.cursor = cursor;
            write(s -> s.cursor = cursor);
        }

        @Override
        public void atomically(Runnable work) {
            atomic++;
            try {
                inTransaction(work);
            } finally {
                atomic--;
            }
        }

        @Override
        public void inTransaction(Runnable work) {
            depth++;
            boolean done = false;
            try {
                work.run();
                done = true;
            } finally {
                if (--depth == 0) {
                    if (done) {
                        flush();
                    } else {
                        // Rolled back, as the real database does when the work throws.
                        pending.clear();
                    }
                }
            }
        }
    }
}

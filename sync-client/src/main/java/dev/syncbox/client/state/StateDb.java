package dev.syncbox.client.state;

import dev.syncbox.client.engine.SyncEngine;
import dev.syncbox.client.local.Hashes;
import dev.syncbox.client.plan.RemoteEntry;
import dev.syncbox.client.plan.SyncedEntry;
import dev.syncbox.client.sync.LocalBlocks;
import dev.syncbox.client.sync.RemoteTree;
import dev.syncbox.client.sync.SyncedTree;
import dev.syncbox.core.chunk.ChunkRef;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * The folder's state in SQLite ({@code .syncbox/state.db}): the remote tree as the feed told it, the synced tree (the
 * last state both sides agreed on, by file id), the remembered content hashes, and the feed cursor. A feed page and the
 * tree changes it brought are one transaction; the reconciler's steps are committed as they are done, in groups, so a
 * process stopped at any moment resumes from what really happened.
 */
public final class StateDb implements AutoCloseable, SyncEngine.Durable, LocalBlocks {

    private static final int SCHEMA = 1;
    /** Writes grouped into one commit inside {@link #inTransaction}. */
    private static final int GROUP = 200;

    /** Lookups from other threads than the one that writes ({@link LocalBlocks}): a connection of their own. */
    private static final int LEADS = 4;

    private final Connection db;
    private final Connection reader;
    private int depth;
    private int uncommitted;

    /** Inside {@link #atomically}: no commit until the outermost transaction ends. */
    private int atomic;

    private StateDb(Connection db, Connection reader) {
        this.db = db;
        this.reader = reader;
    }

    public static StateDb open(Path file) throws IOException {
        try {
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)");
                s.execute("CREATE TABLE IF NOT EXISTS remote (file_id TEXT PRIMARY KEY, path TEXT NOT NULL,"
                        + " dir INTEGER NOT NULL, version_id TEXT, content_hash TEXT, size INTEGER NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS synced (file_id TEXT PRIMARY KEY, path TEXT NOT NULL,"
                        + " dir INTEGER NOT NULL, version_id TEXT, content_hash TEXT, inode INTEGER NOT NULL,"
                        + " synced_at INTEGER NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS hashes (path TEXT PRIMARY KEY, size INTEGER NOT NULL,"
                        + " mtime_ns INTEGER NOT NULL, inode INTEGER NOT NULL, content_hash TEXT NOT NULL)");
                // Added to schema 1 without changing it: a state without them has simply nothing to reuse yet.
                s.execute("CREATE INDEX IF NOT EXISTS hashes_by_content ON hashes (content_hash)");
                s.execute("CREATE TABLE IF NOT EXISTS blocks (content_hash TEXT NOT NULL, start INTEGER NOT NULL,"
                        + " size INTEGER NOT NULL, block_id TEXT NOT NULL, PRIMARY KEY (content_hash, start))"
                        + " WITHOUT ROWID");
                s.execute("CREATE INDEX IF NOT EXISTS blocks_by_id ON blocks (block_id)");
                // Block lists of content no file here holds any more.
                s.execute("DELETE FROM blocks WHERE content_hash NOT IN (SELECT content_hash FROM hashes)");
            }
            Connection reader = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = reader.createStatement()) {
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("PRAGMA query_only=1");
            }
            StateDb state = new StateDb(db, reader);
            String schema = state.meta("schema");
            if (schema == null) {
                state.meta("schema", Integer.toString(SCHEMA));
            } else if (Integer.parseInt(schema) != SCHEMA) {
                state.close();
                throw new IOException(
                        "the state database " + file + " is of schema " + schema + ", this client reads " + SCHEMA);
            }
            return state;
        } catch (SQLException e) {
            throw new IOException("cannot open the state database " + file + ": " + e.getMessage(), e);
        }
    }

    public synchronized String meta(String key) {
        try (PreparedStatement ps = db.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new StateException(e);
        }
    }

    public synchronized void meta(String key, String value) {
        write(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                key,
                value);
    }

    @Override
    public String cursor() {
        return meta("cursor");
    }

    @Override
    public void cursor(String cursor) {
        meta("cursor", cursor);
    }

    @Override
    public synchronized void inTransaction(Runnable work) {
        try {
            if (depth++ == 0) {
                db.setAutoCommit(false);
                uncommitted = 0;
            }
            boolean done = false;
            try {
                work.run();
                done = true;
            } finally {
                if (--depth == 0) {
                    if (done) {
                        db.commit();
                    } else {
                        db.rollback();
                    }
                    db.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw new StateException(e);
        }
    }

    @Override
    public synchronized void atomically(Runnable work) {
        atomic++;
        try {
            inTransaction(work);
        } finally {
            atomic--;
        }
    }

    public synchronized List<RemoteEntry> remoteEntries() {
        List<RemoteEntry> entries = new ArrayList<>();
        query(
                "SELECT file_id, path, dir, version_id, content_hash, size FROM remote",
                rs -> entries.add(new RemoteEntry(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getInt(3) != 0,
                        rs.getString(4),
                        rs.getString(5),
                        rs.getLong(6))));
        return entries;
    }

    public synchronized List<SyncedEntry> syncedEntries() {
        List<SyncedEntry> entries = new ArrayList<>();
        query(
                "SELECT file_id, path, dir, version_id, content_hash, inode FROM synced",
                rs -> entries.add(new SyncedEntry(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getInt(3) != 0,
                        rs.getString(4),
                        rs.getString(5),
                        rs.getLong(6))));
        return entries;
    }

    /** When the synced entry at {@code path} was last agreed on, in epoch milliseconds; 0 if there is none. */
    public synchronized long syncedAt(String path) {
        long[] at = {0};
        try (PreparedStatement ps = db.prepareStatement("SELECT synced_at FROM synced WHERE path = ?")) {
            ps.setString(1, path);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    at[0] = rs.getLong(1);
                }
            }
        } catch (SQLException e) {
            throw new StateException(e);
        }
        return at[0];
    }

    public synchronized List<Hashes.Known> hashes() {
        List<Hashes.Known> known = new ArrayList<>();
        query(
                "SELECT path, size, mtime_ns, inode, content_hash FROM hashes",
                rs -> known.add(new Hashes.Known(
                        rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5))));
        return known;
    }

    private void putRemote(RemoteEntry e) {
        write(
                "INSERT OR REPLACE INTO remote (file_id, path, dir, version_id, content_hash, size) VALUES (?, ?, ?, ?, ?, ?)",
                e.fileId(),
                e.path(),
                e.dir() ? 1 : 0,
                e.versionId(),
                e.contentHash(),
                e.size());
    }

    private void putSynced(SyncedEntry e) {
        write(
                "INSERT OR REPLACE INTO synced (file_id, path, dir, version_id, content_hash, inode, synced_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                e.fileId(),
                e.path(),
                e.dir() ? 1 : 0,
                e.versionId(),
                e.contentHash(),
                e.inode(),
                System.currentTimeMillis());
    }

    /** The remote tree's store. */
    public RemoteTree.Store remote() {
        return new RemoteTree.Store() {
            @Override
            public void put(RemoteEntry entry) {
                putRemote(entry);
            }

            @Override
            public void remove(String fileId) {
                write("DELETE FROM remote WHERE file_id = ?", fileId);
            }

            @Override
            public void clear() {
                write("DELETE FROM remote");
            }
        };
    }

    /** The synced tree's store. */
    public SyncedTree.Store synced() {
        return new SyncedTree.Store() {
            @Override
            public void put(SyncedEntry entry) {
                putSynced(entry);
            }

            @Override
            public void remove(String fileId) {
                write("DELETE FROM synced WHERE file_id = ?", fileId);
            }
        };
    }

    /** The remembered hashes' store. */
    public Hashes.Store hashStore() {
        return new Hashes.Store() {
            @Override
            public void put(Hashes.Known k) {
                write(
                        "INSERT OR REPLACE INTO hashes (path, size, mtime_ns, inode, content_hash) VALUES (?, ?, ?, ?, ?)",
                        k.path(),
                        k.size(),
                        k.mtimeNanos(),
                        k.inode(),
                        k.contentHash());
            }

            @Override
            public void remove(String path) {
                write("DELETE FROM hashes WHERE path = ?", path);
            }
        };
    }

    @Override
    public List<String> withContent(String contentHash) {
        List<String> paths = new ArrayList<>();
        lookup(
                "SELECT path FROM hashes WHERE content_hash = ? LIMIT " + LEADS,
                contentHash,
                rs -> paths.add(rs.getString(1)));
        return paths;
    }

    @Override
    public List<Held> block(String blockId) {
        List<Held> held = new ArrayList<>();
        lookup(
                "SELECT h.path, b.start, b.size FROM blocks b JOIN hashes h ON h.content_hash = b.content_hash"
                        + " WHERE b.block_id = ? LIMIT " + LEADS,
                blockId,
                rs -> held.add(new Held(rs.getString(1), rs.getLong(2), rs.getInt(3))));
        return held;
    }

    @Override
    public synchronized void record(String contentHash, List<ChunkRef> blocks) {
        if (blocks.size() < 2) {
            return;
        }
        for (ChunkRef b : blocks) {
            write(
                    "INSERT OR IGNORE INTO blocks (content_hash, start, size, block_id) VALUES (?, ?, ?, ?)",
                    contentHash,
                    b.offset(),
                    b.length(),
                    b.blockId());
        }
    }

    /** A lookup on the reading connection: it sees what is committed, and never waits for the writer's lock. */
    private void lookup(String sql, String key, Row row) {
        synchronized (reader) {
            try (PreparedStatement ps = reader.prepareStatement(sql)) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        row.read(rs);
                    }
                }
            } catch (SQLException e) {
                throw new StateException(e);
            }
        }
    }

    @Override
    public synchronized void close() {
        try {
            reader.close();
            db.close();
        } catch (SQLException e) {
            throw new StateException(e);
        }
    }

    private interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String sql, Row row) {
        try (PreparedStatement ps = db.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                row.read(rs);
            }
        } catch (SQLException e) {
            throw new StateException(e);
        }
    }

    private synchronized void write(String sql, Object... args) {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                if (args[i] == null) {
                    ps.setNull(i + 1, Types.VARCHAR);
                } else {
                    ps.setObject(i + 1, args[i]);
                }
            }
            ps.executeUpdate();
            // Inside a long transaction, what is done so far is committed in groups: a crash keeps it.
            if (depth > 0 && atomic == 0 && ++uncommitted >= GROUP) {
                db.commit();
                uncommitted = 0;
            }
        } catch (SQLException e) {
            throw new StateException(e);
        }
    }

    /** The state database failed: the sync stops and says so; nothing is planned from a half-read state. */
    public static final class StateException extends RuntimeException {
        StateException(SQLException cause) {
            super("the state database failed: " + cause.getMessage(), cause);
        }
    }
}

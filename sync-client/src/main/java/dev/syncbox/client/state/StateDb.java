package dev.syncbox.client.state;

import dev.syncbox.client.engine.SyncEngine;
import dev.syncbox.client.local.Hashes;
import dev.syncbox.client.plan.RemoteEntry;
import dev.syncbox.client.plan.SyncedEntry;
import dev.syncbox.client.sync.RemoteTree;
import dev.syncbox.client.sync.SyncedTree;
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
public final class StateDb implements AutoCloseable, SyncEngine.Durable {

    private static final int SCHEMA = 1;
    /** Writes grouped into one commit inside {@link #inTransaction}. */
    private static final int GROUP = 200;

    private final Connection db;
    private int depth;
    private int uncommitted;

    private StateDb(Connection db) {
        this.db = db;
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
            }
            StateDb state = new StateDb(db);
            String schema = state.meta("schema");
            if (schema == null) {
                state.meta("schema", Integer.toString(SCHEMA));
            } else if (Integer.parseInt(schema) != SCHEMA) {
                db.close();
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
    public synchronized void close() {
        try {
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
            if (depth > 0 && ++uncommitted >= GROUP) {
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

package dev.syncbox.sync.dropbox;

import dev.syncbox.server.dropbox.DropboxWire;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Rows of {@code files} as the listing routes read them: one page, or many entries by id in one query. */
@Component
class DropboxRows {

    static final String COLUMNS =
            "file_id, namespace_id, file_path, is_dir, current_version_id, size_bytes, content_hash, modified_at,"
                    + " is_deleted, client_modified_at";

    /** An entry as stored, at its owner's path. */
    record Row(
            String id,
            long namespace,
            String path,
            boolean dir,
            String version,
            long size,
            String hash,
            Instant modified,
            boolean deleted,
            Instant clientModified) {

        /** Its Dropbox metadata at the user's {@code view} path. */
        Map<String, Object> metadata(String view) {
            if (deleted) {
                return DropboxWire.deleted(view);
            }
            return dir
                    ? DropboxWire.folder(view, id)
                    : DropboxWire.file(view, id, version, size, hash, modified, clientModified);
        }
    }

    private final JdbcTemplate jdbc;

    DropboxRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(
                rs.getString(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getBoolean(4),
                rs.getString(5),
                rs.getLong(6),
                rs.getString(7),
                rs.getTimestamp(8).toInstant(),
                rs.getBoolean(9),
                rs.getTimestamp(10) == null ? null : rs.getTimestamp(10).toInstant());
    }

    /** The entries with these ids, live or not, by id. */
    Map<String, Row> byId(Collection<String> ids) {
        Map<String, Row> rows = new HashMap<>();
        if (ids.isEmpty()) {
            return rows;
        }
        jdbc.query(
                con -> {
                    var ps = con.prepareStatement("SELECT " + COLUMNS + " FROM files WHERE file_id = ANY(?)");
                    ps.setArray(1, con.createArrayOf("varchar", ids.toArray()));
                    return ps;
                },
                rs -> {
                    Row row = row(rs, 0);
                    rows.put(row.id(), row);
                });
        return rows;
    }

    /** The live entry at {@code key} of a namespace, or null. */
    Row live(long namespace, String key) {
        return jdbc
                .query(
                        "SELECT " + COLUMNS + " FROM files WHERE namespace_id = ? AND path_key = ? AND NOT is_deleted",
                        DropboxRows::row,
                        namespace,
                        key)
                .stream()
                .findFirst()
                .orElse(null);
    }

    /**
     * Up to {@code limit} entries under the folder {@code key} (all of its subtree, or its children), by path key after
     * {@code after}. With {@code deleted}, paths where only deleted entries are appear once, as deleted.
     */
    java.util.List<Row> under(long namespace, String key, boolean recursive, boolean deleted, String after, int limit) {
        String prefix = "/".equals(key) ? "" : key;
        String from = after != null ? after : prefix + "/";
        String select = deleted
                ? "SELECT DISTINCT ON (path_key) " + COLUMNS + " FROM files WHERE namespace_id = ?"
                : "SELECT " + COLUMNS + " FROM files WHERE namespace_id = ? AND NOT is_deleted";
        String order =
                deleted ? " ORDER BY path_key, is_deleted, modified_at DESC LIMIT ?" : " ORDER BY path_key LIMIT ?";
        if (!recursive) {
            return jdbc.query(
                    select + " AND parent_key = ? AND path_key > ?" + order,
                    DropboxRows::row,
                    namespace,
                    key,
                    from,
                    limit);
        }
        if (prefix.isEmpty()) {
            return jdbc.query(select + " AND path_key > ?" + order, DropboxRows::row, namespace, from, limit);
        }
        // '0' follows '/': the range holds exactly the paths under the folder.
        return jdbc.query(
                select + " AND path_key > ? AND path_key < ?" + order,
                DropboxRows::row,
                namespace,
                from,
                prefix + "0",
                limit);
    }
}

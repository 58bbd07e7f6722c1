package dev.syncbox.server.content;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Which blocks a user may name: those whose bytes they sent, and those in versions of files they can
 * read, their own or shared with them. Content addressing must not let anyone get a block by knowing its hash, so everything else is
 * answered as missing — uploading it once more costs a transfer but no storage.
 */
@Component
public class BlockAccess {

    private final JdbcTemplate jdbc;

    BlockAccess(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records that {@code userId} sent the bytes of these blocks. A grant belongs to its block's row and
     * is removed with it (a foreign key), so blocks without a row get none.
     */
    public void grant(long userId, Collection<String> blockIds) {
        jdbc.update(con -> {
            var ps = con.prepareStatement(
                    "INSERT INTO block_grants (user_id, block_id)"
                            + " SELECT ?, b.block_id FROM file_blocks b WHERE b.block_id = ANY(?::bpchar[]) ON CONFLICT DO NOTHING");
            ps.setLong(1, userId);
            ps.setArray(2, textArray(con, blockIds));
            return ps;
        });
    }

    /** The subset of {@code blockIds} that {@code userId} may name. Three queries at most, whatever their number. */
    public Set<String> permitted(long userId, Collection<String> blockIds) {
        List<String> ids = List.copyOf(new HashSet<>(blockIds));
        Set<String> permitted = new HashSet<>();
        if (ids.isEmpty()) {
            return permitted;
        }
        jdbc.query(
                con -> {
                    var ps = con.prepareStatement(
                            "SELECT block_id FROM block_grants WHERE user_id = ? AND block_id = ANY(?::bpchar[])");
                    ps.setLong(1, userId);
                    ps.setArray(2, textArray(con, ids));
                    return ps;
                },
                rs -> {
                    permitted.add(rs.getString(1).trim());
                });
        if (permitted.size() == ids.size()) {
            return permitted;
        }
        // The versions that hold each block, found through the block-list index one id at a time: a single
        // "block_ids && all the ids" is estimated so badly that PostgreSQL scans every version instead.
        List<String> others = ids.stream().filter(id -> !permitted.contains(id)).toList();
        Map<String, List<String>> holders = new HashMap<>();
        jdbc.query(
                con -> {
                    var ps = con.prepareStatement(
                            "SELECT b.id, v.file_id FROM unnest(?::text[]) AS b(id)"
                                    + " JOIN LATERAL (SELECT file_id FROM file_versions WHERE block_ids @> ARRAY[b.id]) v ON true");
                    ps.setArray(1, textArray(con, others));
                    return ps;
                },
                rs -> {
                    holders.computeIfAbsent(rs.getString(2), f -> new ArrayList<>())
                            .add(rs.getString(1));
                });
        if (holders.isEmpty()) {
            return permitted;
        }
        // Of those files, the ones the user can read: their own, or under a folder shared with them. By primary key.
        jdbc.query(
                con -> {
                    var ps = con.prepareStatement(
                            "SELECT f.file_id FROM files f WHERE f.file_id = ANY(?::text[])"
                                    + " AND (f.namespace_id = (SELECT root_namespace_id FROM users WHERE user_id = ?)"
                                    + " OR EXISTS (SELECT 1 FROM shared_items s"
                                    + " JOIN namespaces n ON n.namespace_id = s.namespace_id"
                                    + " JOIN files r ON r.file_id = n.root_file_id"
                                    + " WHERE s.shared_with_user_id = ? AND r.namespace_id = f.namespace_id AND NOT r.is_deleted"
                                    + " AND (r.file_id = f.file_id OR (r.is_dir AND starts_with(f.path_key, r.path_key || '/')))))");
                    ps.setArray(1, textArray(con, holders.keySet()));
                    ps.setLong(2, userId);
                    ps.setLong(3, userId);
                    return ps;
                },
                rs -> {
                    permitted.addAll(holders.get(rs.getString(1).trim()));
                });
        return permitted;
    }

    private static Array textArray(Connection con, Collection<String> values) throws SQLException {
        return con.createArrayOf("text", values.toArray(String[]::new));
    }
}

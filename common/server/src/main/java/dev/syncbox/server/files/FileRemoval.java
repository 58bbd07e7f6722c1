package dev.syncbox.server.files;

import dev.syncbox.server.content.BlockRegistry;
import dev.syncbox.server.share.ShareChanged;
import java.sql.Array;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Permanent deletion of trashed entries: their versions go, block refcounts drop (blocks at zero are
 * left to garbage collection), and the owner's used space drops by the size the entries counted.
 * The only way a committed version ever disappears, and only by the user's choice or the trash's
 * deadline.
 */
@Component
public class FileRemoval {

    private final JdbcTemplate jdbc;
    private final BlockRegistry blocks;
    private final ApplicationEventPublisher events;

    FileRemoval(JdbcTemplate jdbc, BlockRegistry blocks, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.blocks = blocks;
        this.events = events;
    }

    /** Removes the trash entry {@code trashRootId} with every row deleted along with it. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void purge(String trashRootId) {
        List<String> fileIds =
                jdbc.queryForList("SELECT file_id FROM files WHERE trash_root_id = ?", String.class, trashRootId);
        if (fileIds.isEmpty()) {
            jdbc.update("DELETE FROM trash WHERE file_id = ?", trashRootId);
            return;
        }
        String[] ids = fileIds.toArray(String[]::new);
        List<List<String>> blockLists = jdbc.query(
                con -> {
                    var ps = con.prepareStatement("SELECT block_ids FROM file_versions WHERE file_id = ANY(?)");
                    ps.setArray(1, con.createArrayOf("text", ids));
                    return ps;
                },
                (rs, n) -> List.of((String[]) rs.getArray(1).getArray()));
        jdbc.update(con -> {
            var ps = con.prepareStatement("UPDATE users u SET used_space_bytes ="
                    + " greatest(u.used_space_bytes - s.total, 0) FROM (SELECT owner_id, sum(size_bytes) total"
                    + " FROM files WHERE file_id = ANY(?) AND NOT is_dir GROUP BY owner_id) s"
                    + " WHERE u.user_id = s.owner_id");
            ps.setArray(1, con.createArrayOf("text", ids));
            return ps;
        });
        // Shares of purged items end: their sharees read their grants afresh.
        List<ShareChanged> ended = jdbc.query(
                con -> {
                    var ps = con.prepareStatement("SELECT DISTINCT u.user_id, u.root_namespace_id FROM shared_items s"
                            + " JOIN users u ON u.user_id = s.shared_with_user_id WHERE s.file_id = ANY(?)");
                    ps.setArray(1, con.createArrayOf("text", ids));
                    return ps;
                },
                (rs, n) -> new ShareChanged(rs.getLong(1), rs.getLong(2)));
        ended.forEach(events::publishEvent);
        for (String sql : List.of(
                "DELETE FROM trash WHERE file_id = ANY(?)",
                "DELETE FROM shared_items WHERE file_id = ANY(?)",
                "DELETE FROM dav_properties WHERE file_id = ANY(?)",
                "UPDATE namespaces SET root_file_id = NULL WHERE root_file_id = ANY(?)",
                "DELETE FROM shared_roots WHERE file_id = ANY(?)",
                "UPDATE files SET current_version_id = NULL WHERE file_id = ANY(?)",
                "DELETE FROM file_versions WHERE file_id = ANY(?)",
                "DELETE FROM files WHERE file_id = ANY(?)",
                "DELETE FROM file_directory WHERE file_id = ANY(?)")) {
            jdbc.update(con -> {
                var ps = con.prepareStatement(sql);
                Array array = con.createArrayOf("text", ids);
                ps.setArray(1, array);
                return ps;
            });
        }
        blocks.dereference(blockLists);
        events.publishEvent(new EntriesPurged(fileIds));
    }
}

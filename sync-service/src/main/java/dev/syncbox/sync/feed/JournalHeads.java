package dev.syncbox.sync.feed;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The journal heads (last sequence) of many namespaces in one query. */
@Component
class JournalHeads {

    private final JdbcTemplate jdbc;

    JournalHeads(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Map<Long, Long> of(Collection<Long> namespaceIds) {
        Map<Long, Long> heads = new HashMap<>();
        if (namespaceIds.isEmpty()) {
            return heads;
        }
        Long[] ids = namespaceIds.toArray(Long[]::new);
        jdbc.query(
                con -> {
                    var ps = con.prepareStatement(
                            "SELECT namespace_id, last_seq FROM namespaces WHERE namespace_id = ANY(?)");
                    ps.setArray(1, con.createArrayOf("bigint", ids));
                    return ps;
                },
                rs -> {
                    heads.put(rs.getLong(1), rs.getLong(2));
                });
        return heads;
    }
}

package dev.syncbox.sync.feed;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The journal heads (last sequence) of many namespaces in one query, with their share stamps. */
@Component
public class JournalHeads {

    /**
     * Where a namespace stands: {@code seq} its journal's last sequence, {@code shares} how often the
     * shares of the user whose root it is have changed (0 for a shared item's namespace).
     */
    public record Head(long seq, long shares) {

        static final Head NONE = new Head(0, 0);
    }

    private final JdbcTemplate jdbc;

    JournalHeads(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The journal heads alone. */
    Map<Long, Long> of(Collection<Long> namespaceIds) {
        Map<Long, Long> seqs = new HashMap<>();
        stamps(namespaceIds).forEach((id, head) -> seqs.put(id, head.seq()));
        return seqs;
    }

    public Map<Long, Head> stamps(Collection<Long> namespaceIds) {
        Map<Long, Head> heads = new HashMap<>();
        if (namespaceIds.isEmpty()) {
            return heads;
        }
        Long[] ids = namespaceIds.toArray(Long[]::new);
        jdbc.query(
                con -> {
                    var ps = con.prepareStatement(
                            "SELECT namespace_id, last_seq, shares_seq FROM namespaces WHERE namespace_id = ANY(?)");
                    ps.setArray(1, con.createArrayOf("bigint", ids));
                    return ps;
                },
                rs -> {
                    heads.put(rs.getLong(1), new Head(rs.getLong(2), rs.getLong(3)));
                });
        return heads;
    }
}

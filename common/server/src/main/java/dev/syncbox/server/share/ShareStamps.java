package dev.syncbox.server.share;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Bumps {@code namespaces.shares_seq} of the user's root in the transaction that changes their shares,
 * so a change to what they see is in the database with the change itself, not only in the Redis
 * announcement made after commit: the waiters' poll of the heads reads it.
 */
@Component
class ShareStamps {

    private final JdbcTemplate jdbc;

    ShareStamps(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    void on(ShareChanged changed) {
        jdbc.update(
                "UPDATE namespaces SET shares_seq = shares_seq + 1 WHERE namespace_id = ?", changed.rootNamespaceId());
    }
}

package dev.syncbox.server.testing;

import dev.syncbox.core.id.Ids;
import dev.syncbox.server.auth.TokenIssuer;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** Creates users straight in the database, with a device and its bearer token. */
public final class TestAccounts {

    public record TestUser(long userId, String deviceId, String token, long namespaceId) {

        public String bearer() {
            return "Bearer " + token;
        }
    }

    private final JdbcTemplate jdbc;
    private final TokenIssuer tokens;

    public TestAccounts(ApplicationContext context) {
        this.jdbc = context.getBean(JdbcTemplate.class);
        this.tokens = context.getBean(TokenIssuer.class);
    }

    public TestUser create() {
        return create(10L * 1024 * 1024 * 1024);
    }

    public TestUser create(long quotaBytes) {
        String email = "user-" + Ids.newId().toLowerCase() + "@example.test";
        Long userId = jdbc.queryForObject(
                "INSERT INTO users (email, name, password_hash, plan, max_space_bytes) VALUES (?, 'Test', 'x', 'free', ?)"
                        + " RETURNING user_id",
                Long.class,
                email,
                quotaBytes);
        jdbc.update("INSERT INTO user_emails (email, user_id) VALUES (?, ?)", email, userId);
        Long namespaceId = jdbc.queryForObject(
                "INSERT INTO namespaces (owner_id, kind) VALUES (?, 'ROOT') RETURNING namespace_id",
                Long.class,
                userId);
        jdbc.update("UPDATE users SET root_namespace_id = ? WHERE user_id = ?", namespaceId, userId);
        String deviceId = Ids.newId();
        jdbc.update("INSERT INTO devices (device_id, user_id, name) VALUES (?, ?, 'test device')", deviceId, userId);
        return new TestUser(userId, deviceId, tokens.issue(userId, deviceId), namespaceId);
    }

    /** Another device of the same user, with its own token. */
    public TestUser secondDevice(TestUser user) {
        return device(user, "second device");
    }

    /** Another device of the same user, named, with its own token. */
    public TestUser device(TestUser user, String name) {
        String deviceId = Ids.newId();
        jdbc.update("INSERT INTO devices (device_id, user_id, name) VALUES (?, ?, ?)", deviceId, user.userId(), name);
        return new TestUser(user.userId(), deviceId, tokens.issue(user.userId(), deviceId), user.namespaceId());
    }

    public long usedSpace(long userId) {
        return jdbc.queryForObject("SELECT used_space_bytes FROM users WHERE user_id = ?", Long.class, userId);
    }

    public int liveFiles(long userId) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM files WHERE owner_id = ? AND NOT is_deleted AND NOT is_dir",
                Integer.class,
                userId);
    }
}

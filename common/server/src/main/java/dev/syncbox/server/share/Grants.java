package dev.syncbox.server.share;

import dev.syncbox.server.cache.HotCache;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The items shared with a user, cached in Redis as {@code shared:{user_id}:accessible_files} for five
 * minutes (the seed's permission cache). The value is stamped with a per-user generation that every
 * share change bumps after commit; generation and value are read in one round trip, and a value whose
 * stamp is not the current generation is loaded afresh. So a revocation is seen by the next request
 * on every instance, and a reader that loaded the old state while the change committed can only write
 * a value stamped with the old generation, which no reader accepts.
 */
@Component
public class Grants {

    static final Duration TTL = Duration.ofMinutes(5);
    private static final Duration GENERATION_TTL = Duration.ofDays(1);
    private static final TypeReference<List<Grant>> LIST = new TypeReference<>() {};

    private final JdbcTemplate jdbc;
    private final HotCache cache;
    private final JsonMapper json;

    Grants(JdbcTemplate jdbc, HotCache cache, JsonMapper json) {
        this.jdbc = jdbc;
        this.cache = cache;
        this.json = json;
    }

    /** Everything shared with {@code userId}, by mount path. */
    public List<Grant> of(long userId) {
        String key = "shared:" + userId + ":accessible_files";
        List<String> values = cache.getAll(List.of(generationKey(userId), key));
        String generation = values.get(0) == null ? "0" : values.get(0);
        Optional<List<Grant>> cached = stamped(values.get(1), generation).flatMap(this::parse);
        if (cached.isPresent()) {
            return cached.get();
        }
        List<Grant> grants = load(userId);
        cache.put(key, generation + " " + json.writeValueAsString(grants), TTL);
        return grants;
    }

    /** The value's grants when it carries the current generation's stamp. */
    static Optional<String> stamped(String value, String generation) {
        if (value == null) {
            return Optional.empty();
        }
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equals(generation)) {
            return Optional.empty();
        }
        return Optional.of(value.substring(space + 1));
    }

    /** The grants of {@code userId} straight from the database. */
    private List<Grant> load(long userId) {
        return jdbc.query(
                "SELECT s.share_id, s.namespace_id, n.root_file_id, s.owner_id, n.parent_namespace_id, s.permission,"
                        + " s.mount_path, f.is_dir FROM shared_items s"
                        + " JOIN namespaces n ON n.namespace_id = s.namespace_id"
                        + " JOIN files f ON f.file_id = n.root_file_id"
                        + " WHERE s.shared_with_user_id = ? ORDER BY s.mount_key",
                (rs, n) -> new Grant(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getString(3),
                        rs.getLong(4),
                        rs.getLong(5),
                        Permission.valueOf(rs.getString(6)),
                        rs.getString(7),
                        rs.getBoolean(8)),
                userId);
    }

    /** Makes the user's next request read their grants afresh, once the change has committed. */
    @TransactionalEventListener(fallbackExecution = true)
    void on(ShareChanged changed) {
        cache.increment(generationKey(changed.userId()), GENERATION_TTL);
    }

    private static String generationKey(long userId) {
        return "shared:" + userId + ":generation";
    }

    private Optional<List<Grant>> parse(String text) {
        try {
            return Optional.of(json.readValue(text, LIST));
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }
}

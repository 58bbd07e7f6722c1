package dev.syncbox.server.metadata;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The namespace of each file, by file id ({@code file_directory}): what turns an id from the API into
 * a lookup that names its namespace, so that it stays on one shard when the metadata is distributed
 * (docs/scale-out.md). Written in the transaction that creates the files; the removal of files for good deletes their rows too.
 */
@Component
public class FileDirectory {

    private final JdbcTemplate jdbc;
    /** A file never changes namespace and an id is never reused: a namespace once found stays right. */
    private final Cache<String, Long> known =
            Caffeine.newBuilder().maximumSize(100_000).build();

    FileDirectory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Files just created in a namespace: in the caller's transaction, as their rows are. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void created(long namespaceId, Collection<String> fileIds) {
        if (fileIds.isEmpty()) {
            return;
        }
        List<String> ids = List.copyOf(fileIds);
        jdbc.batchUpdate(
                "INSERT INTO file_directory (file_id, namespace_id) VALUES (?, ?)", ids, ids.size(), (ps, id) -> {
                    ps.setString(1, id);
                    ps.setLong(2, namespaceId);
                });
    }

    /** The namespace a file lives in; empty for an id no file has. */
    public Optional<Long> namespaceOf(String fileId) {
        Long cached = known.getIfPresent(fileId);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Long> found =
                jdbc
                        .queryForList("SELECT namespace_id FROM file_directory WHERE file_id = ?", Long.class, fileId)
                        .stream()
                        .findFirst();
        found.ifPresent(namespaceId -> known.put(fileId, namespaceId));
        return found;
    }
}

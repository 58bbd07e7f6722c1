package dev.syncbox.server.metadata;

import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.repository.Repository;

public interface FileVersionRepository extends Repository<FileVersionEntity, String> {

    FileVersionEntity save(FileVersionEntity version);

    Optional<FileVersionEntity> findById(String id);

    /** The version {@code id} of a namespace known already: one shard when the metadata is distributed. */
    Optional<FileVersionEntity> findByIdAndNamespaceId(String id, Long namespaceId);

    /** Version {@code id} of {@code file}; by its namespace too, so one shard when the metadata is distributed. */
    default Optional<FileVersionEntity> findOf(FileEntity file, String id) {
        return findByIdAndFileIdAndNamespaceId(id, file.getId(), file.namespaceId());
    }

    Optional<FileVersionEntity> findByIdAndFileIdAndNamespaceId(String id, String fileId, Long namespaceId);

    List<FileVersionEntity> findByIdIn(java.util.Collection<String> ids);

    List<FileVersionEntity> findByNamespaceIdAndFileIdOrderByCreatedAtDescIdDesc(
            Long namespaceId, String fileId, Limit limit);
}

package dev.syncbox.server.metadata;

import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.repository.Repository;

public interface FileVersionRepository extends Repository<FileVersionEntity, String> {

    FileVersionEntity save(FileVersionEntity version);

    Optional<FileVersionEntity> findById(String id);

    Optional<FileVersionEntity> findByIdAndFileId(String id, String fileId);

    List<FileVersionEntity> findByIdIn(java.util.Collection<String> ids);

    List<FileVersionEntity> findByFileIdOrderByCreatedAtDescIdDesc(String fileId, Limit limit);
}

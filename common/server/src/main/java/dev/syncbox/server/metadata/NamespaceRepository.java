package dev.syncbox.server.metadata;

import java.util.Optional;
import org.springframework.data.repository.Repository;

public interface NamespaceRepository extends Repository<NamespaceEntity, Long> {

    NamespaceEntity save(NamespaceEntity namespace);

    Optional<NamespaceEntity> findById(long id);
}

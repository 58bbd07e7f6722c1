package dev.syncbox.server.metadata;

import java.util.List;
import java.util.Optional;
import org.springframework.data.repository.Repository;

public interface DeviceRepository extends Repository<DeviceEntity, String> {

    DeviceEntity save(DeviceEntity device);

    Optional<DeviceEntity> findById(String id);

    /** The user's device {@code id}: one shard when the metadata is distributed by user. */
    Optional<DeviceEntity> findByIdAndUserId(String id, long userId);

    List<DeviceEntity> findByUserIdOrderByCreatedAt(long userId);
}

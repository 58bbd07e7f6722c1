package dev.syncbox.server.metadata;

import java.util.Optional;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;

public interface UserRepository extends Repository<UserEntity, Long> {

    UserEntity save(UserEntity user);

    Optional<UserEntity> findById(long id);

    Optional<UserEntity> findByEmail(String email);

    boolean existsByEmail(String email);

    /**
     * Adds {@code delta} bytes to the user's used space unless that would pass the quota.
     *
     * @return 1 when charged, 0 when the quota does not allow it
     */
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query(
            value = "UPDATE users SET used_space_bytes = used_space_bytes + :delta WHERE user_id = :userId"
                    + " AND (:delta <= 0 OR used_space_bytes + :delta <= max_space_bytes)",
            nativeQuery = true)
    int charge(@Param("userId") long userId, @Param("delta") long delta);
}

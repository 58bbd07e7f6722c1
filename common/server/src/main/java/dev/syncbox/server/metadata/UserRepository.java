package dev.syncbox.server.metadata;

import java.util.Optional;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;

public interface UserRepository extends Repository<UserEntity, Long> {

    UserEntity save(UserEntity user);

    Optional<UserEntity> findById(long id);

    /** The user with this (normalised) e-mail address: its id from the directory, then its row. */
    default Optional<UserEntity> findByEmail(String email) {
        return idByEmail(email).flatMap(this::findById);
    }

    default boolean existsByEmail(String email) {
        return idByEmail(email).isPresent();
    }

    @Query(value = "SELECT user_id FROM user_emails WHERE email = :email", nativeQuery = true)
    Optional<Long> idByEmail(@Param("email") String email);

    /**
     * Claims {@code email} for the user in the directory that keeps addresses unique.
     *
     * @throws org.springframework.dao.DataIntegrityViolationException when another user has it
     */
    @Modifying(flushAutomatically = true)
    @Query(value = "INSERT INTO user_emails (email, user_id) VALUES (:email, :userId)", nativeQuery = true)
    void claimEmail(@Param("email") String email, @Param("userId") long userId);

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

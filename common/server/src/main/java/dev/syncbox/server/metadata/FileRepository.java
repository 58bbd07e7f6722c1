package dev.syncbox.server.metadata;

import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;

public interface FileRepository extends Repository<FileEntity, String> {

    FileEntity save(FileEntity file);

    Optional<FileEntity> findById(String id);

    /** The entry {@code id} of a namespace known already: one shard when the metadata is distributed. */
    @Query("select f from FileEntity f where f.namespaceId = :namespaceId and f.id = :id")
    Optional<FileEntity> findInNamespace(@Param("namespaceId") long namespaceId, @Param("id") String id);

    List<FileEntity> findAllById(Iterable<String> ids);

    /** A live (not deleted) entry at a path of a namespace, matched case-insensitively. */
    @Query(
            "select f from FileEntity f where f.namespaceId = :namespaceId and f.pathKey = :pathKey and f.deleted = false")
    Optional<FileEntity> findLive(@Param("namespaceId") long namespaceId, @Param("pathKey") String pathKey);

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query(
            "select f from FileEntity f where f.namespaceId = :namespaceId and f.pathKey = :pathKey and f.deleted = false")
    Optional<FileEntity> findLiveForUpdate(@Param("namespaceId") long namespaceId, @Param("pathKey") String pathKey);

    /** The live entries directly inside a folder, by path. */
    @Query("select f from FileEntity f where f.namespaceId = :namespaceId and f.parentKey = :parentKey"
            + " and f.deleted = false order by f.pathKey")
    List<FileEntity> findChildren(@Param("namespaceId") long namespaceId, @Param("parentKey") String parentKey);

    @Query(
            "select f from FileEntity f where f.namespaceId = :namespaceId and f.pathKey in :pathKeys and f.deleted = false")
    List<FileEntity> findLiveIn(@Param("namespaceId") long namespaceId, @Param("pathKeys") Collection<String> pathKeys);

    /**
     * Moves the entry {@code id} of a namespace to a new path, by (namespace_id, file_id) so that a distributed
     * metadata store runs it on one shard. Pending changes are flushed first and the persistence context is cleared
     * after: entities read before are detached and no longer written back.
     */
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update FileEntity f set f.path = :path, f.pathKey = :pathKey, f.parentDirPath = :parentDirPath,"
            + " f.parentKey = :parentKey, f.modifiedAt = :at where f.namespaceId = :namespaceId and f.id = :id")
    int move(
            @Param("namespaceId") long namespaceId,
            @Param("id") String id,
            @Param("path") String path,
            @Param("pathKey") String pathKey,
            @Param("parentDirPath") String parentDirPath,
            @Param("parentKey") String parentKey,
            @Param("at") java.time.Instant at);
}

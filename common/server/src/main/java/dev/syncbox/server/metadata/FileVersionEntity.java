package dev.syncbox.server.metadata;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An immutable version: the ordered list of blocks that make up the content at one commit. */
@Entity
@Immutable
@Table(name = "file_versions")
public class FileVersionEntity extends AssignedIdEntity {

    @Id
    @Column(name = "version_id")
    private String id;

    @Column(name = "file_id")
    private String fileId;

    @Column(name = "namespace_id")
    private Long namespaceId;

    @Column(name = "device_id")
    private String deviceId;

    @Column(name = "parent_version_id")
    private String parentVersionId;

    @Column(name = "delta_from_version_id")
    private String deltaFromVersionId;

    @Column(name = "content_hash")
    private String contentHash;

    @Column(name = "size_bytes")
    private long sizeBytes;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "block_ids", columnDefinition = "text[]")
    private String[] blockIds;

    @Column(name = "hash_windows")
    private byte[] hashWindows;

    @Column(name = "is_conflict")
    private boolean conflict;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "merge_parent_ids", columnDefinition = "text[]")
    private String[] mergeParentIds;

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "client_modified_at")
    private Instant clientModifiedAt;

    protected FileVersionEntity() {}

    public FileVersionEntity(
            String id,
            String fileId,
            long namespaceId,
            String deviceId,
            String parentVersionId,
            String contentHash,
            long sizeBytes,
            List<String> blockIds,
            byte[] hashWindows,
            Instant now) {
        this.id = id;
        this.fileId = fileId;
        this.namespaceId = namespaceId;
        this.deviceId = deviceId;
        this.parentVersionId = parentVersionId;
        this.contentHash = contentHash;
        this.sizeBytes = sizeBytes;
        this.blockIds = blockIds.toArray(String[]::new);
        this.hashWindows = hashWindows;
        this.createdAt = now;
    }

    @Override
    public String getId() {
        return id;
    }

    public String fileId() {
        return fileId;
    }

    public String deviceId() {
        return deviceId;
    }

    public String parentVersionId() {
        return parentVersionId;
    }

    public String contentHash() {
        return contentHash;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    public List<String> blockIds() {
        return List.of(blockIds);
    }

    /** When the client said the content was last modified; {@code null} when it did not say. */
    public Instant clientModifiedAt() {
        return clientModifiedAt;
    }

    /** SHA-256 of each 4 MiB window, concatenated; {@code null} for versions that predate it. */
    public byte[] hashWindows() {
        return hashWindows;
    }

    /**
     * Flags a version that is not a plain step of the main line: an upload kept aside by a conflict,
     * or a merge that still holds conflict markers. Before it is saved.
     */
    public FileVersionEntity markConflict() {
        this.conflict = true;
        return this;
    }

    /** Records the versions a merge combines (current first, then the upload). Before it is saved. */
    public FileVersionEntity mergedFrom(List<String> parents) {
        this.mergeParentIds = parents.toArray(String[]::new);
        return this;
    }

    public List<String> mergeParentIds() {
        return mergeParentIds == null ? List.of() : List.of(mergeParentIds);
    }

    public boolean isConflict() {
        return conflict;
    }

    public Instant createdAt() {
        return createdAt;
    }
}

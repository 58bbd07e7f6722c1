package dev.syncbox.server.metadata;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A file or folder at a path in a namespace; its content lives in immutable versions. */
@Entity
@Table(name = "files")
public class FileEntity extends AssignedIdEntity {

    @Id
    @Column(name = "file_id")
    private String id;

    // Never changes: the column the metadata is distributed by (docs/scale-out.md).
    @Column(name = "namespace_id", updatable = false)
    private long namespaceId;

    @Column(name = "owner_id")
    private long ownerId;

    @Column(name = "file_path")
    private String path;

    @Column(name = "path_key")
    private String pathKey;

    @Column(name = "parent_dir_path")
    private String parentDirPath;

    @Column(name = "parent_key")
    private String parentKey;

    @Column(name = "is_dir")
    private boolean dir;

    @Column(name = "current_version_id")
    private String currentVersionId;

    @Column(name = "size_bytes")
    private long sizeBytes;

    @Column(name = "content_hash")
    private String contentHash;

    @Column(name = "is_deleted")
    private boolean deleted;

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "modified_at")
    private Instant modifiedAt;

    @Column(name = "deleted_at")
    private Instant deletedAt;

    @Column(name = "client_modified_at")
    private Instant clientModifiedAt;

    protected FileEntity() {}

    public FileEntity(
            String id, long namespaceId, long ownerId, String path, String parentDirPath, boolean dir, Instant now) {
        this.id = id;
        this.namespaceId = namespaceId;
        this.ownerId = ownerId;
        this.path = path;
        this.pathKey = PathKeys.of(path);
        this.parentDirPath = parentDirPath;
        this.parentKey = parentDirPath == null ? null : PathKeys.of(parentDirPath);
        this.dir = dir;
        this.createdAt = now;
        this.modifiedAt = now;
    }

    /** Points the file at a newly committed version. */
    public void advanceTo(FileVersionEntity version, Instant now) {
        this.currentVersionId = version.getId();
        this.sizeBytes = version.sizeBytes();
        this.contentHash = version.contentHash();
        this.clientModifiedAt = version.clientModifiedAt();
        this.modifiedAt = now;
    }

    /** Gives the entry a new path (a move or a rename); descendants of a folder move separately. */
    public void moveTo(String newPath, Instant now) {
        this.path = newPath;
        this.pathKey = PathKeys.of(newPath);
        this.parentDirPath = dev.syncbox.core.path.SyncPath.parent(newPath);
        this.parentKey = parentDirPath == null ? null : PathKeys.of(parentDirPath);
        this.modifiedAt = now;
    }

    @Override
    public String getId() {
        return id;
    }

    public long namespaceId() {
        return namespaceId;
    }

    public long ownerId() {
        return ownerId;
    }

    public String path() {
        return path;
    }

    public String parentDirPath() {
        return parentDirPath;
    }

    public boolean isDir() {
        return dir;
    }

    public String currentVersionId() {
        return currentVersionId;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    public String contentHash() {
        return contentHash;
    }

    public boolean isDeleted() {
        return deleted;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant modifiedAt() {
        return modifiedAt;
    }

    public Instant deletedAt() {
        return deletedAt;
    }

    /** The current version's client modification time; {@code null} when its client gave none. */
    public Instant clientModifiedAt() {
        return clientModifiedAt;
    }
}

package dev.syncbox.sync.metadata;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.cache.CacheKeys;
import dev.syncbox.server.cache.HotCache;
import dev.syncbox.server.config.SyncboxProperties;
import dev.syncbox.server.metadata.FileDirectory;
import dev.syncbox.server.metadata.FileEntity;
import dev.syncbox.server.metadata.FileRepository;
import dev.syncbox.server.metadata.FileVersionRepository;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.share.View;
import dev.syncbox.server.web.CurrentUser;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads file metadata through the seed's {@code file:{id}:metadata} cache. Commits evict the key, so a
 * cached answer is never older than the file's last commit.
 */
@Service
class MetadataQueries {

    /** Versions listed inline; the full history is paged by the versions endpoint. */
    static final int INLINE_VERSIONS = 100;

    private final FileRepository files;
    private final FileDirectory directory;
    private final Sharing sharing;
    private final FileVersionRepository versions;
    private final HotCache cache;
    private final JsonMapper json;
    private final SyncboxProperties properties;

    MetadataQueries(
            FileRepository files,
            FileDirectory directory,
            Sharing sharing,
            FileVersionRepository versions,
            HotCache cache,
            JsonMapper json,
            SyncboxProperties properties) {
        this.files = files;
        this.directory = directory;
        this.sharing = sharing;
        this.versions = versions;
        this.cache = cache;
        this.json = json;
        this.properties = properties;
    }

    @Transactional(readOnly = true)
    public FileMetadata metadata(CurrentUser user, String fileId) {
        FileMetadata metadata = cached(fileId).orElseGet(() -> load(fileId));
        if (metadata.ownerId() == user.userId()) {
            return metadata;
        }
        // Shared with the caller: shown where they see it, under their mount point.
        View view = sharing.find(user.userId(), fileId)
                .filter(v -> !v.file().isDeleted())
                .orElseThrow(() -> notFound(fileId))
                .view();
        return metadata.at(view.path(metadata.path()));
    }

    private Optional<FileMetadata> cached(String fileId) {
        return cache.get(CacheKeys.fileMetadata(fileId)).flatMap(text -> {
            try {
                return Optional.of(json.readValue(text, FileMetadata.class));
            } catch (JacksonException e) {
                return Optional.empty();
            }
        });
    }

    private FileMetadata load(String fileId) {
        FileEntity file = directory
                .namespaceOf(fileId)
                .flatMap(namespaceId -> files.findInNamespace(namespaceId, fileId))
                .filter(f -> !f.isDeleted())
                .orElseThrow(() -> notFound(fileId));
        List<FileMetadata.Version> history = versions
                .findByNamespaceIdAndFileIdOrderByCreatedAtDescIdDesc(
                        file.namespaceId(), fileId, Limit.of(INLINE_VERSIONS))
                .stream()
                .map(v -> new FileMetadata.Version(v.getId(), v.sizeBytes(), v.createdAt()))
                .toList();
        FileMetadata metadata = new FileMetadata(
                file.getId(),
                SyncPath.name(file.path()),
                file.path(),
                file.isDir(),
                file.sizeBytes(),
                file.createdAt(),
                file.modifiedAt(),
                file.ownerId(),
                file.currentVersionId(),
                file.contentHash(),
                history);
        cache.put(
                CacheKeys.fileMetadata(fileId),
                json.writeValueAsString(metadata),
                properties.cache().metadataTtl());
        return metadata;
    }

    private static SyncboxException notFound(String fileId) {
        return new SyncboxException(ErrorCode.NOT_FOUND, "No file " + fileId);
    }
}

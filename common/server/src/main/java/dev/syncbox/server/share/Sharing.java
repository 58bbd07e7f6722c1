package dev.syncbox.server.share;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.metadata.FileDirectory;
import dev.syncbox.server.metadata.FileEntity;
import dev.syncbox.server.metadata.FileRepository;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.metadata.UserEntity;
import dev.syncbox.server.metadata.UserRepository;
import jakarta.persistence.EntityManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Access control for every service (docs/sharing.md): a user sees their own namespace and
 * what is shared with them, mounted at the top of their tree. Anything else is answered exactly like a
 * missing id (404); a READ sharee who tries to change a shared entry gets 403.
 */
@Service
public class Sharing {

    /**
     * Where a path of a user's tree lives.
     *
     * @param path the path in {@code namespaceId} (the owner's spelling for the shared part)
     * @param view how the caller sees entries there
     */
    public record Location(long namespaceId, long ownerId, String path, View view) {

        public boolean shared() {
            return !view.owner();
        }
    }

    /** An entry the caller may see, with how they see it. */
    public record Visible(FileEntity file, View view) {

        public String path() {
            return view.path(file.path());
        }

        /** This entry, for a change: 403 when the caller only reads it. */
        public Visible writable() {
            Sharing.requireWritable(view, path());
            return this;
        }
    }

    private final Grants grants;
    private final FileRepository files;
    private final UserRepository users;
    private final FileDirectory directory;

    private final EntityManager entityManager;
    /** A user's root namespace never changes once the account exists: looked up once per instance. */
    private final Cache<Long, Long> rootNamespaces =
            Caffeine.newBuilder().maximumSize(100_000).build();

    Sharing(
            Grants grants,
            FileRepository files,
            UserRepository users,
            FileDirectory directory,
            EntityManager entityManager) {
        this.directory = directory;
        this.grants = grants;
        this.entityManager = entityManager;
        this.files = files;
        this.users = users;
    }

    /** The caller's own root namespace. */
    public long rootNamespace(long userId) {
        Long known = rootNamespaces.getIfPresent(userId);
        if (known != null) {
            return known;
        }
        long root = users.findById(userId)
                .map(UserEntity::rootNamespaceId)
                .orElseThrow(() -> new SyncboxException(ErrorCode.UNAUTHORIZED, "Unknown user"));
        rootNamespaces.put(userId, root);
        return root;
    }

    /** The live grants of a user, with their shared items' current paths (deleted items left out). */
    public List<Mounted> mounts(long userId) {
        List<Grant> all = grants.of(userId);
        if (all.isEmpty()) {
            return List.of();
        }
        Map<String, FileEntity> roots = roots(all);
        return all.stream()
                .filter(g -> roots.containsKey(g.rootFileId()))
                .map(g -> new Mounted(g, roots.get(g.rootFileId())))
                .toList();
    }

    /** A grant whose shared item is live, with the item. */
    public record Mounted(Grant grant, FileEntity root) {

        public View view() {
            return new View(grant, root.path());
        }
    }

    /**
     * Resolves a path of the caller's tree (normalized). Paths under a mount point are in the shared
     * item's namespace; everything else is in the caller's root.
     */
    public Location locate(long userId, String path) {
        return locate(userId, path, grants.of(userId), new HashMap<>());
    }

    /** {@link #locateForWrite} for many paths of one user: the grants are read once, by the first call. */
    public Function<String, Location> writeLocator(long userId) {
        List<Grant> of = grants.of(userId);
        Map<String, FileEntity> roots = new HashMap<>();
        return path -> {
            Location location = locate(userId, path, of, roots);
            requireWritable(location.view(), path);
            return location;
        };
    }

    private Location locate(long userId, String path, List<Grant> of, Map<String, FileEntity> roots) {
        String key = PathKeys.of(path);
        for (Grant grant : of) {
            String mountKey = PathKeys.of(grant.mountPath());
            if (key.equals(mountKey) || key.startsWith(mountKey + "/")) {
                FileEntity root = roots.computeIfAbsent(
                        grant.rootFileId(),
                        id -> files.findInNamespace(grant.ownerNamespaceId(), id)
                                .map(this::unmanaged)
                                .orElse(null));
                if (root == null || root.isDeleted()) {
                    // A share whose item is gone (in the trash) holds no paths: they are the user's own again.
                    continue;
                }
                if (!root.isDir() && !key.equals(mountKey)) {
                    throw new SyncboxException(ErrorCode.PATH_CONFLICT, grant.mountPath() + " is a file, not a folder");
                }
                View view = new View(grant, root.path());
                return new Location(
                        root.namespaceId(),
                        grant.ownerId(),
                        SharedPaths.rebase(path, grant.mountPath(), root.path()),
                        view);
            }
        }
        return new Location(rootNamespace(userId), userId, path, View.OWNER);
    }

    /** {@link #locate}, for a change: 403 when the path is in an item shared read-only. */
    public Location locateForWrite(long userId, String path) {
        Location location = locate(userId, path);
        requireWritable(location.view(), path);
        return location;
    }

    /** The live entry at a path of the caller's tree, if there is one. */
    public Optional<Visible> at(long userId, String path) {
        Location location = locate(userId, path);
        return files.findLive(location.namespaceId(), PathKeys.of(location.path()))
                .map(this::unmanaged)
                .map(f -> new Visible(f, location.view()));
    }

    /** The entry if the caller may see it, whether live or in the trash. */
    public Optional<Visible> find(long userId, String fileId) {
        return directory
                .namespaceOf(fileId)
                .flatMap(namespaceId -> files.findInNamespace(namespaceId, fileId))
                .map(this::unmanaged)
                .flatMap(file -> view(userId, file).map(view -> new Visible(file, view)));
    }

    /**
     * {@link #find} for many entries at once: those the caller can see, by id, in two queries whatever their number
     * (the entries, and the shared roots of the namespaces they lie in). Ids of entries the caller cannot see are
     * left out.
     */
    public Map<String, Visible> findAll(long userId, java.util.Collection<String> fileIds) {
        Map<String, Visible> visible = new HashMap<>();
        List<FileEntity> found = files.findAllById(List.copyOf(new java.util.HashSet<>(fileIds)));
        List<Grant> granted = found.stream().anyMatch(f -> f.ownerId() != userId) ? grants.of(userId) : List.of();
        Map<String, FileEntity> roots = granted.isEmpty() ? Map.of() : roots(granted);
        for (FileEntity file : found) {
            unmanaged(file);
            view(userId, file, granted, roots).ifPresent(view -> visible.put(file.getId(), new Visible(file, view)));
        }
        return visible;
    }

    /** How the caller sees an entry, if at all. */
    public Optional<View> view(long userId, FileEntity file) {
        if (file.ownerId() == userId) {
            return Optional.of(View.OWNER);
        }
        List<Grant> candidates = grants.of(userId).stream()
                .filter(g -> g.ownerNamespaceId() == file.namespaceId())
                .toList();
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        return view(userId, file, candidates, roots(candidates));
    }

    /** How the caller sees an entry, given their grants and the live roots of those grants. */
    private static Optional<View> view(
            long userId, FileEntity file, List<Grant> granted, Map<String, FileEntity> roots) {
        if (file.ownerId() == userId) {
            return Optional.of(View.OWNER);
        }
        List<Grant> candidates = granted.stream()
                .filter(g -> g.ownerNamespaceId() == file.namespaceId())
                .toList();
        for (Grant grant : candidates) {
            FileEntity root = roots.get(grant.rootFileId());
            if (root == null) {
                continue;
            }
            boolean covered = root.getId().equals(file.getId())
                    || (root.isDir() && PathKeys.of(file.path()).startsWith(PathKeys.of(root.path()) + "/"));
            if (covered) {
                return Optional.of(new View(grant, root.path()));
            }
        }
        return Optional.empty();
    }

    private static void requireWritable(View view, String path) {
        if (!view.writable()) {
            throw new SyncboxException(ErrorCode.PERMISSION_DENIED, path + " is shared with you read-only");
        }
    }

    /** The live shared items of these grants, by id, in one query. */
    private Map<String, FileEntity> roots(List<Grant> of) {
        Map<String, FileEntity> roots = new HashMap<>();
        for (FileEntity f :
                files.findAllById(of.stream().map(Grant::rootFileId).distinct().toList())) {
            unmanaged(f);
            if (!f.isDeleted()) {
                roots.put(f.getId(), f);
            }
        }
        return roots;
    }

    /**
     * Entries read here are checks, taken before the caller locks its namespace. Left managed, they
     * would be handed back unchanged by every later read of the same row in the transaction — after
     * the lock, when a concurrent change may have moved or advanced them. Detached, later reads see
     * the row as it is.
     */
    private FileEntity unmanaged(FileEntity file) {
        if (TransactionSynchronizationManager.isActualTransactionActive() && entityManager.contains(file)) {
            entityManager.detach(file);
        }
        return file;
    }

    public static SyncboxException notFound(String fileId) {
        return new SyncboxException(ErrorCode.NOT_FOUND, "No file " + fileId);
    }
}

package dev.syncbox.server.files;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.id.Ids;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.journal.Journal;
import dev.syncbox.server.journal.JournalEntry;
import dev.syncbox.server.journal.Operation;
import dev.syncbox.server.metadata.FileDirectory;
import dev.syncbox.server.metadata.FileEntity;
import dev.syncbox.server.metadata.FileRepository;
import dev.syncbox.server.metadata.PathKeys;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The folders above a path: found case-insensitively, created (and journaled) when missing. */
@Component
public class Folders {

    private final FileRepository files;
    private final Journal journal;
    private final JdbcTemplate jdbc;
    private final FileDirectory directory;

    Folders(FileRepository files, Journal journal, JdbcTemplate jdbc, FileDirectory directory) {
        this.directory = directory;
        this.files = files;
        this.journal = journal;
        this.jdbc = jdbc;
    }

    /**
     * Makes sure every folder above {@code path} exists, as a desktop client would, and returns
     * {@code path} spelled with the existing folders' case (a file under {@code /Docs} stays under
     * {@code /Docs} even when sent as {@code /docs/a.txt}). A file in the way is {@code path_conflict}.
     * Call with the namespace locked.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public String ensureParents(long ownerId, long namespaceId, String path, String deviceId, Instant now) {
        List<String> ancestors = new ArrayList<>();
        for (String p = SyncPath.parent(path); p != null && !SyncPath.isRoot(p); p = SyncPath.parent(p)) {
            ancestors.add(0, p);
        }
        if (ancestors.isEmpty()) {
            return path;
        }
        Map<String, FileEntity> existing =
                files
                        .findLiveIn(
                                namespaceId,
                                ancestors.stream().map(PathKeys::of).toList())
                        .stream()
                        .collect(Collectors.toMap(f -> PathKeys.of(f.path()), Function.identity()));
        String canonical = SyncPath.ROOT;
        for (String folder : ancestors) {
            FileEntity entry = existing.get(PathKeys.of(folder));
            if (entry != null && !entry.isDir()) {
                throw new SyncboxException(
                        ErrorCode.PATH_CONFLICT,
                        "A file named '" + SyncPath.name(entry.path()) + "' is where a folder is needed");
            }
            if (entry == null) {
                String created = SyncPath.child(canonical, SyncPath.name(folder));
                create(ownerId, namespaceId, created, deviceId, now);
                canonical = created;
            } else {
                canonical = entry.path();
            }
        }
        return SyncPath.child(canonical, SyncPath.name(path));
    }

    /**
     * A free path beside {@code path} carrying {@code label}: "name (label).ext", then
     * "name (label 2).ext", … — for entries that must never land on something that exists.
     */
    public String freeSibling(long namespaceId, String path, String label) {
        String parent = SyncPath.parent(path);
        String name = SyncPath.name(path);
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        String candidate = SyncPath.child(parent, stem + " (" + label + ")" + extension);
        for (int n = 2; files.findLive(namespaceId, PathKeys.of(candidate)).isPresent(); n++) {
            candidate = SyncPath.child(parent, stem + " (" + label + " " + n + ")" + extension);
        }
        return candidate;
    }

    /**
     * Creates the folder at {@code path} and every missing folder above it (spelled with the existing
     * folders' case), journaled, with one read of the rows on the way and one batch of inserts. A file
     * in the way, or anything at {@code path}, is {@code path_conflict}, its path shown through {@code
     * shown}. Call with the namespace locked.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public FileEntity createWithParents(
            long ownerId, long namespaceId, String path, String deviceId, Instant now, UnaryOperator<String> shown) {
        List<String> chain = new ArrayList<>();
        for (String p = path; p != null && !SyncPath.isRoot(p); p = SyncPath.parent(p)) {
            chain.add(0, p);
        }
        Map<String, Existing> existing = new HashMap<>();
        jdbc.query(
                con -> {
                    var ps = con.prepareStatement("SELECT file_path, is_dir FROM files"
                            + " WHERE namespace_id = ? AND path_key = ANY(?) AND NOT is_deleted");
                    ps.setLong(1, namespaceId);
                    ps.setArray(
                            2,
                            con.createArrayOf(
                                    "text", chain.stream().map(PathKeys::of).toArray()));
                    return ps;
                },
                rs -> {
                    existing.put(PathKeys.of(rs.getString(1)), new Existing(rs.getString(1), rs.getBoolean(2)));
                });
        String canonical = SyncPath.ROOT;
        List<FileEntity> made = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            Existing entry = existing.get(PathKeys.of(chain.get(i)));
            boolean last = i == chain.size() - 1;
            if (entry != null && last) {
                throw new SyncboxException(
                        ErrorCode.PATH_CONFLICT,
                        (entry.dir() ? "A folder" : "A file") + " exists at " + shown.apply(entry.path()));
            }
            if (entry != null && !entry.dir()) {
                throw new SyncboxException(
                        ErrorCode.PATH_CONFLICT,
                        "A file named '" + SyncPath.name(entry.path()) + "' is where a folder is needed");
            }
            if (entry != null) {
                canonical = entry.path();
                continue;
            }
            canonical = SyncPath.child(canonical, SyncPath.name(chain.get(i)));
            made.add(new FileEntity(
                    Ids.newId(), namespaceId, ownerId, canonical, SyncPath.parent(canonical), true, now));
        }
        Timestamp at = Timestamp.from(now);
        jdbc.batchUpdate(
                "INSERT INTO files (file_id, namespace_id, owner_id, file_path, path_key, parent_dir_path, parent_key,"
                        + " is_dir, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, true, ?, ?)",
                made,
                made.size(),
                (ps, f) -> {
                    ps.setString(1, f.getId());
                    ps.setLong(2, namespaceId);
                    ps.setLong(3, ownerId);
                    ps.setString(4, f.path());
                    ps.setString(5, PathKeys.of(f.path()));
                    ps.setString(6, f.parentDirPath());
                    ps.setString(7, PathKeys.of(f.parentDirPath()));
                    ps.setTimestamp(8, at);
                    ps.setTimestamp(9, at);
                });
        directory.created(namespaceId, made.stream().map(FileEntity::getId).toList());
        journal.appendAll(
                namespaceId,
                made.stream()
                        .map(f -> new JournalEntry(
                                f.getId(), Operation.CREATE, f.path(), null, null, null, null, true, deviceId, now))
                        .toList());
        return made.get(made.size() - 1);
    }

    private record Existing(String path, boolean dir) {}

    /** Creates one folder whose parent exists, journaled as a CREATE. */
    @Transactional(propagation = Propagation.MANDATORY)
    public FileEntity create(long ownerId, long namespaceId, String path, String deviceId, Instant now) {
        FileEntity folder =
                files.save(new FileEntity(Ids.newId(), namespaceId, ownerId, path, SyncPath.parent(path), true, now));
        directory.created(namespaceId, List.of(folder.getId()));
        journal.append(
                namespaceId,
                new JournalEntry(folder.getId(), Operation.CREATE, path, null, null, null, null, true, deviceId, now));
        return folder;
    }
}

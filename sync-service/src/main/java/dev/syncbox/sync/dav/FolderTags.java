package dev.syncbox.sync.dav;

import dev.syncbox.core.hash.Hex;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.share.Sharing;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Folder ETags, which DAV clients compare to skip unchanged subtrees: a folder's tag is a digest of the newest
 * journal sequence stamped on any row beneath it (deleted rows too, so a delete shows), the number of live rows
 * beneath it (so a move out shows), and the same pair for every shared mount beneath it in the caller's view. Any
 * create, edit, delete or move beneath the folder changes one of them. Many folders are summed in one query.
 */
@Component
class FolderTags {

    /** What is beneath a folder: the newest change, the live rows, and the bytes of the live files. */
    record Summary(long changeSeq, long liveRows, long bytes) {

        Summary plus(Summary other) {
            return new Summary(Math.max(changeSeq, other.changeSeq), liveRows + other.liveRows, bytes + other.bytes);
        }
    }

    /** A folder to tag: its row ({@code null} for a namespace's root) in its namespace, and the caller's path. */
    record Folder(long namespaceId, String fileId, String callerPath) {}

    /** A folder's tag and the bytes beneath it. */
    record Tag(String etag, long bytes) {}

    private final JdbcTemplate jdbc;

    FolderTags(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The tags of {@code folders}, keyed by caller path; mounts are those of the caller, at their mount paths. */
    Map<String, Tag> tags(Collection<Folder> folders, List<Sharing.Mounted> mounts) {
        List<Folder> rows = new ArrayList<>();
        List<Long> roots = new ArrayList<>();
        for (Folder f : folders) {
            if (f.fileId() == null) {
                roots.add(f.namespaceId());
            } else {
                rows.add(f);
            }
        }
        List<Sharing.Mounted> beneath = new ArrayList<>();
        for (Sharing.Mounted m : mounts) {
            if (m.root().isDir()
                    && folders.stream().anyMatch(f -> strictlyUnder(m.grant().mountPath(), f.callerPath()))) {
                beneath.add(m);
            }
        }
        Map<String, Summary> byId = new HashMap<>(summaries(
                rows.stream().map(Folder::fileId).toList(),
                rows.stream().map(Folder::namespaceId).distinct().toList(),
                beneath.stream().map(m -> m.root().getId()).toList(),
                beneath.stream().map(m -> m.root().namespaceId()).distinct().toList()));
        Map<Long, Summary> rootSummaries = rootSummaries(roots);
        beneath.sort(Comparator.comparing(m -> PathKeys.of(m.grant().mountPath())));
        Map<String, Tag> tags = new HashMap<>();
        for (Folder f : folders) {
            Summary own = f.fileId() == null
                    ? rootSummaries.getOrDefault(f.namespaceId(), new Summary(0, 0, 0))
                    : byId.getOrDefault(f.fileId(), new Summary(0, 0, 0));
            StringBuilder text =
                    new StringBuilder().append(own.changeSeq()).append(':').append(own.liveRows());
            long bytes = own.bytes();
            for (Sharing.Mounted m : beneath) {
                if (strictlyUnder(m.grant().mountPath(), f.callerPath())) {
                    Summary s = byId.getOrDefault(m.root().getId(), new Summary(0, 0, 0));
                    text.append(';')
                            .append(m.root().getId())
                            .append(':')
                            .append(s.changeSeq())
                            .append(':')
                            .append(s.liveRows());
                    bytes += s.bytes();
                }
            }
            tags.put(f.callerPath(), new Tag('"' + sha256(text.toString()).substring(0, 32) + '"', bytes));
        }
        return tags;
    }

    private static boolean strictlyUnder(String path, String folder) {
        return !PathKeys.of(path).equals(PathKeys.of(folder))
                && SyncPath.isUnder(PathKeys.of(path), PathKeys.of(folder));
    }

    /** One query: each folder row with every row at or beneath its path (deleted ones too). */
    private Map<String, Summary> summaries(
            List<String> ids, List<Long> namespaces, List<String> moreIds, List<Long> moreNamespaces) {
        List<String> allIds = new ArrayList<>(ids);
        allIds.addAll(moreIds);
        List<Long> allNamespaces = new ArrayList<>(namespaces);
        allNamespaces.addAll(moreNamespaces);
        Map<String, Summary> out = new HashMap<>();
        if (allIds.isEmpty()) {
            return out;
        }
        jdbc.query(
                con -> {
                    var ps = con.prepareStatement("SELECT c.file_id, coalesce(max(f.change_seq), 0),"
                            + " count(*) FILTER (WHERE NOT f.is_deleted),"
                            + " coalesce(sum(f.size_bytes) FILTER (WHERE NOT f.is_deleted AND NOT f.is_dir), 0)"
                            + " FROM files c JOIN files f ON f.namespace_id = c.namespace_id"
                            + " AND (f.path_key = c.path_key OR (f.path_key >= c.path_key || '/'"
                            + " AND f.path_key < c.path_key || '0'))"
                            + " WHERE c.namespace_id = ANY (?) AND c.file_id = ANY (?) GROUP BY c.file_id");
                    ps.setArray(
                            1,
                            con.createArrayOf(
                                    "bigint", allNamespaces.stream().distinct().toArray()));
                    ps.setArray(
                            2,
                            con.createArrayOf(
                                    "varchar", allIds.stream().distinct().toArray()));
                    return ps;
                },
                rs -> {
                    out.put(rs.getString(1), new Summary(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                });
        return out;
    }

    private Map<Long, Summary> rootSummaries(List<Long> namespaces) {
        Map<Long, Summary> out = new HashMap<>();
        if (namespaces.isEmpty()) {
            return out;
        }
        jdbc.query(
                con -> {
                    var ps = con.prepareStatement("SELECT namespace_id, coalesce(max(change_seq), 0),"
                            + " count(*) FILTER (WHERE NOT is_deleted),"
                            + " coalesce(sum(size_bytes) FILTER (WHERE NOT is_deleted AND NOT is_dir), 0)"
                            + " FROM files WHERE namespace_id = ANY (?) GROUP BY namespace_id");
                    ps.setArray(
                            1,
                            con.createArrayOf(
                                    "bigint", namespaces.stream().distinct().toArray()));
                    return ps;
                },
                rs -> {
                    out.put(rs.getLong(1), new Summary(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                });
        return out;
    }

    static String sha256(String text) {
        try {
            return Hex.encode(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

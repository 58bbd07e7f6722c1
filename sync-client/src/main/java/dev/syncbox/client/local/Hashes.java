package dev.syncbox.client.local;

import dev.syncbox.client.plan.Paths;
import dev.syncbox.core.hash.ContentHasher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;

/**
 * Content hashes of local files, remembered with the size, modification time and inode they were taken at: a file
 * whose three are unchanged is not read again, so a scan of a settled folder reads metadata only. The hash is
 * Dropbox's {@code content_hash}, the one the server's change feed carries.
 */
public final class Hashes {

    /** A remembered hash and what the file looked like when it was taken. */
    public record Known(String path, long size, long mtimeNanos, long inode, String contentHash) {}

    /** Where remembered hashes outlive the process (the state database). */
    public interface Store {
        void put(Known known);

        void remove(String path);
    }

    private final Map<String, Known> byPath = new HashMap<>();
    private final Store store;

    public Hashes(Iterable<Known> known, Store store) {
        known.forEach(k -> byPath.put(k.path(), k));
        this.store = store;
    }

    /** The file's content hash, read only when it changed since it was last hashed; null if it changes while read. */
    public synchronized String hash(String path, Path file) throws IOException {
        BasicFileAttributes before = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        long inode = Inodes.of(file);
        Known known = byPath.get(path);
        long mtime = nanos(before);
        if (known != null && known.size() == before.size() && known.mtimeNanos() == mtime && known.inode() == inode) {
            return known.contentHash();
        }
        String hash = read(file);
        BasicFileAttributes after = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (after.size() != before.size() || nanos(after) != mtime) {
            return null;
        }
        put(new Known(path, before.size(), mtime, inode, hash));
        return hash;
    }

    /** The client wrote this content itself: remembered as it is on disk now. */
    public synchronized void remember(String path, Path file, String contentHash) throws IOException {
        BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        put(new Known(path, now.size(), nanos(now), Inodes.of(file), contentHash));
    }

    /** A local move: the hashes of the entry and of everything under it go along. */
    public synchronized void moved(String from, String to) {
        for (Known k : byPath.values().toArray(Known[]::new)) {
            if (k.path().equals(from) || k.path().startsWith(from + "/")) {
                forget(k.path());
                put(new Known(Paths.rebase(k.path(), from, to), k.size(), k.mtimeNanos(), k.inode(), k.contentHash()));
            }
        }
    }

    public synchronized void forget(String path) {
        if (byPath.remove(path) != null) {
            store.remove(path);
        }
    }

    /** Forgets every path not in {@code seen}: files gone from the folder. */
    public synchronized void retain(java.util.Set<String> seen) {
        for (String path : byPath.keySet().toArray(String[]::new)) {
            if (!seen.contains(path)) {
                forget(path);
            }
        }
    }

    private void put(Known known) {
        byPath.put(known.path(), known);
        store.put(known);
    }

    static String read(Path file) throws IOException {
        ContentHasher hasher = new ContentHasher();
        byte[] buffer = new byte[256 * 1024];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                hasher.update(buffer, 0, n);
            }
        }
        return hasher.hexDigest();
    }

    private static long nanos(BasicFileAttributes attributes) {
        return attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}

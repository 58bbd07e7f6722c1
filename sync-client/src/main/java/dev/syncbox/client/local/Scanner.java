package dev.syncbox.client.local;

import dev.syncbox.client.engine.SyncEngine;
import dev.syncbox.client.plan.LocalEntry;
import dev.syncbox.client.plan.Paths;
import dev.syncbox.client.plan.Plan;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads the folder as it is now: every folder and regular file with its inode and content hash (read only for files
 * that changed since they were last hashed), and what cannot be synced with the reason. The client's own corner
 * ({@code .syncbox/}) and the usual temporary files are skipped; symbolic links, special files and names the server
 * would change or refuse are reported, never skipped silently.
 */
public final class Scanner implements SyncEngine.Scan {

    private final LocalFolder folder;
    private final Hashes hashes;
    /** The folders this device leaves out (selective sync), read at every scan. */
    private final Supplier<List<String>> excluded;

    public Scanner(LocalFolder folder, Hashes hashes) {
        this(folder, hashes, List::of);
    }

    public Scanner(LocalFolder folder, Hashes hashes, Supplier<List<String>> excluded) {
        this.folder = folder;
        this.hashes = hashes;
        this.excluded = excluded;
    }

    /** Names no client syncs: the operating systems' folder litter and editors' and browsers' work in progress. */
    public static boolean ignored(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.equals(".ds_store")
                || lower.equals("thumbs.db")
                || lower.equals("desktop.ini")
                || lower.equals("icon\r")
                || name.startsWith("~$")
                || name.startsWith(".~lock.")
                || lower.endsWith(".swp")
                || lower.endsWith(".swx")
                || lower.endsWith("~")
                || lower.endsWith(".crdownload")
                || lower.endsWith(".part")
                || lower.endsWith(".partial")
                || lower.endsWith(".download");
    }

    /** Whether a path is one a scan never lists: the client's own corner, or under a name no client syncs. */
    static boolean skipped(String path) {
        if (path.equals("/" + LocalFolder.STATE_DIR) || path.startsWith("/" + LocalFolder.STATE_DIR + "/")) {
            return true;
        }
        for (String name : path.substring(1).split("/")) {
            if (ignored(name)) {
                return true;
            }
        }
        return false;
    }

    /** Walks of a folder that keeps changing before one is taken as it is not: the pass is tried again later. */
    static final int STEADY_WALKS = 5;

    /**
     * A folder whose time was this close to the moment the walk read it may have changed again within the file
     * system's clock tick, without its time changing: it is read again.
     */
    static final long RACY_MILLIS = 10;

    /** Called with each file's path as the walk reaches it (tests change the folder under a walk with it). */
    java.util.function.Consumer<String> reached = path -> {};

    /**
     * The folder as one consistent picture. A walk is not atomic: a folder renamed or moved while it is walked would
     * be missing from both its old place (not read yet) and its new one (already passed), and a plan made from that
     * would delete what was only moved. So every folder's modification time (which any entry created, removed or
     * renamed in it changes) is read again after the walk; if one changed, vanished, or had changed too close to the
     * moment it was read to tell, the folder is walked again, after a pause that grows. A folder still changing after {@link
     * #STEADY_WALKS} walks fails the pass, which is tried again later; nothing is planned from a torn picture.
     */
    @Override
    public SyncEngine.Scanned scan() throws IOException {
        for (int walk = 1; ; walk++) {
            Walk w = walk();
            String changed = w.changed();
            if (changed == null) {
                hashes.retain(w.seen());
                return w.scanned();
            }
            if (walk == STEADY_WALKS) {
                throw new IOException(
                        "the folder kept changing while it was read (" + changed + " last); it is read again shortly");
            }
            try {
                Thread.sleep(50L * walk);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    /** One walk: what it saw, and each folder's modification time as it was read. */
    private record Walk(SyncEngine.Scanned scanned, Set<String> seen, Map<Path, Read> folders, boolean vanished) {

        /** A folder that changed since the walk read it, or may have; null when the picture holds. */
        String changed() throws IOException {
            if (vanished) {
                return "an entry vanished while it was read";
            }
            for (Map.Entry<Path, Read> f : folders.entrySet()) {
                FileTime now;
                try {
                    now = Files.getLastModifiedTime(f.getKey(), LinkOption.NOFOLLOW_LINKS);
                } catch (java.nio.file.NoSuchFileException e) {
                    return f.getKey().toString();
                }
                Read read = f.getValue();
                if (!now.equals(read.modified()) || now.toMillis() >= read.atMillis() - RACY_MILLIS) {
                    return f.getKey().toString();
                }
            }
            return null;
        }
    }

    /** A folder's modification time, and when the walk read it. */
    private record Read(FileTime modified, long atMillis) {}

    private Walk walk() throws IOException {
        Path root = folder.root();
        if (!Files.isDirectory(root)) {
            throw new IOException("the folder " + root + " is not there (an unmounted drive?); nothing is synced");
        }
        IgnoreRules rules = IgnoreRules.of(root);
        List<String> left = excluded.get();
        SyncEngine.Ignore ignore = (path, dir) ->
                skipped(path) || rules.ignored(path, dir) || left.stream().anyMatch(x -> Paths.isAtOrUnder(path, x));
        List<LocalEntry> entries = new ArrayList<>();
        List<Plan.Problem> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Map<Path, Read> folders = new HashMap<>();
        boolean[] vanished = {false};
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.equals(root)) {
                    folders.put(dir, new Read(attrs.lastModifiedTime(), System.currentTimeMillis()));
                    return FileVisitResult.CONTINUE;
                }
                String path = pathOf(dir);
                if (dir.equals(folder.stateDir())
                        || ignored(dir.getFileName().toString())
                        || rules.ignored(path, true)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                String problem = problemWithName(path);
                if (problem != null) {
                    problems.add(new Plan.Problem(path, problem));
                    return FileVisitResult.SKIP_SUBTREE;
                }
                folders.put(dir, new Read(attrs.lastModifiedTime(), System.currentTimeMillis()));
                entries.add(new LocalEntry(path, true, Inodes.of(dir), null, 0));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String path = pathOf(file);
                if (ignored(file.getFileName().toString()) || ignore.ignored(path, false)) {
                    return FileVisitResult.CONTINUE;
                }
                if (attrs.isSymbolicLink()) {
                    problems.add(new Plan.Problem(path, "a symbolic link: links are not synced"));
                    return FileVisitResult.CONTINUE;
                }
                if (!attrs.isRegularFile()) {
                    problems.add(new Plan.Problem(path, "not a regular file (a device, socket or pipe)"));
                    return FileVisitResult.CONTINUE;
                }
                String problem = problemWithName(path);
                if (problem != null) {
                    problems.add(new Plan.Problem(path, problem));
                    return FileVisitResult.CONTINUE;
                }
                reached.accept(path);
                String hash;
                try {
                    hash = hashes.hash(path, file);
                } catch (java.nio.file.AccessDeniedException e) {
                    problems.add(new Plan.Problem(path, "permission denied: the client cannot read it"));
                    return FileVisitResult.CONTINUE;
                } catch (java.nio.file.NoSuchFileException e) {
                    vanished[0] = true;
                    return FileVisitResult.CONTINUE;
                }
                seen.add(path);
                if (hash == null) {
                    problems.add(new Plan.Problem(path, "being written: synced once it settles"));
                    return FileVisitResult.CONTINUE;
                }
                entries.add(new LocalEntry(path, false, Inodes.of(file), hash, attrs.size()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                if (e instanceof java.nio.file.NoSuchFileException) {
                    vanished[0] = true;
                } else {
                    problems.add(new Plan.Problem(pathOf(file), "cannot be read: " + e.getMessage()));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return new Walk(
                new SyncEngine.Scanned(List.copyOf(entries), List.copyOf(problems), ignore),
                seen,
                folders,
                vanished[0]);
    }

    private String pathOf(Path file) {
        StringBuilder path = new StringBuilder();
        for (Path name : folder.root().relativize(file)) {
            path.append('/').append(name);
        }
        return path.toString();
    }

    /** Why the server cannot hold this name as it is, or null when it can. */
    static String problemWithName(String path) {
        String canonical;
        try {
            canonical = SyncPath.normalize(path);
        } catch (SyncboxException e) {
            return "the server does not accept this name: " + e.getMessage();
        }
        if (!canonical.equals(path)) {
            return "the name is not in Unicode NFC form; rename it to sync it";
        }
        return null;
    }
}

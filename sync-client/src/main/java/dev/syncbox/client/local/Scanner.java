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
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
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

    @Override
    public SyncEngine.Scanned scan() throws IOException {
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
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.equals(root)) {
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
                String hash;
                try {
                    hash = hashes.hash(path, file);
                } catch (java.nio.file.AccessDeniedException e) {
                    problems.add(new Plan.Problem(path, "permission denied: the client cannot read it"));
                    return FileVisitResult.CONTINUE;
                } catch (java.nio.file.NoSuchFileException e) {
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
                if (!(e instanceof java.nio.file.NoSuchFileException)) {
                    problems.add(new Plan.Problem(pathOf(file), "cannot be read: " + e.getMessage()));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        hashes.retain(seen);
        return new SyncEngine.Scanned(List.copyOf(entries), List.copyOf(problems), ignore);
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

package dev.syncbox.client.local;

import dev.syncbox.client.plan.Paths;
import dev.syncbox.client.sync.ContentSource;
import dev.syncbox.client.sync.LocalBlocks;
import dev.syncbox.client.sync.LocalSide;
import dev.syncbox.core.chunk.ChunkRef;
import dev.syncbox.core.hash.ContentHasher;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the reconciler does to the folder. Downloads are written to a temporary file, checked against their content
 * hash and renamed into place; whatever they replace, and whatever the client deletes, goes to the quarantine for 30
 * days instead of away. A delete only takes what is still exactly what was synced.
 */
public final class FolderSide implements LocalSide {

    /** How long the quarantine keeps what the client replaced or deleted. */
    public static final Duration QUARANTINE_DAYS = Duration.ofDays(30);

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    private final LocalFolder folder;
    private final ContentSource content;
    private final Hashes hashes;
    private final Clock clock;

    /** Downloads fetched at once: small files are mostly round trips, which overlap. */
    static final int PARALLEL_FETCHES = 4;

    /** Downloads fetched ahead of the one being placed, at most: each holds a temporary file until it is placed. */
    static final int FETCH_WINDOW = 256;

    /**
     * New files up to this size come down many to a request ({@link ContentSource#fetchAll}): for them the request,
     * not the bytes, is the cost. Larger files, and files with a local copy whose blocks can be reused, one each.
     */
    static final long GROUP_FILE = 1024 * 1024;

    /** Files in one such request, at most. */
    static final int GROUP_FILES = 64;

    /** Bytes in one such request, at most. */
    static final long GROUP_BYTES = 8L * 1024 * 1024;

    private final ThreadPoolExecutor fetchers = fetchers();
    private final LinkedHashSet<Fetch> waiting = new LinkedHashSet<>();
    private final Map<Fetch, Future<Fetched>> fetched = new HashMap<>();
    private final LocalBlocks held;

    /** A version's content in a temporary file, and its blocks where they were learnt (else none). */
    private record Fetched(Path temp, List<ChunkRef> blocks) {}

    public FolderSide(LocalFolder folder, ContentSource content, Hashes hashes, Clock clock) {
        this(folder, content, hashes, clock, LocalBlocks.NONE);
    }

    /** With {@code held}, what the folder's files already hold: content found here is copied, not fetched. */
    public FolderSide(LocalFolder folder, ContentSource content, Hashes hashes, Clock clock, LocalBlocks held) {
        this.folder = folder;
        this.content = content;
        this.hashes = hashes;
        this.clock = clock;
        this.held = held;
    }

    @Override
    public long download(String fileId, String path, String versionId, String contentHash, long size, String replacing)
            throws IOException {
        Path target = folder.resolve(path);
        Fetch wanted = new Fetch(fileId, path, versionId, contentHash, size);
        Fetched got = fetchedAhead(wanted);
        Path temp = null;
        try {
            if (got == null) {
                got = fetch(wanted);
            }
            temp = got.temp();
            Files.createDirectories(target.getParent());
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                    throw new IOException("a folder is in the way of " + path);
                }
                if (replacing == null || !replacing.equals(hashes.hash(path, target))) {
                    // Written here since the scan: left alone, uploaded by the next pass.
                    return CHANGED;
                }
                quarantine(target);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
        }
        // The client's own write: hashed now, so the next scan does not read it again or take it for an edit.
        hashes.remember(path, target, contentHash);
        held.record(contentHash, got.blocks());
        return Inodes.of(target);
    }

    /**
     * The version's content in a new temporary file, checked against its hash: copied from a file here that has it,
     * else fetched, reusing the blocks the file there (and others here) hold.
     */
    private Fetched fetch(Fetch f) throws IOException {
        Path target = folder.resolve(f.path());
        Path previous = Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) ? target : null;
        Path temp = folder.newTemp();
        try {
            if (copiedHere(f, temp)) {
                return new Fetched(temp, List.of());
            }
            return new Fetched(
                    temp,
                    content.fetch(f.path(), f.fileId(), f.versionId(), f.contentHash(), f.size(), previous, temp));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /**
     * True when another file of the folder has the content (a copy, a file both devices made alike) and it is now in
     * {@code temp}, checked against the content hash: nothing to fetch.
     */
    private boolean copiedHere(Fetch f, Path temp) {
        List<String> leads;
        try {
            leads = held.withContent(f.contentHash());
        } catch (RuntimeException e) {
            return false;
        }
        byte[] buffer = leads.isEmpty() ? null : new byte[64 * 1024];
        for (String lead : leads) {
            ContentHasher hasher = new ContentHasher();
            try (InputStream in = Files.newInputStream(folder.resolve(lead), LinkOption.NOFOLLOW_LINKS);
                    OutputStream out = Files.newOutputStream(
                            temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    hasher.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            } catch (IOException | RuntimeException gone) {
                continue; // moved, deleted or unreadable since it was hashed
            }
            if (hasher.hexDigest().equals(f.contentHash())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized void fetchAhead(List<Fetch> fetches) {
        waiting.addAll(fetches);
        topUp();
    }

    /** The temporary file fetched ahead for {@code f}, or null if it was not (or failed: it is fetched again). */
    private Fetched fetchedAhead(Fetch f) throws IOException {
        Future<Fetched> future;
        synchronized (this) {
            future = fetched.remove(f);
            waiting.remove(f);
            topUp();
        }
        if (future == null) {
            return null;
        }
        try {
            return future.get();
        } catch (ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * Starts fetches in plan order while the window has room: a small new file together with the small new files
     * after it, up to a group ({@link #GROUP_FILES}, {@link #GROUP_BYTES}); a group waits until the window has room
     * for a whole one, so requests stay full while files are placed one by one.
     */
    private void topUp() {
        while (fetched.size() < FETCH_WINDOW && !waiting.isEmpty()) {
            Fetch first = waiting.iterator().next();
            if (!groupable(first)) {
                waiting.remove(first);
                fetched.put(first, fetchers.submit(() -> fetch(first)));
                continue;
            }
            int room = FETCH_WINDOW - fetched.size();
            if (room < GROUP_FILES && waiting.size() > room) {
                return;
            }
            List<Fetch> group = new ArrayList<>();
            long bytes = 0;
            for (Iterator<Fetch> it = waiting.iterator(); it.hasNext() && group.size() < GROUP_FILES; ) {
                Fetch next = it.next();
                if (!group.isEmpty() && (!groupable(next) || bytes + next.size() > GROUP_BYTES)) {
                    break;
                }
                group.add(next);
                bytes += next.size();
                it.remove();
            }
            List<CompletableFuture<Fetched>> futures = new ArrayList<>(group.size());
            for (Fetch f : group) {
                CompletableFuture<Fetched> future = new CompletableFuture<>();
                futures.add(future);
                fetched.put(f, future);
            }
            fetchers.execute(() -> fetchGroup(group, futures));
        }
    }

    private boolean groupable(Fetch f) {
        return f.size() <= GROUP_FILE && !Files.exists(folder.resolve(f.path()), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * A group's files in one request, each into its own temporary file (those a file here already has copied from
     * it); each completes (or fails) on its own.
     */
    private void fetchGroup(List<Fetch> group, List<CompletableFuture<Fetched>> futures) {
        List<Path> temps = new ArrayList<>(group.size());
        try {
            List<ContentSource.Whole> wholes = new ArrayList<>(group.size());
            List<Integer> asked = new ArrayList<>(group.size());
            for (int i = 0; i < group.size(); i++) {
                Fetch f = group.get(i);
                Path temp = folder.newTemp();
                temps.add(temp);
                if (copiedHere(f, temp)) {
                    futures.get(i).complete(new Fetched(temp, List.of()));
                } else {
                    wholes.add(new ContentSource.Whole(
                            f.path(), f.fileId(), f.versionId(), f.contentHash(), f.size(), temp));
                    asked.add(i);
                }
            }
            List<IOException> failures = wholes.isEmpty() ? List.of() : content.fetchAll(wholes);
            for (int j = 0; j < asked.size(); j++) {
                int i = asked.get(j);
                if (failures.get(j) == null) {
                    futures.get(i).complete(new Fetched(temps.get(i), List.of()));
                } else {
                    Files.deleteIfExists(temps.get(i));
                    futures.get(i).completeExceptionally(failures.get(j));
                }
            }
        } catch (IOException | RuntimeException e) {
            for (int i = 0; i < group.size(); i++) {
                if (futures.get(i).completeExceptionally(e) && i < temps.size()) {
                    try {
                        Files.deleteIfExists(temps.get(i));
                    } catch (IOException ignored) {
                        // The next start's tidy-up of the temporary folder takes it.
                    }
                }
            }
        }
    }

    @Override
    public void dropAhead() {
        List<Future<Fetched>> left;
        synchronized (this) {
            waiting.clear();
            left = List.copyOf(fetched.values());
            fetched.clear();
        }
        for (Future<Fetched> future : left) {
            try {
                Files.deleteIfExists(future.get().temp());
            } catch (ExecutionException | IOException e) {
                // Nothing was written, or the next start's tidy-up deletes it.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static ThreadPoolExecutor fetchers() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                PARALLEL_FETCHES, PARALLEL_FETCHES, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "syncbox-fetch");
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    @Override
    public long mkdir(String path) throws IOException {
        Path dir = folder.resolve(path);
        Files.createDirectories(dir);
        return Inodes.of(dir);
    }

    @Override
    public boolean move(String fromPath, String toPath) throws IOException {
        Path from = folder.resolve(fromPath);
        Path to = folder.resolve(toPath);
        if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        boolean caseOnly = Paths.sameKey(fromPath, toPath);
        if (Files.exists(to, LinkOption.NOFOLLOW_LINKS) && !(caseOnly && Files.isSameFile(from, to))) {
            return false;
        }
        Files.createDirectories(to.getParent());
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            return false;
        }
        hashes.moved(fromPath, toPath);
        return true;
    }

    @Override
    public boolean delete(String path, String contentHash) throws IOException {
        Path target = folder.resolve(path);
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> inside = Files.list(target)) {
                if (inside.findAny().isPresent()) {
                    return false;
                }
            }
            try {
                Files.delete(target);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                return e instanceof NoSuchFileException;
            }
            return true;
        }
        if (contentHash == null || !contentHash.equals(hashes.hash(path, target))) {
            return false;
        }
        quarantine(target);
        hashes.forget(path);
        return true;
    }

    @Override
    public long inode(String path) throws IOException {
        return Inodes.of(folder.resolve(path));
    }

    /** Moves a file into the quarantine under its own path, stamped with the time. */
    private void quarantine(Path file) throws IOException {
        Path relative = folder.root().relativize(file);
        Path kept = folder.quarantine().resolve(relative.toString() + "." + STAMP.format(clock.instant()));
        Files.createDirectories(kept.getParent());
        Files.move(file, kept, StandardCopyOption.ATOMIC_MOVE);
        // Kept from now: the 30 days count from the move, not from the file's last edit.
        FileTime now = FileTime.from(clock.instant());
        try (Stream<Path> all = Files.walk(kept)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(p, now);
            }
        }
        Files.setLastModifiedTime(kept, now);
    }

    /** Moves whatever is at {@code path} (a whole folder too) into the quarantine; nothing there is fine. */
    public void putAway(String path) throws IOException {
        Path target = folder.resolve(path);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            quarantine(target);
        }
    }

    /** Empties the quarantine of what it has kept longer than {@link #QUARANTINE_DAYS}. */
    public void expireQuarantine() throws IOException {
        Path quarantine = folder.quarantine();
        if (!Files.isDirectory(quarantine)) {
            return;
        }
        var oldest = clock.instant().minus(QUARANTINE_DAYS);
        try (Stream<Path> kept = Files.walk(quarantine)) {
            for (Path p : kept.filter(Files::isRegularFile).toList()) {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(oldest)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}

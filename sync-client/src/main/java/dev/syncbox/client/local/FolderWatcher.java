package dev.syncbox.client.local;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Watches every folder of the synced folder and calls {@code onChange} when anything in it changes (the client's own
 * corner excepted). When a folder cannot be watched — the inotify limit reached — the watcher says so through {@link
 * #degraded()} and the sync loop falls back to scanning on a timer, which it does anyway as a safety net.
 */
public final class FolderWatcher implements AutoCloseable {

    private final LocalFolder folder;
    private final Runnable onChange;
    private final WatchService watch;
    private final Thread thread;
    private volatile String degraded;

    public FolderWatcher(LocalFolder folder, Runnable onChange) throws IOException {
        this.folder = folder;
        this.onChange = onChange;
        this.watch = FileSystems.getDefault().newWatchService();
        this.thread = new Thread(this::run, "syncbox-watcher");
        this.thread.setDaemon(true);
    }

    public void start() throws IOException {
        registerTree(folder.root());
        thread.start();
    }

    /** Why some changes are only found by the periodic scan, or null when every folder is watched. */
    public String degraded() {
        return degraded;
    }

    private void registerTree(Path top) throws IOException {
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (dir.equals(folder.stateDir())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                try {
                    dir.register(
                            watch,
                            StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_DELETE,
                            StandardWatchEventKinds.ENTRY_MODIFY);
                } catch (IOException e) {
                    degraded = "cannot watch every folder (" + e.getMessage()
                            + "); changes there are found by the scan every 30 s. Raise"
                            + " fs.inotify.max_user_watches to watch them all";
                    return FileVisitResult.TERMINATE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watch.take();
                Path dir = (Path) key.watchable();
                boolean relevant = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        relevant = true;
                        continue;
                    }
                    Path changed = dir.resolve((Path) event.context());
                    if (changed.startsWith(folder.stateDir())) {
                        continue;
                    }
                    relevant = true;
                    if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(changed)) {
                        try {
                            registerTree(changed);
                        } catch (IOException e) {
                            // Gone again already: nothing to watch.
                        }
                    }
                }
                key.reset();
                if (relevant) {
                    onChange.run();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // Closed.
        }
    }

    @Override
    public void close() throws IOException {
        watch.close();
        thread.interrupt();
    }
}

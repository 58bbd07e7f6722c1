package dev.syncbox.client.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The synced folder on disk and the client's own corner of it, {@code .syncbox/}, which is never synced: the state
 * database, the marker that binds the folder to an account, downloads being written ({@code tmp/}) and what the client
 * replaced or deleted ({@code quarantine/}). Temporary files live in the folder so that moving them into place is an
 * atomic rename on the same file system.
 */
public final class LocalFolder {

    public static final String STATE_DIR = ".syncbox";

    private final Path root;

    public LocalFolder(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path stateDir() {
        return root.resolve(STATE_DIR);
    }

    public Path quarantine() {
        return stateDir().resolve("quarantine");
    }

    /** The local file of a server path ({@code /a/b} is {@code ROOT/a/b}). */
    public Path resolve(String path) {
        if (path.equals("/")) {
            return root;
        }
        Path resolved = root.resolve(path.substring(1)).normalize();
        if (!resolved.startsWith(root) || resolved.startsWith(stateDir())) {
            throw new IllegalArgumentException("not a path in the synced folder: " + path);
        }
        return resolved;
    }

    /** A new, empty file in {@code .syncbox/tmp/} for a download to be written into. */
    public Path newTemp() throws IOException {
        Path tmp = stateDir().resolve("tmp");
        Files.createDirectories(tmp);
        return Files.createFile(tmp.resolve(UUID.randomUUID() + ".part"));
    }
}

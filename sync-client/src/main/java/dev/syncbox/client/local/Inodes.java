package dev.syncbox.client.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A local entry's inode, which stays with it through renames: how the client tells a move from delete + create. */
public final class Inodes {

    private Inodes() {}

    /** The inode of {@code path}, 0 if there is nothing there. */
    public static long of(Path path) throws IOException {
        try {
            return ((Number) Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
        } catch (NoSuchFileException e) {
            return 0;
        }
    }
}

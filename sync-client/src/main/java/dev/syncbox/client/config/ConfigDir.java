package dev.syncbox.client.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the client keeps the account it is signed in to: {@code --config-dir}, else {@code SYNCBOX_CONFIG_DIR}, else
 * {@code $XDG_CONFIG_HOME/syncbox}, else {@code ~/.config/syncbox}. Per-folder state lives in the folder's own
 * {@code .syncbox/}.
 */
public final class ConfigDir {

    private ConfigDir() {}

    public static Path resolve(Path option, Map<String, String> env, String home) {
        if (option != null) {
            return option;
        }
        String dir = env.get("SYNCBOX_CONFIG_DIR");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "syncbox");
        }
        return Path.of(home, ".config", "syncbox");
    }
}

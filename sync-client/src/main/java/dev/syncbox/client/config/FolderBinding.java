package dev.syncbox.client.config;

import dev.syncbox.client.local.LocalFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which account a folder is synced with. The first sync of a folder writes a marker ({@code .syncbox/folder.json}:
 * server, user, a folder id) and notes the folder in the config dir ({@code folders.json}). From then on a folder
 * the config dir knows but whose marker or state database is gone — an unmounted drive, a folder restored from an
 * old backup, a deleted {@code .syncbox/} — is refused, never read as "everything was deleted"; so is a folder bound to
 * another account.
 */
public final class FolderBinding {

    /** The marker's content. */
    public record Marker(String folderId, String server, long userId) {}

    /** Why a folder is not synced as it is. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    static final String FOLDERS = "folders.json";
    static final String MARKER = "folder.json";
    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();
    private static final TypeReference<LinkedHashMap<String, String>> BOUND = new TypeReference<>() {};

    private FolderBinding() {}

    /** Checks the folder against the account and the config dir; binds it on its first sync. */
    public static Marker check(LocalFolder folder, Credentials account, Path configDir) throws IOException, Refused {
        if (!Files.isDirectory(folder.root())) {
            throw new Refused(
                    folder.root() + " is not a folder (not there, or a drive not mounted); nothing is synced");
        }
        Path markerFile = folder.stateDir().resolve(MARKER);
        Map<String, String> bound = bound(configDir);
        String path = folder.root().toString();
        if (Files.exists(markerFile)) {
            Marker marker = JSON.readValue(Files.readString(markerFile), Marker.class);
            if (marker.userId() != account.userId() || !marker.server().equals(account.server())) {
                throw new Refused(folder.root() + " is synced with another account (user " + marker.userId() + " on "
                        + marker.server() + "); sign in to that one, or sync another folder");
            }
            if (!Files.exists(folder.stateDir().resolve("state.db"))) {
                throw new Refused("the state database of " + folder.root() + " is missing; nothing is planned"
                        + " without it. Move .syncbox/ away to sync the folder as a new one");
            }
            if (!marker.folderId().equals(bound.get(path))) {
                bound.put(path, marker.folderId());
                save(configDir, bound);
            }
            return marker;
        }
        if (bound.containsKey(path)) {
            throw new Refused(folder.root() + " was synced before, but its .syncbox/ marker is gone (an unmounted"
                    + " drive, or a restore?). Nothing is deleted on either side. Run `syncbox unbind "
                    + folder.root() + "` to sync it as a new folder");
        }
        Marker marker = new Marker(UUID.randomUUID().toString(), account.server(), account.userId());
        Files.createDirectories(folder.stateDir());
        Path temp = folder.stateDir().resolve(MARKER + ".tmp");
        Files.writeString(temp, JSON.writeValueAsString(marker));
        Files.move(temp, markerFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        bound.put(path, marker.folderId());
        save(configDir, bound);
        return marker;
    }

    /** Forgets that the config dir synced this folder: its next sync starts it afresh. */
    public static boolean unbind(LocalFolder folder, Path configDir) throws IOException {
        Map<String, String> bound = bound(configDir);
        boolean was = bound.remove(folder.root().toString()) != null;
        save(configDir, bound);
        return was;
    }

    private static Map<String, String> bound(Path configDir) throws IOException {
        Path file = configDir.resolve(FOLDERS);
        if (!Files.exists(file)) {
            return new LinkedHashMap<>();
        }
        return JSON.readValue(Files.readString(file), BOUND);
    }

    private static void save(Path configDir, Map<String, String> bound) throws IOException {
        Files.createDirectories(configDir);
        Path temp = configDir.resolve(FOLDERS + ".tmp");
        Files.writeString(temp, JSON.writeValueAsString(bound));
        Files.move(
                temp, configDir.resolve(FOLDERS), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}

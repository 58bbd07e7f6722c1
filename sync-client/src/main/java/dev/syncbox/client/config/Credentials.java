package dev.syncbox.client.config;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The account this client is signed in to: the server's address, the email, the device's token and id. Kept in
 * {@code credentials.json} in the config folder, readable by its owner only (mode 0600, set when the file is made,
 * before the token is written; the folder 0700).
 */
public record Credentials(String server, String email, long userId, String deviceId, String accessToken) {

    static final String FILE = "credentials.json";

    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    /** The saved credentials, or null when this client has not signed in. */
    public static Credentials load(Path configDir) throws IOException {
        Path file = configDir.resolve(FILE);
        if (!Files.exists(file)) {
            return null;
        }
        return JSON.readValue(Files.readString(file), Credentials.class);
    }

    public void save(Path configDir) throws IOException {
        if (!Files.isDirectory(configDir)) {
            Files.createDirectories(
                    configDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path temp = configDir.resolve(FILE + ".tmp");
        Files.deleteIfExists(temp);
        try {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            throw new IOException("another login is writing " + temp, e);
        }
        Files.setPosixFilePermissions(temp, Set.copyOf(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, JSON.writeValueAsString(this));
        Files.move(temp, configDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public static boolean delete(Path configDir) throws IOException {
        return Files.deleteIfExists(configDir.resolve(FILE));
    }
}

package dev.syncbox.server.dropbox;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.crypto.SecretKey;
import org.springframework.stereotype.Component;

/**
 * {@code files/get_temporary_link}'s links: {@code /apitl/1/<token>}, where the token names the user, the file and the
 * version, and expires after four hours, signed with a key derived from the services' token key. Whoever holds the
 * link reads that version without a token, while its user still may (a revoked share ends it).
 */
@Component
public class TemporaryLinks {

    /** How long a link works, as Dropbox's do. */
    public static final Duration LIFETIME = Duration.ofHours(4);

    /** The path every link starts with. */
    public static final String PREFIX = "/apitl/1/";

    /** What a valid link names. */
    public record Link(long userId, String fileId, String versionId, Instant expiresAt) {}

    private final Signer signer;
    private final Clock clock;

    TemporaryLinks(SecretKey tokenSigningKey, Clock clock) {
        this.signer = Signer.derive(tokenSigningKey, "syncbox temporary links v1");
        this.clock = clock;
    }

    /** A link's token for the version {@code versionId} of {@code fileId}, read as {@code userId}. */
    public String issue(long userId, String fileId, String versionId) {
        byte[] file = fileId.getBytes(StandardCharsets.US_ASCII);
        byte[] version = versionId.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer body = ByteBuffer.allocate(8 + 8 + 1 + file.length + 1 + version.length);
        body.putLong(userId).putLong(clock.instant().plus(LIFETIME).getEpochSecond());
        body.put((byte) file.length).put(file).put((byte) version.length).put(version);
        return signer.seal(body.array());
    }

    /** The link a token names, or null when it is malformed, forged or expired. */
    public Link verify(String token) {
        byte[] body = signer.open(token);
        if (body == null) {
            return null;
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(body);
            long userId = in.getLong();
            Instant expires = Instant.ofEpochSecond(in.getLong());
            byte[] file = new byte[in.get()];
            in.get(file);
            byte[] version = new byte[in.get()];
            in.get(version);
            if (in.hasRemaining() || !clock.instant().isBefore(expires)) {
                return null;
            }
            return new Link(
                    userId,
                    new String(file, StandardCharsets.US_ASCII),
                    new String(version, StandardCharsets.US_ASCII),
                    expires);
        } catch (java.nio.BufferUnderflowException | NegativeArraySizeException e) {
            return null;
        }
    }
}

package dev.syncbox.sync.dropbox;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The opaque cursors and job ids of the Dropbox routes: a record as JSON, signed with a key derived from the services'
 * token key (as {@code TemporaryLinks} does), base64url. What a client holds names its user, so a cursor needs no
 * server-side state and a forged or garbled one is refused.
 */
@Component
class DropboxCursors {

    /**
     * A {@code files/list_folder} cursor.
     *
     * @param scope the listed folder, at the user's path ({@code /} for the root)
     * @param shares the user's share stamp when it was made; {@link #UNWATCHED} when the scope holds no mount points
     * @param streams the journals followed, each with its position
     * @param stages what is still to be listed (the first listing, a share new to the user, a folder moved in)
     * @param after where the first stage stopped: the last path key it gave, at the user's path; null to start it
     * @param limit the page size list_folder was given, which its continuations keep, as Dropbox's do
     */
    record ListCursor(
            long user,
            String scope,
            boolean recursive,
            boolean deleted,
            long shares,
            List<Stream> streams,
            List<Stage> stages,
            String after,
            int limit) {

        static final long UNWATCHED = -1;

        ListCursor with(long newShares, List<Stream> newStreams, List<Stage> newStages, String newAfter) {
            return new ListCursor(user, scope, recursive, deleted, newShares, newStreams, newStages, newAfter, limit);
        }
    }

    /**
     * One journal and how far it has been read: the user's root ({@code item} null, {@code mount} {@code /}) or a
     * shared item's, whose {@code /} is the item, seen at {@code mount}.
     */
    record Stream(long namespace, long seq, String mount, String item) {

        Stream at(long newSeq) {
            return new Stream(namespace, newSeq, mount, item);
        }
    }

    /** A folder (or a shared file) to list at the user's {@code path}: its contents, and itself when {@code self}. */
    record Stage(String path, boolean self) {}

    /** A {@code sharing/list_folders} cursor: the shared folder id the last page ended with. */
    record FoldersCursor(long user, String after) {}

    /** A finished {@code sharing/remove_folder_member} job: who removed whom from which folder. */
    record RemovalJob(long user, String folder, long member) {}

    private static final int MAC_LENGTH = 32;

    private final SecretKeySpec key;
    private final JsonMapper json;

    DropboxCursors(SecretKey tokenSigningKey, JsonMapper json) {
        this.key = new SecretKeySpec(
                hmac(tokenSigningKey, "syncbox dropbox cursors v1".getBytes(StandardCharsets.UTF_8)), "HmacSHA256");
        this.json = json;
    }

    String seal(Object value) {
        byte[] body = json.writeValueAsBytes(value);
        byte[] mac = hmac(key, purpose(value.getClass(), body));
        byte[] out = Arrays.copyOf(body, body.length + MAC_LENGTH);
        System.arraycopy(mac, 0, out, body.length, MAC_LENGTH);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }

    /** The value {@code text} holds, or null when it is not one of ours (garbled, forged, of another kind). */
    <T> T open(String text, Class<T> type) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            byte[] signed = Base64.getUrlDecoder().decode(text);
            if (signed.length <= MAC_LENGTH) {
                return null;
            }
            byte[] body = Arrays.copyOf(signed, signed.length - MAC_LENGTH);
            byte[] mac = Arrays.copyOfRange(signed, signed.length - MAC_LENGTH, signed.length);
            if (!MessageDigest.isEqual(mac, hmac(key, purpose(type, body)))) {
                return null;
            }
            return json.readValue(body, type);
        } catch (IllegalArgumentException | JacksonException e) {
            return null;
        }
    }

    /** The kind of value is signed with it: a job id is never taken for a cursor. */
    private static byte[] purpose(Class<?> type, byte[] body) {
        byte[] name = (type.getSimpleName() + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(name, name.length + body.length);
        System.arraycopy(body, 0, out, name.length, body.length);
        return out;
    }

    private static byte[] hmac(SecretKey key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

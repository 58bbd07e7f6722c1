package dev.syncbox.sync.dropbox;

import dev.syncbox.server.dropbox.Signer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
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

    private final SecretKey tokenSigningKey;
    private final JsonMapper json;
    private final Map<Class<?>, Signer> signers = new ConcurrentHashMap<>();

    DropboxCursors(SecretKey tokenSigningKey, JsonMapper json) {
        this.tokenSigningKey = tokenSigningKey;
        this.json = json;
    }

    String seal(Object value) {
        return signer(value.getClass()).seal(json.writeValueAsBytes(value));
    }

    /** The value {@code text} holds, or null when it is not one of ours (garbled, forged, of another kind). */
    <T> T open(String text, Class<T> type) {
        byte[] body = signer(type).open(text);
        if (body == null) {
            return null;
        }
        try {
            return json.readValue(body, type);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** Each kind of value signs with its own key: a job id is never taken for a cursor. */
    private Signer signer(Class<?> type) {
        return signers.computeIfAbsent(
                type, t -> Signer.derive(tokenSigningKey, "syncbox dropbox cursors v1\n" + t.getSimpleName()));
    }
}

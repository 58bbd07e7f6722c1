package dev.syncbox.upload.dropbox;

import dev.syncbox.server.dropbox.DropboxApiException;
import dev.syncbox.server.dropbox.DropboxArgs;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A {@code CommitInfo}: where the upload goes and how it meets a file already there ({@code add}, {@code overwrite}
 * or {@code update} of a {@code rev}). {@code client_modified} is kept as the version's client modification time;
 * {@code mute} and {@code property_groups} are checked for their type and otherwise not kept: syncbox sends no
 * notifications.
 */
record Commit(
        String path, String mode, String rev, boolean autorename, boolean strictConflict, Instant clientModified) {

    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    private static final Pattern REV = Pattern.compile("[0-9a-f]{9,}");
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    static Commit of(DropboxArgs arg) {
        String path = arg.string("path");
        String mode = arg.tag("mode", "add");
        String rev = null;
        switch (mode) {
            case "add", "overwrite" -> {}
            case "update" -> {
                rev = arg.union("mode").string("update");
                if (!REV.matcher(rev).matches()) {
                    throw DropboxApiException.badInput("'update' must be a rev: at least 9 lowercase hex characters");
                }
            }
            default -> throw DropboxApiException.badInput("Unknown mode '" + mode + "': add, overwrite or update");
        }
        String clientModified = arg.optionalString("client_modified");
        if (clientModified != null && !TIME.matcher(clientModified).matches()) {
            throw DropboxApiException.badInput("client_modified must be a time as %Y-%m-%dT%H:%M:%SZ");
        }
        arg.bool("mute", false);
        return new Commit(
                path,
                mode,
                rev,
                arg.bool("autorename", false),
                arg.bool("strict_conflict", false),
                clientModified == null ? null : Instant.parse(clientModified));
    }

    /** The {@code content_hash} of the bytes a call carries, if the caller gave one. */
    static String contentHash(DropboxArgs arg) {
        String hash = arg.optionalString("content_hash");
        if (hash != null && !HASH.matcher(hash).matches()) {
            throw DropboxApiException.badInput("content_hash must be 64 lowercase hex characters");
        }
        return hash;
    }

    boolean update() {
        return mode.equals("update");
    }
}

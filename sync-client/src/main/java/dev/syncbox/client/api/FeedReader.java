package dev.syncbox.client.api;

import dev.syncbox.client.engine.SyncEngine;
import dev.syncbox.client.plan.RemoteEntry;
import dev.syncbox.client.sync.RemoteSide.Refused;
import dev.syncbox.client.sync.RemoteTree;
import java.io.IOException;
import tools.jackson.databind.JsonNode;

/**
 * Pages {@code /files/sync} from the saved cursor into the remote tree until {@code has_more} is false. A cursor the
 * server no longer takes ({@code 409 reset}, or {@code 400 invalid_cursor} after a server was rebuilt) clears the
 * tree and lists everything again; the planner then matches what it finds by content, so nothing is transferred twice.
 */
public final class FeedReader implements SyncEngine.Feed {

    static final int PAGE = 1000;

    private final ServerClient server;

    public FeedReader(ServerClient server) {
        this.server = server;
    }

    @Override
    public void drain(String cursor, RemoteTree tree, SyncEngine.Pages pages) throws IOException {
        String at = cursor;
        if (at == null) {
            // A listing is the whole tree, not changes to what is here: what a listing cut short left must go.
            pages.take(tree::clear, null);
        }
        while (true) {
            JsonNode page;
            try {
                page = server.get(
                        "/files/sync?limit=" + PAGE + (at == null ? "" : "&cursor=" + ServerClient.query(at)));
            } catch (Refused e) {
                if (at != null && (e.code().equals("reset") || e.code().equals("invalid_cursor"))) {
                    pages.take(tree::clear, null);
                    at = null;
                    continue;
                }
                throw e;
            }
            at = page.path("next_cursor").asString();
            pages.take(
                    () -> {
                        for (JsonNode change : page.path("changes")) {
                            apply(change, tree);
                        }
                    },
                    at);
            if (!page.path("has_more").asBoolean(false)) {
                return;
            }
        }
    }

    /** Applies one change of the feed (an entry of {@code changes}) to the tree. */
    public static void apply(JsonNode change, RemoteTree tree) {
        String path = change.path("path").asString();
        switch (change.path("operation").asString()) {
            case "DELETE" -> tree.removeTree(path);
            case "CREATE", "UPDATE", "MOVE" ->
                tree.put(
                        new RemoteEntry(
                                change.path("file_id").asString(),
                                path,
                                change.path("is_dir").asBoolean(false),
                                change.path("version_id").asString(null),
                                change.path("content_hash").asString(null),
                                change.path("size").asLong(0)),
                        change.path("from_path").asString(null));
            default -> {
                // An operation this client does not know: the next full listing carries its result.
            }
        }
    }
}

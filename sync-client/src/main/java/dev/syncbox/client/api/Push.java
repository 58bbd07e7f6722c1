package dev.syncbox.client.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The server's push: a WebSocket on {@code /files/sync/ws} that says {@code {"changes": true}} whenever this device is
 * behind, told the device's cursor after every sync. When the socket cannot be opened or drops, the long-poll takes
 * over until the socket can be opened again, with growing waits between attempts; either way {@code onChanges} runs.
 */
public final class Push implements AutoCloseable {

    private static final Duration LONGPOLL = Duration.ofSeconds(90);

    private final ServerClient server;
    private final Supplier<String> cursor;
    private final Runnable onChanges;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Thread thread;
    private volatile boolean closed;
    private volatile WebSocket socket;
    private volatile String mode = "connecting";

    public Push(ServerClient server, Supplier<String> cursor, Runnable onChanges) {
        this.server = server;
        this.cursor = cursor;
        this.onChanges = onChanges;
        this.thread = new Thread(this::run, "syncbox-push");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** {@code websocket}, {@code long-poll} or {@code connecting}: for {@code status}. */
    public String mode() {
        return mode;
    }

    /** Tells the socket where the device now is, so it is told of anything after that. */
    public void at(String now) {
        WebSocket open = socket;
        if (open != null && now != null) {
            open.sendText("{\"cursor\": \"" + now.replace("\"", "") + "\"}", true);
        }
    }

    private void run() {
        long backoff = 1;
        while (!closed) {
            CompletableFuture<Void> gone = new CompletableFuture<>();
            try {
                socket = connect(gone);
                mode = "websocket";
                backoff = 1;
                gone.join();
            } catch (RuntimeException e) {
                // No socket: long-poll until the next attempt.
                mode = "long-poll";
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.min(backoff, 300));
                backoff = Math.min(backoff * 2, 300);
                while (!closed && System.nanoTime() < until) {
                    longPoll();
                }
            } finally {
                socket = null;
            }
        }
    }

    private WebSocket connect(CompletableFuture<Void> gone) {
        String base = server.base().toString().replaceFirst("^http", "ws");
        String at = cursor.get();
        URI uri = URI.create(base + "/files/sync/ws" + (at == null ? "" : "?cursor=" + ServerClient.query(at)));
        return http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + server.token())
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        if (data.toString().contains("\"changes\"")) {
                            onChanges.run();
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                        gone.complete(null);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket ws, Throwable error) {
                        gone.complete(null);
                    }
                })
                .join();
    }

    private void longPoll() {
        String at = cursor.get();
        if (at == null) {
            sleep(Duration.ofSeconds(5));
            return;
        }
        try {
            var answer = server.get("/files/sync/longpoll?timeout=60&cursor=" + ServerClient.query(at), LONGPOLL);
            if (answer.path("changes").asBoolean(false)) {
                onChanges.run();
            }
            long backoff = answer.path("backoff").asLong(0);
            if (backoff > 0) {
                sleep(Duration.ofSeconds(backoff));
            }
        } catch (IOException e) {
            sleep(Duration.ofSeconds(5));
        }
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        WebSocket open = socket;
        if (open != null) {
            open.abort();
        }
        thread.interrupt();
    }
}

package dev.syncbox.sync.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.TestAccounts.TestUser;
import dev.syncbox.sync.SyncServiceIT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code GET /files/sync/ws} against the real stack, with the JDK's WebSocket client. Waits are
 * generous: a notification is awaited, never timed.
 */
class SyncWebSocketIT extends SyncServiceIT {

    private static final String CHANGES = "{\"changes\": true}";
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired
    private SyncSockets sockets;

    @Autowired
    private ChangeWaiters waiters;

    private final List<Client> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(Client::abort);
    }

    @Test
    void shouldNotifyASocketOpenedWithTheHeaderWhenAnotherDeviceMakesAFolder() throws Exception {
        Client socket = connect("", deviceB.bearer());
        awaitOpen(deviceB);

        mkdir(deviceA, "/from-a");

        assertThat(socket.next()).isEqualTo(CHANGES);
    }

    @Test
    void shouldTakeTheTokenFromTheQueryForBrowsers() throws Exception {
        String cursor = drain(deviceB, null, 100).cursor();
        Client socket = connect("?access_token=" + deviceB.token() + "&cursor=" + cursor, null);
        awaitOpen(deviceB);

        mkdir(deviceA, "/for-the-browser");

        assertThat(socket.next()).isEqualTo(CHANGES);
        assertThat(drain(deviceB, cursor, 100).describe()).containsExactly("CREATE /for-the-browser");
    }

    @Test
    void shouldNotifyAtOnceWhenTheCursorIsBehind() throws Exception {
        String cursor = drain(deviceB, null, 100).cursor();
        mkdir(deviceA, "/already-there");

        Client socket = connect("?cursor=" + cursor, deviceB.bearer());

        assertThat(socket.next()).isEqualTo(CHANGES);
    }

    @Test
    void shouldSendNothingAtConnectWhenTheCursorIsCurrentAndThenEveryChange() throws Exception {
        mkdir(deviceA, "/old");
        String cursor = drain(deviceB, null, 100).cursor();

        Client socket = connect("?cursor=" + cursor, deviceB.bearer());
        awaitOpen(deviceB);

        assertThat(socket.texts.poll(1, TimeUnit.SECONDS))
                .as("nothing is behind")
                .isNull();
        mkdir(deviceA, "/first");
        assertThat(socket.next()).isEqualTo(CHANGES);
        mkdir(deviceA, "/second");
        assertThat(socket.next()).as("every change, not just the first").isEqualTo(CHANGES);
    }

    @Test
    void shouldCompareACursorTheClientSendsAndIgnoreOtherFrames() throws Exception {
        String cursor = drain(deviceB, null, 100).cursor();
        mkdir(deviceA, "/meanwhile");
        Client socket = connect("", deviceB.bearer());
        awaitOpen(deviceB);

        socket.ws.sendText("hello", true).get(30, TimeUnit.SECONDS);
        socket.ws.sendText("{\"something\": 1}", true).get(30, TimeUnit.SECONDS);
        socket.ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(30, TimeUnit.SECONDS);
        socket.ws.sendText("{\"cursor\": \"" + cursor + "\"}", true).get(30, TimeUnit.SECONDS);

        assertThat(socket.next()).as("the cursor sent is behind").isEqualTo(CHANGES);
        assertThat(socket.closed).isNotDone();
    }

    @Test
    void shouldCloseWithPolicyViolationOnACursorThatIsNotTheUsers() throws Exception {
        Client atConnect = connect("?cursor=forged", deviceB.bearer());
        Closed closed = atConnect.closed.get(30, TimeUnit.SECONDS);
        assertThat(closed.code()).isEqualTo(1008);
        assertThat(closed.reason()).contains("invalid_cursor");

        String othersCursor = drain(accounts.create(), null, 100).cursor();
        Client later = connect("", deviceB.bearer());
        later.ws.sendText("{\"cursor\": \"" + othersCursor + "\"}", true).get(30, TimeUnit.SECONDS);
        Closed laterClosed = later.closed.get(30, TimeUnit.SECONDS);
        assertThat(laterClosed.code()).isEqualTo(1008);
        assertThat(laterClosed.reason()).contains("invalid_cursor");
    }

    @Test
    void shouldRefuseTheHandshakeWithoutAValidToken() throws Exception {
        assertThat(handshakeStatus("", null)).isEqualTo(401);
        assertThat(handshakeStatus("", "Bearer not-a-token")).isEqualTo(401);
        assertThat(handshakeStatus("?access_token=not-a-token", null)).isEqualTo(401);
        assertThat(handshakeStatus("?access_token=" + deviceB.token(), deviceB.bearer()))
                .as("two tokens")
                .isEqualTo(401);

        Api.Response problem = api.get("/files/sync/ws", null);
        assertThat(problem.status()).isEqualTo(401);
        assertThat(problem.code()).isEqualTo("unauthorized");
    }

    @Test
    void shouldTakeTheQueryTokenOnTheSocketOnly() {
        assertThat(api.get("/auth/check?access_token=" + deviceB.token(), null).status())
                .isEqualTo(401);
        assertThat(api.get("/auth/check", deviceB.bearer()).status()).isEqualTo(200);
    }

    @Test
    void shouldRefuseARevokedDeviceAndCloseItsOpenSocket() throws Exception {
        Client open = connect("", deviceB.bearer());
        awaitOpen(deviceB);

        Api.Response revoked = api.json(api.request("/devices/" + deviceB.deviceId())
                .header("Authorization", deviceA.bearer())
                .DELETE());
        assertThat(revoked.status()).isEqualTo(204);

        Closed closed = open.closed.get(30, TimeUnit.SECONDS);
        assertThat(closed.code()).isEqualTo(1008);
        assertThat(closed.reason()).contains("unauthorized");
        assertThat(handshakeStatus("", deviceB.bearer())).isEqualTo(401);
        assertThat(handshakeStatus("?access_token=" + deviceB.token(), null)).isEqualTo(401);
    }

    @Test
    void shouldNotifyTheShareeOfANewShareAndOfChangesInsideIt() throws Exception {
        String team = mkdir(deviceA, "/Team").text("file_id");
        TestUser sharee = accounts.create();
        Client socket = connect("", sharee.bearer());
        awaitOpen(sharee);

        share(team, sharee);
        assertThat(socket.next()).as("the share itself").isEqualTo(CHANGES);
        String cursor = drain(sharee, null, 100).cursor();

        mkdir(deviceA, "/Team/plans");
        assertThat(socket.next()).as("a change in the shared folder").isEqualTo(CHANGES);
        assertThat(drain(sharee, cursor, 100).describe()).containsExactly("CREATE /Team/plans");
    }

    @Test
    void shouldNotifyAShareeConnectedWithACursorOfAChangeInASharedFolder() throws Exception {
        String team = mkdir(deviceA, "/Shared").text("file_id");
        TestUser sharee = accounts.create();
        share(team, sharee);
        String cursor = drain(sharee, null, 100).cursor();

        Client socket = connect("?cursor=" + cursor, sharee.bearer());
        awaitOpen(sharee);
        commit(deviceA, "/Shared/notes.txt", "for the sharee");

        assertThat(socket.next()).isEqualTo(CHANGES);
    }

    @Test
    void shouldLetGoOfAClosedSocket() throws Exception {
        Client socket = connect("", deviceB.bearer());
        awaitOpen(deviceB);
        assertThat(waiters.waiting(deviceB.namespaceId())).isEqualTo(1);

        socket.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(30, TimeUnit.SECONDS);

        await().atMost(PATIENCE).until(() -> sockets.openFor(deviceB.deviceId()) == 0);
        await().atMost(PATIENCE).until(() -> waiters.waiting(deviceB.namespaceId()) == 0);
    }

    @Test
    void shouldPingWellWithinThirtySeconds() {
        assertThat(sockets.pingInterval()).isEqualTo(Duration.ofSeconds(25));
    }

    private void share(String fileId, TestUser with) {
        assertThat(api.postJson(
                                "/files/" + fileId + "/share",
                                deviceA.bearer(),
                                Map.of("user_id", with.userId(), "permission", "READ"))
                        .status())
                .isEqualTo(201);
    }

    /** Until the service waits on the device's namespaces: only changes after that are owed to it. */
    private void awaitOpen(TestUser device) {
        await().atMost(PATIENCE).until(() -> sockets.openFor(device.deviceId()) == 1);
    }

    private URI uri(String query) {
        return URI.create("ws://127.0.0.1:" + port + "/files/sync/ws" + query);
    }

    private Client connect(String query, String bearer) throws Exception {
        Client client = new Client();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder();
        if (bearer != null) {
            builder.header("Authorization", bearer);
        }
        builder.connectTimeout(PATIENCE).buildAsync(uri(query), client).get(30, TimeUnit.SECONDS);
        clients.add(client);
        return client;
    }

    private int handshakeStatus(String query, String bearer) throws Exception {
        try {
            connect(query, bearer);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
            return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
        }
        throw new AssertionError("the handshake succeeded");
    }

    record Closed(int code, String reason) {}

    /** Collects what the service sends. */
    static final class Client implements WebSocket.Listener {

        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final CompletableFuture<Closed> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        volatile WebSocket ws;

        @Override
        public void onOpen(WebSocket webSocket) {
            ws = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                texts.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        String next() throws InterruptedException {
            String text = texts.poll(30, TimeUnit.SECONDS);
            assertThat(text).as("a frame within 30 s").isNotNull();
            return text;
        }

        void abort() {
            if (ws != null) {
                ws.abort();
            }
        }
    }
}

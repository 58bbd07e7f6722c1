package dev.syncbox.sync.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.syncbox.server.web.CurrentUser;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

class SocketKeepAliveTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final WebSocketSession session = mock(WebSocketSession.class);
    private final AtomicInteger released = new AtomicInteger();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private SyncSocket socket() {
        when(session.isOpen()).thenReturn(true);
        // As SyncSockets does: a socket closed from this side is released, which ends its pings.
        return new SyncSocket(session, new CurrentUser(1, "device"), "token", s -> {}, s -> {
            released.incrementAndGet();
            s.closed();
        });
    }

    @Test
    void shouldPingEveryInterval() throws Exception {
        SyncSocket socket = socket();

        new SocketKeepAlive(scheduler, Duration.ofMillis(20), token -> true).start(socket);

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> verify(session, atLeast(3)).sendMessage(any(PingMessage.class)));
        verify(session, never()).sendMessage(any(TextMessage.class));
    }

    @Test
    void shouldStopPingingOnceClosed() throws Exception {
        SyncSocket socket = socket();
        new SocketKeepAlive(scheduler, Duration.ofMillis(20), token -> true).start(socket);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> verify(session, atLeast(1)).sendMessage(any(PingMessage.class)));

        socket.closed();
        Thread.sleep(50); // a tick already past its check may still send one
        int pings = pings();
        Thread.sleep(200);

        assertThat(pings()).as("no ping after the close").isEqualTo(pings);
    }

    private int pings() {
        return (int) mockingDetails(session).getInvocations().stream()
                .filter(i -> i.getMethod().getName().equals("sendMessage"))
                .count();
    }

    @Test
    void shouldCloseASocketWhoseTokenNoLongerHolds() throws Exception {
        SyncSocket socket = socket();

        new SocketKeepAlive(scheduler, Duration.ofMillis(20), token -> false).start(socket);

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> verify(session).close(new CloseStatus(1008, "unauthorized")));
        assertThat(released).hasValue(1);
        verify(session, never()).sendMessage(any(PingMessage.class));
    }

    @Test
    void shouldLetGoOfASocketClosedUnderneathIt() {
        SyncSocket socket = socket();
        when(session.isOpen()).thenReturn(false);

        new SocketKeepAlive(scheduler, Duration.ofMillis(20), token -> true).tick(socket);

        assertThat(released).hasValue(1);
    }

    @Test
    void shouldRefuseAnIntervalThatIsNotPositive() {
        assertThatThrownBy(() -> new SocketKeepAlive(scheduler, Duration.ZERO, token -> true))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.syncbox.sync.feed;

import dev.syncbox.server.web.CurrentUser;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.server.HandshakeInterceptor;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /files/sync/ws}: sends {@code {"changes": true}} whenever the device is behind, reads
 * {@code {"cursor": "…"}} from the client and ignores any other frame. Nothing here throws: Spring
 * would close the socket with 1011 and log the whole session.
 */
@Component
class SyncSocketHandler extends AbstractWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(SyncSocketHandler.class);

    private static final String USER = "syncbox.user";
    private static final String TOKEN = "syncbox.token";
    private static final String CURSOR = "syncbox.cursor";
    private static final String SOCKET = "syncbox.socket";

    /** A client that takes longer than this to read what is queued for it, or lets this much pile up, is closed. */
    private static final int SEND_TIME_LIMIT_MS = 10_000;

    private static final int SEND_BUFFER_LIMIT = 64 * 1024;

    private final SyncSockets sockets;
    private final JsonMapper json;

    SyncSocketHandler(SyncSockets sockets, JsonMapper json) {
        this.sockets = sockets;
        this.json = json;
    }

    /** Keeps the caller (authenticated by then, like any request) and the cursor of the handshake. */
    static final class Handshake implements HandshakeInterceptor {

        @Override
        public boolean beforeHandshake(
                ServerHttpRequest request,
                ServerHttpResponse response,
                WebSocketHandler handler,
                Map<String, Object> attributes) {
            if (!(SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token)) {
                response.setStatusCode(HttpStatus.UNAUTHORIZED);
                return false;
            }
            attributes.put(
                    USER,
                    new CurrentUser(
                            Long.parseLong(token.getToken().getSubject()),
                            token.getToken().getClaimAsString("device_id")));
            attributes.put(TOKEN, token.getToken().getTokenValue());
            if (request instanceof ServletServerHttpRequest servlet) {
                String cursor = servlet.getServletRequest().getParameter("cursor");
                if (cursor != null) {
                    attributes.put(CURSOR, cursor);
                }
            }
            return true;
        }

        @Override
        public void afterHandshake(
                ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler, Exception e) {}
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        Map<String, Object> attributes = session.getAttributes();
        WebSocketSession concurrent =
                new ConcurrentWebSocketSessionDecorator(session, SEND_TIME_LIMIT_MS, SEND_BUFFER_LIMIT);
        try {
            SyncSocket socket = sockets.open(
                    concurrent, (CurrentUser) attributes.get(USER), (String) attributes.get(TOKEN), (String)
                            attributes.get(CURSOR));
            attributes.put(SOCKET, socket);
            if (!session.isOpen()) {
                sockets.closed(socket);
            }
        } catch (RuntimeException e) {
            log.warn("opening a sync socket failed: {}", e.toString());
            close(concurrent, SyncSocket.UNAVAILABLE);
        }
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        if (!(session.getAttributes().get(SOCKET) instanceof SyncSocket socket)) {
            return;
        }
        String cursor;
        try {
            JsonNode frame = json.readTree(message.getPayload());
            JsonNode field = frame.path("cursor");
            cursor = frame.isObject() && field.isString() ? field.asString() : null;
        } catch (JacksonException e) {
            return;
        }
        if (cursor == null || cursor.isBlank()) {
            return;
        }
        try {
            sockets.compare(socket, cursor);
        } catch (RuntimeException e) {
            log.warn("a sync socket's cursor failed: {}", e.toString());
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        // The container closes the session next: afterConnectionClosed cleans up.
        log.debug("sync socket transport error: {}", exception.toString());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        if (session.getAttributes().get(SOCKET) instanceof SyncSocket socket) {
            try {
                sockets.closed(socket);
            } catch (RuntimeException e) {
                log.warn("releasing a sync socket failed: {}", e.toString());
            }
        }
    }

    private static void close(WebSocketSession session, CloseStatus status) {
        try {
            session.close(status);
        } catch (Exception e) {
            log.debug("closing a sync socket failed: {}", e.toString());
        }
    }
}

package dev.syncbox.sync.feed;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/** The sync socket, {@code GET /files/sync/ws}: plain WebSocket (no STOMP, no SockJS). */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class SocketConfiguration implements WebSocketConfigurer {

    static final String PATH = "/files/sync/ws";

    /** A cursor frame: cursors are a few KiB at most (they also travel in URLs). */
    private static final int MAX_FRAME = 64 * 1024;

    private final SyncSocketHandler handler;

    SocketConfiguration(SyncSocketHandler handler) {
        this.handler = handler;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // Any origin: the socket is authenticated by a bearer token, never by a cookie, so another
        // site's page cannot open one in a user's name.
        registry.addHandler(handler, PATH)
                .addInterceptors(new SyncSocketHandler.Handshake())
                .setAllowedOriginPatterns("*");
    }

    /** Picked up by the resource server in place of the default, header-only resolver. */
    @Bean
    BearerTokenResolver bearerTokenResolver() {
        return SocketTokens.resolver();
    }

    @Bean
    FilterRegistrationBean<SocketTokens.HidingFilter> socketTokenHiding() {
        FilterRegistrationBean<SocketTokens.HidingFilter> registration =
                new FilterRegistrationBean<>(new SocketTokens.HidingFilter());
        registration.addUrlPatterns(PATH);
        // After Spring Security's filters, which authenticate with the token.
        registration.setOrder(Ordered.LOWEST_PRECEDENCE);
        return registration;
    }

    @Bean
    ServletServerContainerFactoryBean webSocketContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(MAX_FRAME);
        container.setMaxBinaryMessageBufferSize(MAX_FRAME);
        return container;
    }
}

package dev.syncbox.sync.feed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;

class SocketTokensTest {

    private final BearerTokenResolver resolver = SocketTokens.resolver();

    private static MockHttpServletRequest get(String path, String query) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        request.setQueryString(query);
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            request.addParameter(kv[0], kv.length > 1 ? kv[1] : "");
        }
        return request;
    }

    @Test
    void shouldTakeTheQueryTokenOnTheSocketOnly() {
        assertThat(resolver.resolve(get("/files/sync/ws", "access_token=abc&cursor=c")))
                .isEqualTo("abc");
        assertThat(resolver.resolve(get("/files/sync", "access_token=abc"))).isNull();
        assertThat(resolver.resolve(get("/files/sync/ws/other", "access_token=abc")))
                .isNull();
    }

    @Test
    void shouldTakeTheHeaderEverywhere() {
        MockHttpServletRequest socket = new MockHttpServletRequest("GET", "/files/sync/ws");
        socket.addHeader("Authorization", "Bearer abc");
        MockHttpServletRequest other = new MockHttpServletRequest("GET", "/files/list");
        other.addHeader("Authorization", "Bearer abc");

        assertThat(resolver.resolve(socket)).isEqualTo("abc");
        assertThat(resolver.resolve(other)).isEqualTo("abc");
    }

    @Test
    void shouldDropEveryTokenPairFromTheQuery() {
        assertThat(SocketTokens.withoutToken("access_token=abc&cursor=c")).isEqualTo("cursor=c");
        assertThat(SocketTokens.withoutToken("cursor=c&access_token=abc&x")).isEqualTo("cursor=c&x");
        assertThat(SocketTokens.withoutToken("access%5Ftoken=abc&access_token=def"))
                .isNull();
        assertThat(SocketTokens.withoutToken("cursor=c")).isEqualTo("cursor=c");
    }

    @Test
    void shouldHideTheTokenFromWhatComesAfterAuthentication() throws Exception {
        MockHttpServletRequest request = get("/files/sync/ws", "access_token=abc&cursor=c");
        MockFilterChain chain = new MockFilterChain();

        new SocketTokens.HidingFilter().doFilter(request, new MockHttpServletResponse(), chain);

        var seen = (jakarta.servlet.http.HttpServletRequest) chain.getRequest();
        assertThat(seen.getQueryString()).isEqualTo("cursor=c");
        assertThat(seen.getParameter("access_token")).isNull();
        assertThat(seen.getParameterMap()).containsOnlyKeys("cursor");
        assertThat(seen.getParameter("cursor")).isEqualTo("c");
    }
}

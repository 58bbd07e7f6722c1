package dev.syncbox.sync.feed;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Browsers cannot set headers on a WebSocket, so the sync socket alone also takes its bearer token
 * from the {@code access_token} query parameter; every other path takes the header only.
 */
final class SocketTokens {

    static final String PARAMETER = "access_token";

    private SocketTokens() {}

    /** The header on every path; on the sync socket's, the header or the query parameter (both: 401). */
    static BearerTokenResolver resolver() {
        DefaultBearerTokenResolver header = new DefaultBearerTokenResolver();
        DefaultBearerTokenResolver headerOrQuery = new DefaultBearerTokenResolver();
        headerOrQuery.setAllowUriQueryParameter(true);
        return request -> (isSocket(request) ? headerOrQuery : header).resolve(request);
    }

    static boolean isSocket(HttpServletRequest request) {
        return request.getRequestURI().equals(request.getContextPath() + SocketConfiguration.PATH);
    }

    /**
     * Once the request is authenticated, hides the token from what comes after: the WebSocket
     * session's URI, which Spring and Tomcat print in their logs, is built from the request's query.
     */
    static final class HidingFilter extends OncePerRequestFilter {

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (request.getQueryString() == null || !request.getParameterMap().containsKey(PARAMETER)) {
                chain.doFilter(request, response);
                return;
            }
            chain.doFilter(new Hidden(request), response);
        }
    }

    /** The request less every {@code access_token} parameter. */
    static final class Hidden extends HttpServletRequestWrapper {

        private final String query;
        private final Map<String, String[]> parameters;

        Hidden(HttpServletRequest request) {
            super(request);
            this.query = withoutToken(request.getQueryString());
            Map<String, String[]> kept = new LinkedHashMap<>(request.getParameterMap());
            kept.remove(PARAMETER);
            this.parameters = Collections.unmodifiableMap(kept);
        }

        @Override
        public String getQueryString() {
            return query;
        }

        @Override
        public String getParameter(String name) {
            String[] values = parameters.get(name);
            return values == null || values.length == 0 ? null : values[0];
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return parameters;
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.enumeration(parameters.keySet());
        }

        @Override
        public String[] getParameterValues(String name) {
            return parameters.get(name);
        }
    }

    /** {@code query} without its {@code access_token} pairs (in any percent-encoding of the name); null if none is left. */
    static String withoutToken(String query) {
        if (query == null) {
            return null;
        }
        String kept = Arrays.stream(query.split("&"))
                .filter(pair -> !name(pair).equals(PARAMETER))
                .collect(Collectors.joining("&"));
        return kept.isEmpty() ? null : kept;
    }

    private static String name(String pair) {
        int equals = pair.indexOf('=');
        String name = equals < 0 ? pair : pair.substring(0, equals);
        try {
            return URLDecoder.decode(name, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return name;
        }
    }
}

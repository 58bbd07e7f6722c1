package dev.syncbox.server.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Basic auth with an app password ({@link AppPasswords}), on the WebDAV and Nextcloud routes only: elsewhere a
 * Basic header is ignored and the request needs its bearer token. A Basic header that does not sign in is a 401 at
 * once, with the Basic challenge.
 */
final class AppPasswordFilter extends OncePerRequestFilter {

    private final AppPasswords passwords;
    private final AuthenticationEntryPoint unauthorized;

    AppPasswordFilter(AppPasswords passwords, AuthenticationEntryPoint unauthorized) {
        this.passwords = passwords;
        this.unauthorized = unauthorized;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null
                || !header.regionMatches(true, 0, "Basic ", 0, 6)
                || !SecurityConfiguration.basicAuthRoute(request.getRequestURI())) {
            chain.doFilter(request, response);
            return;
        }
        Optional<dev.syncbox.server.web.CurrentUser> user =
                credentials(header.substring(6).strip()).flatMap(pair -> passwords.authenticate(pair[0], pair[1]));
        if (user.isEmpty()) {
            SecurityContextHolder.clearContext();
            unauthorized.commence(request, response, new BadCredentialsException("Unknown email or app password"));
            return;
        }
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new AppPasswordAuthentication(user.get()));
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    /** {@code user:password} of a Basic header's value (UTF-8), if it is one. */
    static Optional<String[]> credentials(String encoded) {
        try {
            String decoded = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Base64.getDecoder().decode(encoded)))
                    .toString();
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            return Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return Optional.empty();
        }
    }
}

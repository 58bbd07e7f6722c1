package dev.syncbox.upload.tus;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Tus-Resumable: 1.0.0} on every answer of a tus route, refusals of authentication and problems included (the
 * problem handler resets a response, which would drop it), and {@code Tus-Version} on a {@code 412}: the only one a
 * tus route gives is for a protocol version it does not speak. Runs before the security filters.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class TusHeaders extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return !uri.equals("/files/tus") && !uri.startsWith("/files/tus/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Tus-Resumable", TusController.VERSION);
        chain.doFilter(request, new HttpServletResponseWrapper(response) {
            @Override
            public void reset() {
                super.reset();
                setHeader("Tus-Resumable", TusController.VERSION);
            }

            @Override
            public void setStatus(int status) {
                super.setStatus(status);
                if (status == HttpServletResponse.SC_PRECONDITION_FAILED) {
                    setHeader("Tus-Version", TusController.VERSION);
                }
            }
        });
    }
}

package dev.syncbox.server.dropbox;

import dev.syncbox.server.cache.FailureLimits;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Dropbox's rate limit: each user's Dropbox API requests count in one Redis token bucket shared by every service and
 * instance; past the allowance a request is answered 429 {@code too_many_requests} with {@code Retry-After}, which
 * the SDKs wait out. Like the login throttle it fails open: with Redis down nothing is limited.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DropboxProperties.class)
class DropboxRateLimit implements WebMvcConfigurer {

    private final FailureLimits limits;
    private final DropboxProperties properties;
    private final JsonMapper json;

    DropboxRateLimit(FailureLimits limits, DropboxProperties properties, JsonMapper json) {
        this.limits = limits;
        this.properties = properties;
        this.json = json;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new Interceptor()).addPathPatterns("/2/**");
    }

    private final class Interceptor implements HandlerInterceptor {

        @Override
        public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
                throws Exception {
            // The long-poll carries no token: it waits, and costs nothing while it does.
            if (!(SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token)) {
                return true;
            }
            Duration wait = limits.consume(new FailureLimits.Limit(
                    "dropbox-requests",
                    token.getToken().getSubject(),
                    properties.requestsPerWindow(),
                    properties.window()));
            if (wait.isZero()) {
                return true;
            }
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            DropboxAdvice.write(json, DropboxApiException.rateLimited(seconds), response);
            return false;
        }
    }
}

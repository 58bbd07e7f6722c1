package dev.syncbox.sync.account;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.cache.FailureLimits;
import dev.syncbox.server.config.SyncboxProperties;
import dev.syncbox.server.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Slows password guessing: once an account (its email, known or not) or a client address has used up
 * its failed logins for the window, its attempts get {@code 429 too_many_attempts} with {@code
 * Retry-After}, even with the right password. Only failures count, and a successful login clears
 * its account's count (not its address's, which an attacker could otherwise clear with an account of
 * their own). Counts live in Redis (every instance agrees) and fail open when Redis is down.
 */
@Component
class LoginThrottle {

    /** The two limits one login attempt is held to. */
    record Attempt(FailureLimits.Limit account, FailureLimits.Limit address) {

        List<FailureLimits.Limit> both() {
            return List.of(account, address);
        }
    }

    private final FailureLimits limits;
    private final SyncboxProperties.Auth auth;

    LoginThrottle(FailureLimits limits, SyncboxProperties properties) {
        this.limits = limits;
        this.auth = properties.auth();
    }

    Attempt attempt(String email, HttpServletRequest request) {
        return new Attempt(
                new FailureLimits.Limit(
                        "login-account",
                        email.trim().toLowerCase(Locale.ROOT),
                        auth.loginFailuresPerAccount(),
                        auth.loginFailuresWindow()),
                new FailureLimits.Limit(
                        "login-address",
                        clientAddress(request),
                        auth.loginFailuresPerAddress(),
                        auth.loginFailuresWindow()));
    }

    /** Refuses the attempt while any of its limits has no failure left; asked before the password. */
    void check(Attempt attempt) {
        Duration wait = limits.retryAfter(attempt.both());
        if (!wait.isZero()) {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            throw new SyncboxException(
                    ErrorCode.TOO_MANY_ATTEMPTS,
                    "Too many failed logins; try again in " + seconds + " seconds",
                    Map.of(Problems.RETRY_AFTER, seconds));
        }
    }

    void failed(Attempt attempt) {
        limits.failed(attempt.both());
    }

    void succeeded(Attempt attempt) {
        limits.clear(attempt.account());
    }

    /**
     * The caller's address: the last {@code X-Forwarded-For} entry, the one the gateway appended
     * (earlier entries are whatever the client sent), else the connection's peer.
     */
    static String clientAddress(HttpServletRequest request) {
        List<String> headers = Collections.list(request.getHeaders("X-Forwarded-For"));
        for (int i = headers.size() - 1; i >= 0; i--) {
            String[] entries = headers.get(i).split(",");
            for (int j = entries.length - 1; j >= 0; j--) {
                String entry = entries[j].trim();
                if (!entry.isEmpty()) {
                    return entry;
                }
            }
        }
        return request.getRemoteAddr();
    }
}

package dev.syncbox.sync.account;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.web.CurrentUser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
class AccountController {

    record RegisterRequest(
            @NotBlank @Email @Size(max = 255) String email,
            @NotBlank @Size(min = 8, max = 200) String password,
            @NotBlank @Size(max = 255) String name) {}

    record RegisterResponse(long userId) {}

    record LoginRequest(
            @NotBlank String email,
            @NotBlank String password,
            @NotBlank @Size(max = 255) String deviceName) {}

    record LoginResponse(String accessToken, String deviceId) {}

    record TokenCheck(long userId, String deviceId) {}

    private final Accounts accounts;
    private final LoginThrottle throttle;

    AccountController(Accounts accounts, LoginThrottle throttle) {
        this.accounts = accounts;
        this.throttle = throttle;
    }

    @PostMapping("/auth/register")
    @ResponseStatus(HttpStatus.CREATED)
    RegisterResponse register(@Valid @RequestBody RegisterRequest request) {
        return new RegisterResponse(accounts.register(request.email(), request.password(), request.name()));
    }

    @PostMapping("/auth/login")
    LoginResponse login(@Valid @RequestBody LoginRequest request, HttpServletRequest http) {
        LoginThrottle.Attempt attempt = throttle.attempt(request.email(), http);
        throttle.check(attempt);
        Accounts.Session session;
        try {
            session = accounts.login(request.email(), request.password(), request.deviceName());
        } catch (SyncboxException e) {
            if (e.code() == ErrorCode.INVALID_CREDENTIALS) {
                throttle.failed(attempt);
            }
            throw e;
        }
        throttle.succeeded(attempt);
        return new LoginResponse(session.accessToken(), session.deviceId());
    }

    /**
     * Whether a stored token still works, and whose it is (as Dropbox's {@code check/user}): the
     * token check and nothing else, so it is also the cheapest authenticated request there is.
     */
    @GetMapping("/auth/check")
    TokenCheck check(CurrentUser user) {
        return new TokenCheck(user.userId(), user.deviceId());
    }
}

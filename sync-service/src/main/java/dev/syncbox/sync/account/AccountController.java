package dev.syncbox.sync.account;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
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
}

package dev.syncbox.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;

class CachingJwtDecoderTest {

    private final AtomicInteger verifications = new AtomicInteger();
    private final AtomicBoolean revoked = new AtomicBoolean();
    private final OAuth2TokenValidator<Jwt> validator = jwt -> revoked.get()
            ? OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "revoked", null))
            : OAuth2TokenValidatorResult.success();
    private final JwtDecoder verifier = token -> {
        verifications.incrementAndGet();
        if (!token.startsWith("good")) {
            throw new BadJwtException("bad signature");
        }
        if (validator.validate(jwt(token)).hasErrors()) {
            throw new JwtValidationException("revoked", java.util.List.of());
        }
        return jwt(token);
    };
    private final CachingJwtDecoder decoder = new CachingJwtDecoder(verifier, validator, Duration.ofMinutes(5));

    @Test
    void shouldVerifyATokenOnceAndValidateItOnEveryUse() {
        assertThat(decoder.decode("good-1").getTokenValue()).isEqualTo("good-1");
        assertThat(decoder.decode("good-1").getTokenValue()).isEqualTo("good-1");
        assertThat(decoder.decode("good-2").getTokenValue()).isEqualTo("good-2");

        assertThat(verifications).hasValue(2);
    }

    @Test
    void shouldRefuseARememberedTokenOnceItsValidatorsDo() {
        decoder.decode("good-1");
        revoked.set(true);

        assertThatThrownBy(() -> decoder.decode("good-1")).isInstanceOf(JwtValidationException.class);
        revoked.set(false);
        decoder.decode("good-1");
        assertThat(verifications).as("forgotten once refused: verified again").hasValue(2);
    }

    @Test
    void shouldNeverRememberATokenThatFailedVerification() {
        assertThatThrownBy(() -> decoder.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> decoder.decode("forged")).isInstanceOf(BadJwtException.class);

        assertThat(verifications).hasValue(2);
    }

    private static Jwt jwt(String token) {
        return Jwt.withTokenValue(token)
                .header("alg", "HS256")
                .subject("1")
                .claim("device_id", "d")
                .issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(60))
                .build();
    }
}

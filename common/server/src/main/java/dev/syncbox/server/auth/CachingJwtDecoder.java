package dev.syncbox.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * Remembers tokens whose signature it has verified, by their exact text, so that a device's next
 * requests skip parsing and the HMAC. Every use still runs the validators — expiry, issuer and the
 * device's revocation ({@link ActiveDevices}) — so a remembered token is refused as soon as a fresh
 * one would be.
 */
final class CachingJwtDecoder implements JwtDecoder {

    private static final int MAX_TOKENS = 10_000;

    private final JwtDecoder verifier;
    private final OAuth2TokenValidator<Jwt> validator;
    private final Cache<String, Jwt> verified;

    /**
     * @param verifier decodes, verifies the signature of and validates a token not seen before
     * @param validator what {@code verifier} validates, run again on every use of a remembered token
     * @param keep how long a verified token is remembered
     */
    CachingJwtDecoder(JwtDecoder verifier, OAuth2TokenValidator<Jwt> validator, Duration keep) {
        this.verifier = verifier;
        this.validator = validator;
        this.verified = Caffeine.newBuilder()
                .maximumSize(MAX_TOKENS)
                .expireAfterWrite(keep)
                .build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt known = verified.getIfPresent(token);
        if (known == null) {
            Jwt jwt = verifier.decode(token);
            verified.put(token, jwt);
            return jwt;
        }
        OAuth2TokenValidatorResult result = validator.validate(known);
        if (result.hasErrors()) {
            verified.invalidate(token);
            throw new JwtValidationException(
                    result.getErrors().iterator().next().getDescription(), result.getErrors());
        }
        return known;
    }
}

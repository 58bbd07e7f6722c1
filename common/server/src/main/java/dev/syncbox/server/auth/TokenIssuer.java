package dev.syncbox.server.auth;

import dev.syncbox.server.config.SyncboxProperties;
import java.time.Clock;
import java.time.Instant;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.stereotype.Component;

/** Issues the bearer token a device presents on every request. */
@Component
public class TokenIssuer {

    private final JwtEncoder encoder;
    private final SyncboxProperties properties;
    private final Clock clock;

    TokenIssuer(JwtEncoder encoder, SyncboxProperties properties, Clock clock) {
        this.encoder = encoder;
        this.properties = properties;
        this.clock = clock;
    }

    public String issue(long userId, String deviceId) {
        Instant now = clock.instant();
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(SecurityConfiguration.ISSUER)
                .subject(Long.toString(userId))
                .claim("device_id", deviceId)
                .issuedAt(now)
                .expiresAt(now.plus(properties.auth().tokenTtl()))
                .build();
        JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).build();
        return encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
    }
}

package dev.syncbox.server.auth;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.config.SyncboxProperties;
import dev.syncbox.server.dropbox.DropboxApiException;
import dev.syncbox.server.dropbox.DropboxWire;
import dev.syncbox.server.web.Problems;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

/** Every endpoint but health, metrics, register and login needs a valid bearer token. */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String ISSUER = "syncbox";

    /** Where the Dropbox API v2 routes live (docs/dropbox-api.md). */
    static final String DROPBOX_ROUTES = "/2/";

    /** How long a token whose signature was verified is taken as such (its validators run every time). */
    private static final Duration VERIFIED_TOKENS_KEPT = Duration.ofMinutes(5);

    /** The WebDAV and Nextcloud routes: Basic auth with an app password works here (docs/webdav.md). */
    static final java.util.List<String> BASIC_AUTH_ROUTES =
            java.util.List.of("/remote.php/", "/dav/", "/ocs/", "/index.php/");

    /** HTTP methods WebDAV adds to the ones the firewall lets through by default. */
    static final java.util.List<String> WEBDAV_METHODS =
            java.util.List.of("PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "REPORT");

    /**
     * A WebDAV or Nextcloud route, or the server's root: Nextcloud's account wizard asks it for a Basic challenge to
     * know that it should ask for a user name and an app password (docs/nextcloud.md).
     */
    static boolean basicAuthRoute(String uri) {
        return uri.equals("/")
                || uri.equals("/dav")
                || BASIC_AUTH_ROUTES.stream().anyMatch(uri::startsWith);
    }

    /**
     * The default firewall, letting WebDAV's methods through and a percent sign or semicolon encoded in a path (both
     * may be in a file's name; DAV handlers decode the raw path themselves).
     */
    @Bean
    org.springframework.security.web.firewall.HttpFirewall httpFirewall() {
        var firewall = new org.springframework.security.web.firewall.StrictHttpFirewall();
        var methods = new java.util.LinkedHashSet<>(
                java.util.List.of("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"));
        methods.addAll(WEBDAV_METHODS);
        firewall.setAllowedHttpMethods(methods);
        firewall.setAllowUrlEncodedPercent(true);
        firewall.setAllowSemicolon(true);
        return firewall;
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, JsonMapper json, AppPasswords appPasswords) throws Exception {
        AuthenticationEntryPoint unauthorized = (request, response, e) -> {
            if (basicAuthRoute(request.getRequestURI())) {
                // DAV clients send credentials only once challenged for them.
                writeProblem(
                        json,
                        response,
                        new SyncboxException(
                                ErrorCode.UNAUTHORIZED, "An app password (Basic auth) or a bearer token is required"),
                        "Basic realm=\"syncbox\", charset=\"UTF-8\"");
                return;
            }
            if (request.getRequestURI().startsWith(DROPBOX_ROUTES)) {
                // The Dropbox API's own 401: the SDKs read its AuthError to tell an expired token from a bad one.
                DropboxWire.writeError(json, DropboxApiException.auth("invalid_access_token"), response);
                return;
            }
            writeProblem(
                    json,
                    response,
                    new SyncboxException(ErrorCode.UNAUTHORIZED, "A valid bearer token is required"),
                    "Bearer");
        };
        AccessDeniedHandler denied = (request, response, e) ->
                writeProblem(json, response, new SyncboxException(ErrorCode.NOT_FOUND, "Not found"), null);
        http.csrf(csrf -> csrf.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> auth.requestMatchers(
                                "/actuator/health",
                                "/actuator/health/**",
                                "/actuator/info",
                                "/actuator/prometheus",
                                "/v3/api-docs",
                                "/v3/api-docs.yaml",
                                "/v3/api-docs/**",
                                "/auth/register",
                                "/auth/login",
                                "/error",
                                // Dropbox API: the long-poll carries no token (the signed cursor names the
                                // user), nor does a temporary link (it is signed itself).
                                "/2/files/list_folder/longpoll",
                                "/apitl/1/*",
                                // Nextcloud clients: what the server is, before they sign in.
                                "/status.php",
                                "/ocs/v1.php/cloud/capabilities",
                                "/ocs/v2.php/cloud/capabilities")
                        .permitAll()
                        // Maintenance endpoints of a service's own port: loopback only, no token.
                        .requestMatchers("/actuator/versionstore", "/actuator/indexer")
                        .access((authentication, context) -> new AuthorizationDecision(
                                loopback(context.getRequest().getRemoteAddr())))
                        .anyRequest()
                        .authenticated())
                .addFilterBefore(
                        new AppPasswordFilter(appPasswords, unauthorized),
                        org.springframework.security.oauth2.server.resource.web.authentication
                                .BearerTokenAuthenticationFilter.class)
                .oauth2ResourceServer(oauth -> oauth.jwt(jwt -> {}).authenticationEntryPoint(unauthorized))
                .exceptionHandling(
                        ex -> ex.authenticationEntryPoint(unauthorized).accessDeniedHandler(denied));
        return http.build();
    }

    /**
     * No observation around each security filter and each authentication: one per filter per request, they cost
     * more CPU than the filters themselves, and the request's own observation ({@code http.server.requests})
     * already times the whole chain. Disabling them by name in the metrics settings leaves every filter wrapped,
     * building an observation only to be told to record nothing; this never wraps them.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    private static void writeProblem(
            JsonMapper json, jakarta.servlet.http.HttpServletResponse response, SyncboxException e, String challenge)
            throws java.io.IOException {
        response.setStatus(e.code().status());
        response.setContentType("application/problem+json");
        if (challenge != null) {
            response.setHeader("WWW-Authenticate", challenge);
        }
        json.writeValue(response.getOutputStream(), Problems.of(e));
    }

    @Bean
    SecretKey tokenSigningKey(SyncboxProperties properties) {
        String secret = properties.auth() == null ? null : properties.auth().jwtSecret();
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalStateException(
                    "syncbox.auth.jwt-secret (SYNCBOX_JWT_SECRET) must be set to at least 32 bytes;"
                            + " deploy/local/up.sh generates one");
        }
        return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    @Bean
    JwtDecoder jwtDecoder(SecretKey tokenSigningKey, ActiveDevices devices) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(tokenSigningKey)
                .macAlgorithm(MacAlgorithm.HS256)
                .build();
        // Our issuer is a name, not a URL: left as it is, the default converter tries (and fails,
        // with an exception) to turn it into a URL on every request.
        decoder.setClaimSetConverter(MappedJwtClaimSetConverter.withDefaults(Map.of(JwtClaimNames.ISS, iss -> iss)));
        OAuth2TokenValidator<Jwt> validator = new DelegatingOAuth2TokenValidator<>(
                new JwtTimestampValidator(), new JwtIssuerValidator(ISSUER), new ActiveDeviceValidator(devices));
        decoder.setJwtValidator(validator);
        return new CachingJwtDecoder(decoder, validator, VERIFIED_TOKENS_KEPT);
    }

    @Bean
    JwtEncoder jwtEncoder(SecretKey tokenSigningKey) {
        return new NimbusJwtEncoder(new ImmutableSecret<>(tokenSigningKey));
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    private static boolean loopback(String address) {
        try {
            return java.net.InetAddress.getByName(address).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}

package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.id.Ids;
import dev.syncbox.server.testing.Api;
import jakarta.servlet.http.HttpServletRequest;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.method.HandlerMethod;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every endpoint of every service, as the running services map them (so a new endpoint cannot escape the table),
 * refuses a request without a valid token the same way: 401, a problem response with code {@code unauthorized} and a
 * {@code WWW-Authenticate: Bearer} challenge, and nothing of the server's insides in the body. Tried with no token, a
 * token that is not a JWT, one signed with another key, one with {@code alg: none}, one whose claims were changed
 * after signing, an expired one, one from another issuer, and one of a revoked device.
 */
class AuthenticationIT {

    /**
     * Open by design: an account is created and a token obtained through the first two; a service's OpenAPI
     * document is for operators on its own loopback port, never routed by the gateway (OperatorEndpointsIT).
     */
    private static final List<String> OPEN = List.of(
            "/auth/register",
            "/auth/login",
            "/error",
            "/v3/api-docs",
            "/v3/api-docs.yaml",
            // Dropbox API: its long-poll carries no token (the signed cursor names the user), nor does a temporary
            // link (signed itself); DropboxSyncIT and DropboxContentIT try forged ones.
            "/2/files/list_folder/longpoll",
            // Nextcloud's clients ask what the server is before they sign in (NextcloudEndpointsIT).
            "/status.php",
            "/ocs/v1.php/cloud/capabilities",
            "/ocs/v2.php/cloud/capabilities");

    /**
     * The WebDAV and Nextcloud routes: refused with the Basic challenge (DAV clients send their app password only
     * once challenged), and their bodies are files and XML, not JSON: WebDavIT, WebDavContentIT and
     * NextcloudEndpointsIT give them bad input of their own kind.
     */
    private static final List<String> BASIC = List.of("/remote.php/", "/dav/", "/dav", "/ocs/");

    /** Where the Dropbox API v2 routes are: refused and answered as Dropbox does, not as problems. */
    private static final String DROPBOX = "/2/";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static RunningSystem system;
    static Map<String, String> badTokens = new LinkedHashMap<>();
    static String validBearer;
    /** Every endpoint of the four services. */
    static List<Target> targets = new ArrayList<>();

    @BeforeAll
    static void tokens() throws Exception {
        system = RunningSystem.get();
        Api sync = system.api(system.sync);
        String email = "auth-" + Ids.newId().toLowerCase() + "@example.test";
        Api.Response registered = sync.postJson(
                "/auth/register", null, Map.of("email", email, "password", "a long password", "name", "auth"));
        assertThat(registered.status()).isEqualTo(201);
        long userId = registered.body().path("user_id").asLong();
        Api.Response laptop = login(sync, email, "laptop");
        Api.Response phone = login(sync, email, "phone");
        validBearer = "Bearer " + laptop.text("access_token");
        String secret = system.sync.getEnvironment().getRequiredProperty("syncbox.auth.jwt-secret");
        long now = Instant.now().getEpochSecond();
        String device = laptop.text("device_id");

        badTokens.put("no token", null);
        badTokens.put("not a JWT", "Bearer not-a-token");
        badTokens.put("basic auth", "Basic " + base64(email + ":a long password"));
        badTokens.put(
                "signed with another key",
                "Bearer "
                        + hs256(
                                claims(userId, device, "syncbox", now, now + 600),
                                "another-key-0123456789abcdef-0123456789"));
        badTokens.put(
                "alg none",
                "Bearer " + part("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "."
                        + part(claims(userId, device, "syncbox", now, now + 600)) + ".");
        String valid = laptop.text("access_token");
        String[] pieces = valid.split("\\.");
        badTokens.put(
                "claims changed after signing",
                "Bearer " + pieces[0] + "." + part(claims(userId + 1, device, "syncbox", now, now + 600)) + "."
                        + pieces[2]);
        badTokens.put("expired", "Bearer " + hs256(claims(userId, device, "syncbox", now - 1200, now - 600), secret));
        badTokens.put("another issuer", "Bearer " + hs256(claims(userId, device, "elsewhere", now, now + 600), secret));
        HttpResponse<byte[]> revoked = sync.bytes(sync.request("/devices/" + phone.text("device_id"))
                .header("Authorization", validBearer)
                .DELETE());
        assertThat(revoked.statusCode()).isEqualTo(204);
        badTokens.put("revoked device", "Bearer " + phone.text("access_token"));
        for (ConfigurableApplicationContext service :
                List.of(system.sync, system.upload, system.download, system.conflict)) {
            for (Endpoint endpoint : endpoints(service)) {
                targets.add(new Target(system.api(service), endpoint));
            }
        }
    }

    @Test
    void shouldRefuseEveryEndpointWithoutAValidToken() {
        List<String> failures = new ArrayList<>();
        for (Target target : targets) {
            for (Map.Entry<String, String> token : badTokens.entrySet()) {
                String problem = check(send(target, token.getValue(), "{}"));
                if (problem != null) {
                    failures.add(target.endpoint() + " with " + token.getKey() + ": " + problem);
                }
            }
        }

        assertThat(targets.size())
                .as("endpoints found in the services' mappings")
                .isGreaterThan(40);
        assertThat(failures).isEmpty();
    }

    /**
     * Past authentication, every endpoint that takes ids in its path or reads a body, given ids that do not exist and
     * a body that is not JSON, answers with a problem in the 4xx range and a stable code: never a 5xx, never the
     * server's insides.
     */
    @Test
    void shouldAnswerBadInputOnEveryEndpointWithAProblem() {
        List<String> failures = new ArrayList<>();
        List<Target> readingInput = targets.stream()
                .filter(t -> t.endpoint().bad() && !basic(t.endpoint().path()))
                .toList();
        for (Target target : readingInput) {
            String problem = checkBadInput(send(target, validBearer, "{\"not json"));
            if (problem != null) {
                failures.add(target.endpoint() + ": " + problem);
            }
        }

        assertThat(readingInput.size()).as("endpoints that take ids or a body").isGreaterThan(30);
        assertThat(failures).isEmpty();
    }

    /** Why a response to bad input is not a 4xx problem with a code and nothing inside shown, or null. */
    private static String checkBadInput(Answer response) {
        if (response.dropbox()) {
            return notDropboxBadInput(response);
        }
        if (response.statusCode() < 400 || response.statusCode() >= 500) {
            return "status " + response.statusCode() + " " + response.body();
        }
        String problem = notAProblem(response);
        if (response.head()) {
            // No body to a HEAD: a 4xx with a problem's content type is the whole answer.
            return problem;
        }
        if (problem == null
                && JSON.readTree(response.body()).path("code").asString().isEmpty()) {
            return "no code: " + response.body();
        }
        return problem;
    }

    /** The control: the same requests with the valid token get past authentication. */
    @Test
    void shouldLetAValidTokenThrough() {
        Target devices = new Target(system.api(system.sync), new Endpoint("GET", "/devices", false));

        Answer answer = send(devices, validBearer, "{}");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(check(answer)).isEqualTo("status 200");
    }

    /** Why a response is not the expected refusal, or null when it is. */
    private static String check(Answer response) {
        if (response.statusCode() != 401) {
            return "status " + response.statusCode();
        }
        String challenge = response.basic() ? "Basic realm=" : "Bearer";
        if (!response.headers().firstValue("WWW-Authenticate").orElse("").startsWith(challenge)) {
            return "no " + challenge + " challenge";
        }
        if (response.dropbox()) {
            return notDropboxAuthError(response);
        }
        if (response.head()) {
            // No body to a HEAD: the status and the challenge are the whole answer.
            return null;
        }
        String problem = notAProblem(response);
        JsonNode body = problem == null ? JSON.readTree(response.body()) : null;
        if (body != null && !"unauthorized".equals(body.path("code").asString())) {
            return "code " + body.path("code");
        }
        return problem;
    }

    /**
     * Why a refusal of a Dropbox API route is not Dropbox's own (JSON {@code {"error_summary", "error": {".tag":
     * "invalid_access_token"}}}, which the SDKs turn into their InvalidAccessTokenException), or null when it is.
     */
    private static String notDropboxAuthError(Answer response) {
        String type = response.headers().firstValue("Content-Type").orElse("none");
        if (!type.startsWith("application/json")) {
            return "content type " + type;
        }
        JsonNode body = JSON.readTree(response.body());
        if (!"invalid_access_token".equals(body.path("error").path(".tag").asString())
                || !body.path("error_summary").asString().startsWith("invalid_access_token/")) {
            return "not Dropbox's AuthError: " + response.body();
        }
        return insides(response);
    }

    /**
     * Why an answer of a Dropbox API route to bad input is not Dropbox's: a 400 in plain text or a 409 route error
     * with its {@code error_summary}, keeping the server's insides to itself; or null when it is.
     */
    private static String notDropboxBadInput(Answer response) {
        if (response.statusCode() == 400) {
            return response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain")
                    ? insides(response)
                    : "a 400 that is not plain text";
        }
        if (response.statusCode() == 409) {
            return JSON.readTree(response.body()).path("error_summary").isString()
                    ? insides(response)
                    : "a 409 without error_summary: " + response.body();
        }
        return "status " + response.statusCode() + " " + response.body();
    }

    private static String insides(Answer response) {
        for (String inside : List.of("Exception", "\tat ", "org.springframework", "dev.syncbox", "SQL")) {
            if (response.body().contains(inside)) {
                return "body shows '" + inside + "': " + response.body();
            }
        }
        return null;
    }

    /** Why a response is not a problem response that keeps the server's insides to itself, or null. */
    private static String notAProblem(Answer response) {
        String type = response.headers().firstValue("Content-Type").orElse("none");
        if (!type.startsWith("application/problem+json")) {
            return "content type " + type;
        }
        for (String inside : List.of("Exception", "\tat ", "org.springframework", "dev.syncbox", "SQL")) {
            if (response.body().contains(inside)) {
                return "body shows '" + inside + "': " + response.body();
            }
        }
        return null;
    }

    /** An endpoint and the service that answers it. */
    record Target(Api service, Endpoint endpoint) {}

    /** {@code bad}: it takes ids in its path or reads a body, so the bad input below is input it reads. */
    record Endpoint(String method, String path, boolean bad) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** Every method and path the service maps, with sample values in its variables; the open ones left out. */
    private static List<Endpoint> endpoints(ConfigurableApplicationContext service) {
        return ServiceMappings.of(service).stream()
                .filter(mapping ->
                        !OPEN.contains(mapping.pattern()) && !mapping.pattern().startsWith("/apitl/"))
                .map(mapping -> new Endpoint(
                        mapping.method(),
                        mapping.pattern()
                                .replaceAll("\\{\\*[^}]+}", "/a")
                                .replaceAll("/\\*\\*$", "/a")
                                .replaceAll("\\{[^}]+}", "01JQ0000000000000000000000"),
                        readsInput(mapping.handler())))
                .distinct()
                .toList();
    }

    private static boolean readsInput(HandlerMethod handler) {
        for (MethodParameter parameter : handler.getMethodParameters()) {
            if (parameter.hasParameterAnnotation(PathVariable.class)
                    || parameter.hasParameterAnnotation(RequestBody.class)
                    || parameter.hasParameterAnnotation(RequestPart.class)
                    || HttpServletRequest.class.isAssignableFrom(parameter.getParameterType())
                    || InputStream.class.isAssignableFrom(parameter.getParameterType())) {
                return true;
            }
        }
        return false;
    }

    private static Answer send(Target target, String authorization, String body) {
        HttpRequest.Builder request = target.service()
                .request(target.endpoint().path())
                .header("Content-Type", "application/json")
                .method(target.endpoint().method(), HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<byte[]> response = target.service().bytes(request);
        return new Answer(
                response.statusCode(),
                response.headers(),
                new String(response.body(), StandardCharsets.UTF_8),
                target.endpoint().path().startsWith(DROPBOX),
                basic(target.endpoint().path()),
                target.endpoint().method().equals("HEAD"));
    }

    private static boolean basic(String path) {
        return BASIC.stream().anyMatch(path::startsWith);
    }

    /** A response, its body as text; {@code dropbox}: of a Dropbox API route; {@code basic}: of a WebDAV one. */
    record Answer(int statusCode, HttpHeaders headers, String body, boolean dropbox, boolean basic, boolean head) {}

    private static Api.Response login(Api sync, String email, String device) {
        Api.Response login = sync.postJson(
                "/auth/login", null, Map.of("email", email, "password", "a long password", "device_name", device));
        assertThat(login.status()).isEqualTo(200);
        return login;
    }

    private static String claims(long userId, String device, String issuer, long issued, long expires) {
        return "{\"iss\":\"" + issuer + "\",\"sub\":\"" + userId + "\",\"device_id\":\"" + device + "\",\"iat\":"
                + issued + ",\"exp\":" + expires + "}";
    }

    private static String hs256(String claims, String secret) throws Exception {
        String signed = part("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + part(claims);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return signed + "."
                + Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String part(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}

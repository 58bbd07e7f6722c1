package dev.syncbox.sync.nextcloud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.server.auth.AppPasswords;
import dev.syncbox.server.testing.Api;
import dev.syncbox.sync.SyncServiceIT;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import tools.jackson.databind.JsonNode;

class NextcloudEndpointsIT extends SyncServiceIT {

    private String email(long userId) {
        return jdbc.queryForObject("SELECT email FROM users WHERE user_id = ?", String.class, userId);
    }

    private String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private String appPasswordOfDeviceA() {
        return context.getBean(AppPasswords.class)
                .create(deviceA.userId(), "nextcloud test")
                .appPassword();
    }

    @Test
    void shouldAnswerStatusPhpWithoutCredentials() {
        Api.Response status = api.get("/status.php", null);

        assertThat(status.status()).isEqualTo(200);
        assertThat(status.body().path("installed").asBoolean()).isTrue();
        assertThat(status.body().path("maintenance").asBoolean()).isFalse();
        assertThat(status.body().path("needsDbUpgrade").asBoolean()).isFalse();
        assertThat(status.text("version")).isEqualTo("28.0.0.0");
        assertThat(status.text("versionstring")).isEqualTo("28.0.0");
        assertThat(status.text("productname")).isEqualTo("syncbox");
        assertThat(status.body().has("extendedSupport")).isTrue();
    }

    @Test
    void shouldAdvertiseWhatSyncboxSupportsInBothOcsVersions() {
        for (String version : new String[] {"v1", "v2"}) {
            Api.Response answer = api.json(api.request("/ocs/" + version + ".php/cloud/capabilities?format=json")
                    .header("OCS-APIRequest", "true")
                    .GET());

            assertThat(answer.status()).as(version).isEqualTo(200);
            JsonNode meta = answer.body().path("ocs").path("meta");
            assertThat(meta.path("status").asString()).isEqualTo("ok");
            assertThat(meta.path("statuscode").asInt()).isEqualTo(version.equals("v1") ? 100 : 200);
            JsonNode data = answer.body().path("ocs").path("data");
            assertThat(data.path("version").path("major").asInt()).isEqualTo(28);
            assertThat(data.path("version").path("string").asString()).isEqualTo("28.0.0");
            JsonNode capabilities = data.path("capabilities");
            assertThat(capabilities.path("core").path("webdav-root").asString()).isEqualTo("remote.php/webdav");
            assertThat(capabilities.path("core").path("pollinterval").asInt()).isPositive();
            assertThat(capabilities.path("dav").path("chunking").asString()).isEqualTo("1.0");
            assertThat(capabilities.path("dav").has("bulkupload")).isFalse();
            assertThat(capabilities.path("files").path("undelete").asBoolean()).isTrue();
            assertThat(capabilities.path("files").path("versioning").asBoolean())
                    .isTrue();
            assertThat(capabilities.path("files").path("bigfilechunking").asBoolean())
                    .isTrue();
            assertThat(capabilities
                            .path("checksums")
                            .path("preferredUploadType")
                            .asString())
                    .isEqualTo("SHA256");
            assertThat(capabilities
                            .path("checksums")
                            .path("supportedTypes")
                            .valueStream()
                            .map(JsonNode::asString))
                    .contains("SHA256", "SHA1", "MD5", "Adler32");
            assertThat(capabilities.has("end-to-end-encryption")).isFalse();
            assertThat(capabilities.has("files_sharing")).isFalse();
            assertThat(capabilities.has("notifications")).isFalse();
        }
    }

    @Test
    void shouldAnswerJsonWhenAcceptNamesItAndXmlOtherwise() throws Exception {
        Api.Response byAccept = api.json(api.request("/ocs/v2.php/cloud/capabilities")
                .header("Accept", "application/json")
                .GET());
        assertThat(byAccept.body().path("ocs").path("meta").path("statuscode").asInt())
                .isEqualTo(200);

        HttpResponse<byte[]> xml =
                api.bytes(api.request("/ocs/v1.php/cloud/capabilities").GET());

        assertThat(xml.statusCode()).isEqualTo(200);
        assertThat(xml.headers().firstValue("Content-Type").orElse("")).startsWith("application/xml");
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.body()));
        assertThat(document.getDocumentElement().getTagName()).isEqualTo("ocs");
        assertThat(text(document, "statuscode")).isEqualTo("100");
        assertThat(text(document, "webdav-root")).isEqualTo("remote.php/webdav");
        assertThat(text(document, "chunking")).isEqualTo("1.0");
        assertThat(text(document, "undelete")).isEqualTo("1");
        assertThat(document.getElementsByTagName("supportedTypes")
                        .item(0)
                        .getChildNodes()
                        .getLength())
                .isEqualTo(4);
    }

    private static String text(Document document, String tag) {
        return document.getElementsByTagName(tag).item(0).getTextContent();
    }

    @Test
    void shouldNameTheUserByEmailWithAnAppPassword() {
        String email = email(deviceA.userId());
        String secret = appPasswordOfDeviceA();
        jdbc.update(
                "UPDATE users SET used_space_bytes = 250, max_space_bytes = 1000 WHERE user_id = ?", deviceA.userId());

        Api.Response user = api.json(api.request("/ocs/v1.php/cloud/user?format=json")
                .header("Authorization", basic(email.toUpperCase(java.util.Locale.ROOT), secret))
                .header("OCS-APIRequest", "true")
                .GET());

        assertThat(user.status()).as(user.body().toString()).isEqualTo(200);
        JsonNode data = user.body().path("ocs").path("data");
        assertThat(user.body().path("ocs").path("meta").path("statuscode").asInt())
                .isEqualTo(100);
        assertThat(data.path("id").asString()).isEqualTo(email);
        assertThat(data.path("email").asString()).isEqualTo(email);
        assertThat(data.path("display-name").asString()).isEqualTo("Test");
        assertThat(data.path("quota").path("used").asLong()).isEqualTo(250);
        assertThat(data.path("quota").path("free").asLong()).isEqualTo(750);
        assertThat(data.path("quota").path("total").asLong()).isEqualTo(1000);
        assertThat(data.path("quota").path("quota").asLong()).isEqualTo(1000);
        assertThat(data.path("quota").path("relative").asDouble()).isEqualTo(25.0);
    }

    @Test
    void shouldNameTheUserWithABearerTokenOnV2() {
        Api.Response user = api.json(api.request("/ocs/v2.php/cloud/user")
                .header("Authorization", deviceA.bearer())
                .header("Accept", "application/json")
                .GET());

        assertThat(user.status()).isEqualTo(200);
        assertThat(user.body().path("ocs").path("meta").path("statuscode").asInt())
                .isEqualTo(200);
        assertThat(user.body().path("ocs").path("data").path("id").asString()).isEqualTo(email(deviceA.userId()));
    }

    @Test
    void shouldChallengeForBasicAuthWithoutCredentialsOrWithAWrongPassword() {
        Api.Response none = api.get("/ocs/v1.php/cloud/user?format=json", null);
        Api.Response wrong = api.get(
                "/ocs/v1.php/cloud/user?format=json", basic(email(deviceA.userId()), "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE"));

        for (Api.Response refused : new Api.Response[] {none, wrong}) {
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.headers().firstValue("WWW-Authenticate").orElse(""))
                    .startsWith("Basic ");
        }
    }

    @Test
    void shouldChallengeAtTheServerUrlSoTheDesktopWizardAsksForCredentials() {
        Api.Response root = api.get("/", null);

        assertThat(root.status()).isEqualTo(401);
        assertThat(root.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Basic realm=");
    }

    @Test
    void shouldRefuseARevokedAppPassword() {
        AppPasswords passwords = context.getBean(AppPasswords.class);
        AppPasswords.Created created = passwords.create(deviceA.userId(), "to revoke");
        String header = basic(email(deviceA.userId()), created.appPassword());
        assertThat(api.get("/ocs/v2.php/cloud/user?format=json", header).status())
                .isEqualTo(200);

        passwords.revoke(deviceA.userId(), created.id());

        assertThat(api.get("/ocs/v2.php/cloud/user?format=json", header).status())
                .isEqualTo(401);
    }
}

package dev.syncbox.upload.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.Multipart;
import dev.syncbox.server.testing.RandomContent;
import dev.syncbox.server.testing.TestAccounts;
import dev.syncbox.server.testing.TestAccounts.TestUser;
import dev.syncbox.upload.UploadServiceApplication;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;

/** The real database and cache, but an S3 endpoint where nothing listens. */
@SpringBootTest(
        classes = UploadServiceApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "syncbox.s3.endpoint=http://127.0.0.1:9")
@ActiveProfiles("it")
class StorageUnavailableIT {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Test
    void shouldAnswer503AndCommitNothingWhenS3IsDown() {
        TestAccounts accounts = new TestAccounts(context);
        TestUser user = accounts.create();

        Api.Response response = Api.local(port)
                .upload(
                        "/files/upload",
                        user.bearer(),
                        new Multipart().field("file_path", "/a.bin").file("content", RandomContent.bytes(5, 1 << 20)));

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.code()).isEqualTo("storage_unavailable");
        assertThat(accounts.liveFiles(user.userId())).isZero();
        assertThat(accounts.usedSpace(user.userId())).isZero();
    }

    @Test
    void shouldStayReadyAndReportBlockStorageDegradedWhenS3IsDown() {
        Api.Response readiness = Api.local(port).get("/actuator/health/readiness", null);

        assertThat(readiness.status()).as("S3 does not gate readiness").isEqualTo(200);
        assertThat(readiness.text("status")).isEqualTo("DEGRADED");
        assertThat(readiness
                        .body()
                        .path("components")
                        .path("blockStore")
                        .path("status")
                        .asString())
                .isEqualTo("DEGRADED");
        assertThat(readiness.body().path("components").path("db").path("status").asString())
                .isEqualTo("UP");
        assertThat(Api.local(port).get("/actuator/health/liveness", null).text("status"))
                .isEqualTo("UP");
    }
}

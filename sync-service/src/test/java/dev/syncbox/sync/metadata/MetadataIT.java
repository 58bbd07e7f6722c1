package dev.syncbox.sync.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.conflict.engine.commit.Committed;
import dev.syncbox.conflict.engine.testing.TestCommits;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.TestAccounts;
import dev.syncbox.server.testing.TestAccounts.TestUser;
import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

@SpringBootTest(
        classes = dev.syncbox.sync.SyncServiceApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("it")
class MetadataIT {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    Api api;
    TestUser user;

    @BeforeEach
    void setUp() {
        api = Api.local(port);
        user = new TestAccounts(context).create();
    }

    private Committed commit(String path, String content) {
        return new TestCommits(context).upload(user, path, content);
    }

    @Test
    void shouldDescribeFileWithVersionsNewestFirst() throws IOException {
        Committed first = commit("/docs/Report.txt", "v1");
        Committed second = commit("/docs/Report.txt", "version two");

        Api.Response response = api.get("/files/" + first.fileId() + "/metadata", user.bearer());

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.body();
        assertThat(body.path("file_id").asString()).isEqualTo(first.fileId());
        assertThat(body.path("name").asString()).isEqualTo("Report.txt");
        assertThat(body.path("path").asString()).isEqualTo("/docs/Report.txt");
        assertThat(body.path("size").asLong()).isEqualTo(11);
        assertThat(body.path("owner_id").asLong()).isEqualTo(user.userId());
        assertThat(body.path("current_version_id").asString()).isEqualTo(second.versionId());
        assertThat(body.path("content_hash").asString()).isEqualTo(second.contentHash());
        assertThat(body.path("created_at").asString()).isNotBlank();
        assertThat(body.path("modified_at").asString()).isNotBlank();
        assertThat(body.path("versions")).hasSize(2);
        assertThat(body.path("versions").get(0).path("id").asString()).isEqualTo(second.versionId());
        assertThat(body.path("versions").get(1).path("size").asLong()).isEqualTo(2);
        assertThat(body.path("versions").get(1).path("timestamp").asString()).isNotBlank();
    }

    @Test
    void shouldReflectANewCommitAfterBeingCached() throws IOException {
        Committed first = commit("/cached.txt", "one");
        assertThat(api.get("/files/" + first.fileId() + "/metadata", user.bearer())
                        .body()
                        .path("versions"))
                .hasSize(1);

        Committed second = commit("/cached.txt", "two!");

        JsonNode body =
                api.get("/files/" + first.fileId() + "/metadata", user.bearer()).body();
        assertThat(body.path("current_version_id").asString()).isEqualTo(second.versionId());
        assertThat(body.path("versions")).hasSize(2);
    }

    @Test
    void shouldAnswer404ForUnknownOrForeignFile() throws IOException {
        Committed mine = commit("/mine.txt", "mine");
        TestUser stranger = new TestAccounts(context).create();

        Api.Response unknown = api.get("/files/01ARZ3NDEKTSV4RRFFQ69G5FAV/metadata", user.bearer());
        Api.Response foreign = api.get("/files/" + mine.fileId() + "/metadata", stranger.bearer());

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("not_found");
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.code()).isEqualTo("not_found");
        assertThat(foreign.text("detail")).doesNotContain("owner");
    }

    @Test
    void shouldAnswer401WithoutToken() {
        Api.Response response = api.get("/files/01ARZ3NDEKTSV4RRFFQ69G5FAV/metadata", null);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.code()).isEqualTo("unauthorized");
        assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
    }

    @Test
    void shouldAnswerUnknownEndpointWithProblem() {
        Api.Response response = api.get("/no/such/endpoint", user.bearer());

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.code()).isEqualTo("not_found");
    }
}

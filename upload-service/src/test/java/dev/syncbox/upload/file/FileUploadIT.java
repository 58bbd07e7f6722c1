package dev.syncbox.upload.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.server.blockstore.BlockStore;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.Multipart;
import dev.syncbox.server.testing.RandomContent;
import dev.syncbox.server.testing.TestAccounts;
import dev.syncbox.server.testing.TestAccounts.TestUser;
import dev.syncbox.upload.UploadServiceApplication;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

@SpringBootTest(classes = UploadServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("it")
class FileUploadIT {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    BlockStore blocks;

    @Autowired
    JdbcTemplate jdbc;

    Api api;
    TestAccounts accounts;
    TestUser user;

    @BeforeEach
    void setUp() {
        api = Api.local(port);
        accounts = new TestAccounts(context);
        user = accounts.create();
    }

    private Api.Response upload(TestUser who, String path, byte[] content) {
        return api.upload(
                "/files/upload",
                who.bearer(),
                new Multipart().field("file_path", path).file("content", content));
    }

    @Test
    void shouldCreateFileWithVersionAndChecksum() {
        byte[] content = RandomContent.bytes(1, 3 * 1024 * 1024 + 17);

        Api.Response response = upload(user, "/docs/report.pdf", content);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text("file_id")).hasSize(26);
        assertThat(response.text("version_id")).hasSize(26);
        assertThat(response.text("checksum")).isEqualTo(dev.syncbox.core.hash.ContentHasher.of(content));
        assertThat(response.text("timestamp")).isNotBlank();
        assertThat(accounts.usedSpace(user.userId())).isEqualTo(content.length);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM files WHERE owner_id = ? AND is_dir AND file_path = '/docs'",
                        Integer.class,
                        user.userId()))
                .as("missing parent folder created")
                .isEqualTo(1);
    }

    @Test
    void shouldStoreSameContentOnlyOnce() {
        byte[] content = RandomContent.bytes(2, 6 * 1024 * 1024);
        assertThat(upload(user, "/a.bin", content).status()).isEqualTo(200);
        long objectsAfterFirst = blocks.count();

        TestUser other = accounts.create();
        assertThat(upload(user, "/copy-of-a.bin", content).status()).isEqualTo(200);
        assertThat(upload(other, "/a.bin", content).status()).isEqualTo(200);

        assertThat(blocks.count()).as("no new objects for known content").isEqualTo(objectsAfterFirst);
    }

    @Test
    void shouldAddVersionWhenUploadingToExistingPath() {
        Api.Response first = upload(user, "/notes.txt", "one".getBytes());
        Api.Response second = upload(user, "/NOTES.txt", "two, longer".getBytes());

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.text("file_id")).as("paths match case-insensitively").isEqualTo(first.text("file_id"));
        assertThat(second.text("version_id")).isNotEqualTo(first.text("version_id"));
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM file_versions WHERE file_id = ?", Integer.class, first.text("file_id")))
                .isEqualTo(2);
        assertThat(accounts.usedSpace(user.userId())).isEqualTo("two, longer".length());
    }

    @Test
    void shouldAcceptEmptyFile() {
        Api.Response response = upload(user, "/empty", new byte[0]);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text("checksum"))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "relative/path", "/a/../b", "/a/./b", "/a//b", "/bad\u0000name", "/line\nbreak"})
    void shouldRejectInvalidPath(String path) {
        long objects = blocks.count();

        Api.Response response = upload(user, path, "data".getBytes());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("invalid_path");
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(blocks.count()).isEqualTo(objects);
        assertThat(accounts.liveFiles(user.userId())).isZero();
    }

    @Test
    void shouldRejectPathOver1024Bytes() {
        Api.Response response = upload(user, "/" + "é".repeat(512), "data".getBytes());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("invalid_path");
    }

    @Test
    void shouldRefuseUploadOverQuotaBeforeStoringAnything() {
        TestUser small = accounts.create(1024 * 1024);
        byte[] content = RandomContent.bytes(3, 2 * 1024 * 1024);
        long objects = blocks.count();

        Api.Response declared = api.upload(
                "/files/upload",
                small.bearer(),
                new Multipart()
                        .field("file_path", "/big.bin")
                        .field("file_size", Integer.toString(content.length))
                        .file("content", content));

        assertThat(declared.status()).isEqualTo(507);
        assertThat(declared.code()).isEqualTo("quota_exceeded");
        assertThat(blocks.count()).as("nothing stored").isEqualTo(objects);
        assertThat(accounts.usedSpace(small.userId())).isZero();
        assertThat(accounts.liveFiles(small.userId())).isZero();
    }

    @Test
    void shouldRefuseUndeclaredUploadOverQuotaWithoutCountingIt() {
        TestUser small = accounts.create(1024 * 1024);

        Api.Response response = upload(small, "/big.bin", RandomContent.bytes(4, 2 * 1024 * 1024));

        assertThat(response.status()).isEqualTo(507);
        assertThat(response.code()).isEqualTo("quota_exceeded");
        assertThat(accounts.usedSpace(small.userId())).isZero();
        assertThat(accounts.liveFiles(small.userId())).isZero();
    }

    @Test
    void shouldRejectContentThatDoesNotMatchDeclaredSize() {
        Api.Response response = api.upload(
                "/files/upload",
                user.bearer(),
                new Multipart()
                        .field("file_path", "/x")
                        .field("file_size", "10")
                        .file("content", new byte[20]));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("size_mismatch");
        assertThat(accounts.liveFiles(user.userId())).isZero();
    }

    @Test
    void shouldRequirePathBeforeContent() {
        Api.Response response = api.upload(
                "/files/upload",
                user.bearer(),
                new Multipart().file("content", "data".getBytes()).field("file_path", "/x"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("invalid_request");
    }

    @Test
    void shouldRejectUploadOverAFile() {
        assertThat(upload(user, "/plain", "data".getBytes()).status()).isEqualTo(200);

        Api.Response response = upload(user, "/plain/child.txt", "data".getBytes());

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.code()).isEqualTo("path_conflict");
    }

    @Test
    void shouldRejectNonMultipartBody() {
        Api.Response response = api.json(api.request("/files/upload")
                .header("Authorization", user.bearer())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(response.status()).isEqualTo(415);
        assertThat(response.code()).isEqualTo("unsupported_media_type");
    }

    @Test
    void shouldRejectMissingOrForgedToken() {
        Multipart body = new Multipart().field("file_path", "/x").file("content", "data".getBytes());
        for (String bearer : List.of("", "Bearer not-a-token", "Bearer " + user.token() + "x")) {
            HttpRequest.Builder request = api.request("/files/upload")
                    .header("Content-Type", body.contentType())
                    .POST(body.publisher());
            if (!bearer.isEmpty()) {
                request.header("Authorization", bearer);
            }
            Api.Response response = api.json(request);
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.code()).isEqualTo("unauthorized");
        }
    }
}

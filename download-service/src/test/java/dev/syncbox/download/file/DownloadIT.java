package dev.syncbox.download.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncbox.conflict.engine.ConflictEngineConfiguration;
import dev.syncbox.conflict.engine.commit.Committed;
import dev.syncbox.conflict.engine.testing.TestCommits;
import dev.syncbox.core.delta.BlockDelta;
import dev.syncbox.core.delta.BlockSignature;
import dev.syncbox.download.DownloadServiceApplication;
import dev.syncbox.server.blockstore.BlockStore;
import dev.syncbox.server.metadata.FileVersionRepository;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.RandomContent;
import dev.syncbox.server.testing.Scraped;
import dev.syncbox.server.testing.TestAccounts;
import dev.syncbox.server.testing.TestAccounts.TestUser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;

@SpringBootTest(
        classes = {DownloadServiceApplication.class, ConflictEngineConfiguration.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("it")
class DownloadIT {

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

    private Committed commit(TestUser who, String path, byte[] content) {
        return new TestCommits(context).upload(who, path, content);
    }

    private HttpResponse<byte[]> download(String path, String... headers) {
        HttpRequest.Builder request = api.request(path).header("Authorization", user.bearer());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return api.bytes(request.GET());
    }

    @Test
    void shouldStreamCurrentVersionWithEtag() throws IOException {
        byte[] content = RandomContent.bytes(10, 9 * 1024 * 1024 + 123);
        Committed committed = commit(user, "/video.bin", content);

        HttpResponse<byte[]> response = download("/files/download/" + committed.fileId());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(content);
        assertThat(response.headers().firstValue("ETag")).hasValue('"' + committed.contentHash() + '"');
        assertThat(response.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(response.headers().firstValue("X-Syncbox-Version-Id")).hasValue(committed.versionId());
    }

    @Test
    void aDownloadThatFailsBeforeItsFirstByteIsAProblemWithoutTheFilesHeaders() {
        byte[] content = new byte[300_000];
        new SecureRandom().nextBytes(content);
        Committed committed = commit(user, "/gone-at-once.bin", content);
        List<String> blocks = context.getBean(FileVersionRepository.class)
                .findById(committed.versionId())
                .orElseThrow()
                .blockIds();
        context.getBean(BlockStore.class).delete(List.of(blocks.get(0)));

        HttpResponse<byte[]> response = download("/files/download/" + committed.fileId());

        assertThat(response.statusCode()).isGreaterThanOrEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.headers().firstValue("ETag")).isEmpty();
        assertThat(response.headers().firstValue("X-Syncbox-Version-Id")).isEmpty();
        assertThat(response.headers().firstValue("Content-Disposition")).isEmpty();
        assertThat(tools.jackson.databind.json.JsonMapper.builder()
                        .build()
                        .readTree(response.body())
                        .path("code")
                        .asString())
                .isNotEmpty();
    }

    @Test
    void aBlockGoneFromTheStoreBreaksTheDownloadInsteadOfSendingOtherBytes() throws IOException {
        // Bytes of their own (not a shared seed): the block deleted below is nobody else's.
        byte[] content = new byte[9 * 1024 * 1024];
        new SecureRandom().nextBytes(content);
        Committed committed = commit(user, "/lost.bin", content);
        List<String> blocks = context.getBean(FileVersionRepository.class)
                .findById(committed.versionId())
                .orElseThrow()
                .blockIds();
        assertThat(blocks).hasSizeGreaterThan(3);
        context.getBean(BlockStore.class).delete(List.of(blocks.get(blocks.size() / 2)));

        HttpResponse<InputStream> response = api.stream(api.request("/files/download/" + committed.fileId())
                .header("Authorization", user.bearer())
                .GET());

        // The blocks before it are already on the wire: the answer is cut short, never completed.
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(content.length);
        try (InputStream body = response.body()) {
            assertThatThrownBy(body::readAllBytes).isInstanceOf(IOException.class);
        }
    }

    @Test
    void shouldServeAnOlderVersionOnRequest() throws IOException {
        Committed first = commit(user, "/doc.txt", "first".getBytes());
        Committed second = commit(user, "/doc.txt", "second".getBytes());

        assertThat(download("/files/download/" + first.fileId()).body()).isEqualTo("second".getBytes());
        assertThat(download("/files/download/" + first.fileId() + "?version=" + first.versionId())
                        .body())
                .isEqualTo("first".getBytes());
        assertThat(second.fileId()).isEqualTo(first.fileId());
    }

    @Test
    void shouldServeByteRangesAcrossBlockBoundaries() throws IOException {
        byte[] content = RandomContent.bytes(11, 6 * 1024 * 1024);
        Committed committed = commit(user, "/range.bin", content);
        String url = "/files/download/" + committed.fileId();

        HttpResponse<byte[]> middle = download(url, "Range", "bytes=1000000-5000000");
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 1000000-5000000/" + content.length);
        assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(content, 1_000_000, 5_000_001));

        HttpResponse<byte[]> suffix = download(url, "Range", "bytes=-100");
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(content, content.length - 100, content.length));

        HttpResponse<byte[]> open = download(url, "Range", "bytes=6000000-");
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(content, 6_000_000, content.length));
    }

    @Test
    void shouldAnswer416ForRangeOutsideContent() throws IOException {
        Committed committed = commit(user, "/small.txt", "0123456789".getBytes());

        Api.Response response = api.json(api.request("/files/download/" + committed.fileId())
                .header("Authorization", user.bearer())
                .header("Range", "bytes=10-20")
                .GET());

        assertThat(response.status()).isEqualTo(416);
        assertThat(response.code()).isEqualTo("range_not_satisfiable");
    }

    @Test
    void shouldAnswer304WhenEtagMatches() throws IOException {
        Committed committed = commit(user, "/cached.txt", "cache me".getBytes());

        HttpResponse<byte[]> response =
                download("/files/download/" + committed.fileId(), "If-None-Match", '"' + committed.contentHash() + '"');

        assertThat(response.statusCode()).isEqualTo(304);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void shouldIgnoreRangeWhenIfRangeIsStale() throws IOException {
        Committed committed = commit(user, "/ifrange.txt", "0123456789".getBytes());

        HttpResponse<byte[]> response =
                download("/files/download/" + committed.fileId(), "Range", "bytes=0-1", "If-Range", "\"stale\"");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("0123456789".getBytes());
    }

    @Test
    void listsAVersionsBlocksInContentOrderAndEachCanBeFetched() throws IOException {
        byte[] first = RandomContent.bytes(12, 5 * 1024 * 1024 + 17);
        Committed old = commit(user, "/blocks.bin", first);
        Committed current = commit(user, "/blocks.bin", "now small".getBytes());

        Api.Response listed =
                api.get("/files/download/" + old.fileId() + "/blocks?version=" + old.versionId(), user.bearer());

        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.text("version_id")).isEqualTo(old.versionId());
        assertThat(listed.body().get("size").asLong()).isEqualTo(first.length);
        assertThat(listed.text("content_hash")).isEqualTo(old.contentHash());
        ByteArrayOutputStream assembled = new ByteArrayOutputStream();
        long offset = 0;
        for (var block : listed.body().get("blocks")) {
            assertThat(block.get("offset").asLong()).isEqualTo(offset);
            byte[] bytes =
                    download("/blocks/" + block.get("block_id").asString()).body();
            assertThat(bytes).hasSize(block.get("size").asInt());
            assembled.writeBytes(bytes);
            offset += bytes.length;
        }
        assertThat(assembled.toByteArray()).isEqualTo(first);

        Api.Response now = api.get("/files/download/" + old.fileId() + "/blocks", user.bearer());
        assertThat(now.text("version_id")).isEqualTo(current.versionId());
        assertThat(now.body().get("blocks")).hasSize(1);

        TestUser stranger = new TestAccounts(context).create();
        assertThat(api.get("/files/download/" + old.fileId() + "/blocks", stranger.bearer())
                        .code())
                .isEqualTo("not_found");
        assertThat(api.get(
                                "/files/download/" + old.fileId() + "/blocks?version=01ARZ3NDEKTSV4RRFFQ69G5FAV",
                                user.bearer())
                        .code())
                .isEqualTo("not_found");
    }

    @Test
    void shouldSendAChangedBlockAsADeltaAgainstOneTheClientHolds() throws IOException {
        byte[] before = RandomContent.bytes(21, 300 * 1024);
        byte[] after = before.clone();
        System.arraycopy("an edit of a few bytes".getBytes(), 0, after, 150 * 1024, 22);
        Committed old = commit(user, "/edited.bin", before);
        Committed edited = commit(user, "/edited.bin", after);
        String baseId = api.get("/files/download/" + old.fileId() + "/blocks?version=" + old.versionId(), user.bearer())
                .body()
                .get("blocks")
                .get(0)
                .get("block_id")
                .asString();
        String newId = api.get("/files/download/" + edited.fileId() + "/blocks", user.bearer())
                .body()
                .get("blocks")
                .get(0)
                .get("block_id")
                .asString();

        Scraped metricsBefore = Scraped.from(api);
        HttpResponse<byte[]> delta = download("/blocks/" + newId + "/delta?base=" + baseId);
        Scraped metricsAfter = Scraped.from(api);

        assertThat(delta.statusCode()).isEqualTo(200);
        assertThat(delta.body().length).as("a delta, not the block").isLessThan(after.length / 10);
        assertThat(BlockDelta.apply(List.of(before), delta.body())).isEqualTo(after);
        assertThat(metricsAfter.since(
                        metricsBefore,
                        "syncbox_delta_saved_bytes_total{direction=\"download\",service=\"download-service\"}"))
                .isEqualTo(after.length - delta.body().length);
        assertThat(metricsAfter.since(
                        metricsBefore,
                        "syncbox_download_latency_seconds_count{method=\"GET\",outcome=\"success\","
                                + "route=\"/blocks/{blockId}/delta\",service=\"download-service\"}"))
                .isEqualTo(1);

        TestUser stranger = new TestAccounts(context).create();
        assertThat(api.get("/blocks/" + newId + "/delta?base=" + baseId, stranger.bearer())
                        .code())
                .isEqualTo("not_found");
        assertThat(download("/blocks/" + newId + "/delta?base=" + "0".repeat(64))
                        .statusCode())
                .as("a base the caller cannot read")
                .isEqualTo(404);
        assertThat(api.get("/blocks/" + newId + "/delta?base=XYZ", user.bearer())
                        .code())
                .isEqualTo("invalid_request");
        assertThat(api.get("/blocks/" + newId + "/delta", user.bearer()).status())
                .isEqualTo(400);
    }

    @Test
    void shouldSignABlockSoAClientWithoutItsBytesCanSendADelta() throws IOException {
        byte[] before = RandomContent.bytes(22, 300 * 1024);
        Committed old = commit(user, "/signed.bin", before);
        String baseId = api.get("/files/download/" + old.fileId() + "/blocks", user.bearer())
                .body()
                .get("blocks")
                .get(0)
                .get("block_id")
                .asString();
        byte[] after = before.clone();
        System.arraycopy("an edit made in place".getBytes(), 0, after, 100 * 1024, 21);

        HttpResponse<byte[]> signature = download("/blocks/" + baseId + "/signature");

        assertThat(signature.statusCode()).isEqualTo(200);
        assertThat(signature.body()).isEqualTo(BlockSignature.of(before));
        byte[] delta = BlockSignature.delta(signature.body(), after);
        assertThat(delta.length).as("about the edit, not the block").isLessThan(5 * BlockSignature.WINDOW);
        assertThat(BlockDelta.apply(List.of(before), delta)).isEqualTo(after);

        TestUser stranger = new TestAccounts(context).create();
        assertThat(api.get("/blocks/" + baseId + "/signature", stranger.bearer())
                        .code())
                .as("a block the caller cannot read")
                .isEqualTo("not_found");
        assertThat(download("/blocks/" + "0".repeat(64) + "/signature").statusCode())
                .isEqualTo(404);
        assertThat(api.get("/blocks/XYZ/signature", user.bearer()).code()).isEqualTo("invalid_request");
    }

    @Test
    void shouldAnswer404ForUnknownFileVersionOrSomeoneElsesFile() throws IOException {
        Committed committed = commit(user, "/mine.txt", "mine".getBytes());
        TestUser stranger = new TestAccounts(context).create();

        for (String path : new String[] {
            "/files/download/01ARZ3NDEKTSV4RRFFQ69G5FAV",
            "/files/download/" + committed.fileId() + "?version=01ARZ3NDEKTSV4RRFFQ69G5FAV"
        }) {
            Api.Response response = api.get(path, user.bearer());
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.code()).isEqualTo("not_found");
        }
        Api.Response foreign = api.get("/files/download/" + committed.fileId(), stranger.bearer());
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.code()).isEqualTo("not_found");
    }

    @Test
    void shouldAnswer401WithoutToken() throws IOException {
        Committed committed = commit(user, "/private.txt", "secret".getBytes());

        Api.Response response = api.get("/files/download/" + committed.fileId(), null);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.code()).isEqualTo("unauthorized");
    }

    @Test
    void shouldAnswer400ForAMalformedBlockId() throws IOException {
        String valid = "0123456789abcdef".repeat(4);
        for (String id : new String[] {"xyz", valid.toUpperCase(), valid.substring(1), valid + "0", "check"}) {
            Api.Response response = api.get("/blocks/" + id, user.bearer());

            assertThat(response.status()).as(id).isEqualTo(400);
            assertThat(response.code()).as(id).isEqualTo("invalid_request");
        }
        Api.Response wellFormed = api.get("/blocks/" + valid, user.bearer());
        assertThat(wellFormed.status()).isEqualTo(404);
        assertThat(wellFormed.code()).isEqualTo("not_found");
    }

    @Test
    void shouldListenOnLoopbackOnlyByDefault() throws IOException {
        WebServer server = ((WebServerApplicationContext) context).getWebServer();
        Connector connector = ((TomcatWebServer) server).getTomcat().getConnector();

        // server.address from syncbox-common.yml; SYNCBOX_BIND_ADDRESS=0.0.0.0 is for containers only
        assertThat(connector.getProperty("address")).isEqualTo(InetAddress.getByName("127.0.0.1"));
    }
}

package dev.syncbox.download.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.conflict.engine.ConflictEngineConfiguration;
import dev.syncbox.conflict.engine.commit.Committed;
import dev.syncbox.conflict.engine.testing.TestCommits;
import dev.syncbox.download.DownloadServiceApplication;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.RandomContent;
import dev.syncbox.server.testing.TestAccounts;
import dev.syncbox.server.testing.TestAccounts.TestUser;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code POST /files/download_batch}: many files' content in one multipart answer, each entry answered in place. */
@SpringBootTest(
        classes = {DownloadServiceApplication.class, ConflictEngineConfiguration.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("it")
class DownloadBatchIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

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

    /** A part of the answer: its headers (lower-case names) and body. */
    record Part(Map<String, String> headers, byte[] body) {}

    @Test
    void shouldAnswerEveryEntryInOrderWithItsContentOrItsProblem() {
        TestCommits commits = new TestCommits(context);
        Committed small = commits.upload(user, "/a.txt", "alpha");
        Committed empty = commits.upload(user, "/empty.txt", new byte[0]);
        byte[] big = RandomContent.bytes(21, 6 * 1024 * 1024 + 17);
        Committed large = commits.upload(user, "/large.bin", big);
        Committed first = commits.upload(user, "/doc.txt", "first");
        Committed second = commits.upload(user, "/doc.txt", "second");
        TestUser stranger = new TestAccounts(context).create();
        Committed theirs = commits.upload(stranger, "/theirs.txt", "not yours");

        List<Part> parts = batch(
                user,
                List.of(
                        entry(small.fileId(), null),
                        entry(theirs.fileId(), null),
                        entry(empty.fileId(), null),
                        entry(large.fileId(), large.versionId()),
                        entry("01ARZ3NDEKTSV4RRFFQ69G5FAV", null),
                        entry(first.fileId(), first.versionId()),
                        entry(small.fileId(), first.versionId()),
                        entry(second.fileId(), null)));

        assertThat(parts).hasSize(8);
        assertContent(parts.get(0), small, "alpha".getBytes(StandardCharsets.UTF_8));
        assertProblem(parts.get(1), theirs.fileId(), 404, "not_found");
        assertContent(parts.get(2), empty, new byte[0]);
        assertContent(parts.get(3), large, big);
        assertProblem(parts.get(4), "01ARZ3NDEKTSV4RRFFQ69G5FAV", 404, "not_found");
        assertContent(parts.get(5), first, "first".getBytes(StandardCharsets.UTF_8));
        assertProblem(parts.get(6), small.fileId(), 404, "not_found");
        assertContent(parts.get(7), second, "second".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldRefuseARequestItCannotAnswerWithAProblem() {
        Committed small = new TestCommits(context).upload(user, "/b.txt", "bravo");
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i <= DownloadBatchController.MAX_ENTRIES; i++) {
            tooMany.add(entry(small.fileId(), null));
        }

        for (String body : List.of(
                "{\"entries\": []}",
                "{}",
                "{\"entries\": [{\"version_id\": \"x\"}]}",
                "{\"entries\": [{\"file_id\": \" \"}]}",
                "{\"entries\": [null]}",
                "{\"entries\": ",
                JSON.writeValueAsString(Map.of("entries", tooMany)))) {
            Api.Response answer = api.json(request(user, body));
            assertThat(answer.status())
                    .as(body.length() > 80 ? "1,001 entries" : body)
                    .isEqualTo(400);
            assertThat(answer.code()).isEqualTo("invalid_request");
        }
        assertThat(api.json(request(user, "{\"entries\": []}")).text("detail"))
                .as("which member, as the JSON names it, and why")
                .isEqualTo("entries: size must be between 1 and 1000");
        assertThat(api.json(request(user, "{\"entries\": [{\"version_id\": \"x\"}]}"))
                        .text("detail"))
                .startsWith("entries[0].file_id: ");
        Api.Response anonymous = api.json(api.request("/files/download_batch")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(Map.of("entries", List.of(entry(small.fileId(), null)))))));
        assertThat(anonymous.status()).isEqualTo(401);
    }

    private static Map<String, Object> entry(String fileId, String versionId) {
        Map<String, Object> entry = new HashMap<>();
        entry.put("file_id", fileId);
        if (versionId != null) {
            entry.put("version_id", versionId);
        }
        return entry;
    }

    private HttpRequest.Builder request(TestUser who, String body) {
        return api.request("/files/download_batch")
                .header("Authorization", who.bearer())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private List<Part> batch(TestUser who, List<Map<String, Object>> entries) {
        HttpResponse<byte[]> answer = api.bytes(request(who, JSON.writeValueAsString(Map.of("entries", entries))));
        assertThat(answer.statusCode()).isEqualTo(200);
        String type = answer.headers().firstValue("Content-Type").orElseThrow();
        assertThat(type).startsWith("multipart/mixed; boundary=");
        return parse(answer.body(), type.substring(type.indexOf("boundary=") + 9));
    }

    /** The plain way: split at every CRLF + delimiter, then headers from body at the first empty line. */
    private static List<Part> parse(byte[] body, String boundary) {
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[body.length + 2];
        all[0] = '\r';
        all[1] = '\n';
        System.arraycopy(body, 0, all, 2, body.length);
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i + delimiter.length <= all.length; i++) {
            if (Arrays.equals(all, i, i + delimiter.length, delimiter, 0, delimiter.length)) {
                at.add(i);
            }
        }
        String tail =
                new String(all, at.get(at.size() - 1), all.length - at.get(at.size() - 1), StandardCharsets.US_ASCII);
        assertThat(tail).isEqualTo("\r\n--" + boundary + "--\r\n");
        List<Part> parts = new ArrayList<>();
        for (int k = 0; k + 1 < at.size(); k++) {
            int start = at.get(k) + delimiter.length + 2;
            int end = at.get(k + 1);
            int blank = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), start);
            Map<String, String> headers = new HashMap<>();
            for (String line : new String(all, start, blank - start, StandardCharsets.US_ASCII).split("\r\n")) {
                int colon = line.indexOf(':');
                headers.put(
                        line.substring(0, colon).toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
            parts.add(new Part(headers, Arrays.copyOfRange(all, blank + 4, end)));
        }
        return parts;
    }

    private static int indexOf(byte[] all, byte[] what, int from) {
        for (int i = from; i + what.length <= all.length; i++) {
            if (Arrays.equals(all, i, i + what.length, what, 0, what.length)) {
                return i;
            }
        }
        throw new AssertionError("no header end");
    }

    private static void assertContent(Part part, Committed committed, byte[] content) {
        assertThat(part.headers())
                .containsEntry("content-type", "application/octet-stream")
                .containsEntry("content-length", Integer.toString(content.length))
                .containsEntry("x-syncbox-file-id", committed.fileId())
                .containsEntry("x-syncbox-version-id", committed.versionId())
                .containsEntry("x-syncbox-checksum", committed.contentHash());
        assertThat(part.body()).isEqualTo(content);
    }

    private static void assertProblem(Part part, String fileId, int status, String code) {
        assertThat(part.headers())
                .containsEntry("content-type", "application/problem+json")
                .containsEntry("x-syncbox-file-id", fileId)
                .containsEntry("content-length", Integer.toString(part.body().length));
        JsonNode problem = JSON.readTree(part.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("code").asString()).isEqualTo(code);
        assertThat(problem.path("type").asString()).isEqualTo("https://syncbox.dev/problems/" + code);
        assertThat(problem.path("title").asString()).isNotBlank();
    }
}

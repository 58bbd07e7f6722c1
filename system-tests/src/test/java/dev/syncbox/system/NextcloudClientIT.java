package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.server.testing.Api;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The Nextcloud desktop client's command line ({@code nextcloudcmd}, Debian's {@code nextcloud-desktop-cmd}), unchanged,
 * syncing one folder with syncbox through the gateway, signed in with an app password as a user would
 * (docs/nextcloud.md). Each step changes both sides, one through the local folder and one through syncbox's own API,
 * runs the client once, and then requires the folder to hold exactly what syncbox's own API lists: every name, size
 * and SHA-256. The steps run in order on the same folder and account.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NextcloudClientIT {

    static final long HUNDRED_MIB = 100L << 20;

    @TempDir
    static Path temp;

    static TestGateway gateway;
    static Api api;
    static DavClients.Account account;
    static Path local;
    static Path outside;
    static Path logs;

    @BeforeAll
    static void start() throws IOException {
        DavClients.requireTool("nextcloudcmd", "nextcloud-desktop-cmd");
        gateway = TestGateway.in(RunningSystem.get());
        api = new Api(gateway.url());
        account = DavClients.account(api, "nextcloudcmd");
        local = Files.createDirectories(temp.resolve("Nextcloud"));
        outside = Files.createDirectories(temp.resolve("outside"));
        logs = Files.createDirectories(temp.resolve("logs"));
        Files.createDirectories(temp.resolve("home"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** One run of the client over the folder; it must succeed. */
    private static DavClients.Run sync(String step) {
        DavClients.Run run = DavClients.run(
                temp,
                logs.resolve(step + ".log"),
                Map.of(
                        // a home of its own: no proxy or account settings of a Nextcloud client installed here
                        "HOME", temp.resolve("home").toString(),
                        "XDG_CONFIG_HOME", temp.resolve("home/.config").toString(),
                        // file names are UTF-8 whatever the machine's locale
                        "LC_ALL", "C.UTF-8"),
                Duration.ofMinutes(10),
                List.of(
                        "nextcloudcmd",
                        "--non-interactive",
                        "-u",
                        account.email(),
                        "-p",
                        account.appPassword(),
                        local.toString(),
                        gateway.url()));
        assertThat(run.exitCode()).as("%s", run.report()).isZero();
        return run;
    }

    /** The folder holds exactly what syncbox's API lists. */
    private static void assertSameTrees(DavClients.Run run) {
        Map<String, String> server = DavClients.serverTree(api, account.bearer(), "/");
        assertThat(DavClients.localTree(local))
                .as("the local folder (left) against syncbox's own API (right) after\n%s", run.report())
                .isEqualTo(server);
    }

    private static Map<String, String> server() {
        return DavClients.serverTree(api, account.bearer(), "/");
    }

    private static void folder(String path) {
        Api.Response created = api.postJson("/files/folder", account.bearer(), Map.of("path", path));
        assertThat(created.status()).as("folder %s: %s", path, created.body()).isIn(200, 201);
    }

    private static void uploadText(String path, String text) {
        Path content = DavClients.write(outside.resolve("upload-" + System.nanoTime()), text);
        DavClients.upload(api, api, account.bearer(), path, content);
    }

    private static String fileId(String path) {
        JsonNode entry = DavClients.serverEntry(api, account.bearer(), path);
        assertThat(entry.isMissingNode()).as("%s on the server", path).isFalse();
        return entry.path("file_id").asString();
    }

    private static String sizeAndHash(String text) {
        Path file = DavClients.write(outside.resolve("expected-" + System.nanoTime()), text);
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + ":" + DavClients.sha256(file);
    }

    @Test
    @Order(1)
    void shouldSyncNewFilesAndFoldersBothWays() {
        DavClients.write(local.resolve("docs/a.txt"), "alpha");
        DavClients.write(local.resolve("docs/deep/b.txt"), "bravo");
        DavClients.write(local.resolve("ünïcödé — 名前.txt"), "unicode");
        DavClients.write(local.resolve("plus+and&hash#100%.txt"), "reserved characters");
        DavClients.write(local.resolve("empty.txt"), "");
        uploadText("/from-server/s1.txt", "server one");
        uploadText("/from-server/sub/s2.txt", "server two");
        folder("/from-server/empty");

        DavClients.Run run = sync("1-new");

        Map<String, String> server = server();
        assertThat(server)
                .as("local files on the server\n%s", run.report())
                .containsEntry("/docs/a.txt", sizeAndHash("alpha"))
                .containsEntry("/docs/deep/b.txt", sizeAndHash("bravo"))
                .containsEntry("/ünïcödé — 名前.txt", sizeAndHash("unicode"))
                .containsEntry("/plus+and&hash#100%.txt", sizeAndHash("reserved characters"))
                .containsEntry("/empty.txt", sizeAndHash(""));
        assertThat(DavClients.localTree(local))
                .as("server files in the folder\n%s", run.report())
                .containsEntry("/from-server/s1.txt", sizeAndHash("server one"))
                .containsEntry("/from-server/sub/s2.txt", sizeAndHash("server two"))
                .containsEntry("/from-server/empty/", "");
        assertSameTrees(run);
    }

    @Test
    @Order(2)
    void shouldCarryEditsBothWays() {
        DavClients.write(local.resolve("docs/a.txt"), "alpha, edited in the local folder");
        uploadText("/from-server/s1.txt", "server one, edited through syncbox's own API");

        DavClients.Run run = sync("2-edits");

        assertThat(server())
                .as("the local edit on the server\n%s", run.report())
                .containsEntry("/docs/a.txt", sizeAndHash("alpha, edited in the local folder"));
        assertThat(DavClients.localTree(local))
                .as("the server's edit in the folder\n%s", run.report())
                .containsEntry("/from-server/s1.txt", sizeAndHash("server one, edited through syncbox's own API"));
        assertSameTrees(run);
    }

    @Test
    @Order(3)
    void shouldCarryRenamesBothWaysKeepingTheFiles() throws IOException {
        String renamedLocally = fileId("/docs/deep/b.txt");
        String folderRenamedLocally = fileId("/docs");
        Files.move(local.resolve("docs/deep/b.txt"), local.resolve("docs/deep/b-renamed.txt"));
        Files.move(local.resolve("docs"), local.resolve("documents"));
        Api.Response file = api.postJson(
                "/files/move",
                account.bearer(),
                Map.of("from_path", "/from-server/s1.txt", "to_path", "/from-server/s1-renamed.txt"));
        Api.Response folder = api.postJson(
                "/files/move",
                account.bearer(),
                Map.of("from_path", "/from-server/sub", "to_path", "/from-server/sub-renamed"));
        assertThat(file.status()).as("%s", file.body()).isEqualTo(200);
        assertThat(folder.status()).as("%s", folder.body()).isEqualTo(200);

        DavClients.Run run = sync("3-renames");

        assertThat(DavClients.localTree(local))
                .as("the server's renames in the folder\n%s", run.report())
                .containsKeys("/from-server/s1-renamed.txt", "/from-server/sub-renamed/s2.txt")
                .doesNotContainKeys("/from-server/s1.txt", "/from-server/sub/");
        assertThat(fileId("/documents/deep/b-renamed.txt"))
                .as("a local rename is a move on the server, not a new file\n%s", run.report())
                .isEqualTo(renamedLocally);
        assertThat(fileId("/documents"))
                .as("a local folder rename is a move on the server\n%s", run.report())
                .isEqualTo(folderRenamedLocally);
        assertSameTrees(run);
    }

    @Test
    @Order(4)
    void shouldCarryDeletesBothWaysIntoSyncboxsTrash() throws IOException {
        Files.delete(local.resolve("documents/deep/b-renamed.txt"));
        Files.delete(local.resolve("documents/deep"));
        Files.delete(local.resolve("empty.txt"));
        for (String path : List.of("/from-server/s1-renamed.txt", "/from-server/empty")) {
            Api.Response deleted = api.postJson("/files/" + fileId(path) + "/delete", account.bearer(), Map.of());
            assertThat(deleted.status())
                    .as("delete %s: %s", path, deleted.body())
                    .isEqualTo(200);
        }

        DavClients.Run run = sync("4-deletes");

        assertThat(server())
                .as("local deletes on the server\n%s", run.report())
                .doesNotContainKeys("/documents/deep/", "/documents/deep/b-renamed.txt", "/empty.txt");
        assertThat(DavClients.localTree(local))
                .as("the server's deletes in the folder\n%s", run.report())
                .doesNotContainKeys("/from-server/s1-renamed.txt", "/from-server/empty/");
        Api.Response trash = api.get("/trash", account.bearer());
        assertThat(trash.body()
                        .path("entries")
                        .valueStream()
                        .map(e -> e.path("path").asString()))
                .as("syncbox's trash keeps what the client deleted: %s", trash.body())
                .anyMatch(path -> path.startsWith("/documents/deep"))
                .contains("/empty.txt");
        assertSameTrees(run);
    }

    @Test
    @Order(5)
    void shouldSyncAHundredMebibyteFileEachWay() {
        Path fromLocal = DavClients.randomFile(local.resolve("big/local-100MiB.bin"), HUNDRED_MIB, 1);
        Path fromServer = DavClients.randomFile(outside.resolve("server-100MiB.bin"), HUNDRED_MIB, 2);
        DavClients.upload(api, api, account.bearer(), "/big/server-100MiB.bin", fromServer);

        DavClients.Run run = sync("5-100MiB");

        assertThat(server())
                .as("the local 100 MiB file on the server\n%s", run.report())
                .containsEntry("/big/local-100MiB.bin", HUNDRED_MIB + ":" + DavClients.sha256(fromLocal));
        assertThat(DavClients.localTree(local))
                .as("the server's 100 MiB file in the folder\n%s", run.report())
                .containsEntry("/big/server-100MiB.bin", HUNDRED_MIB + ":" + DavClients.sha256(fromServer));
        assertSameTrees(run);
    }

    @Test
    @Order(6)
    void shouldTransferNothingWhenNothingChanged() {
        // the run after uploads may still fetch the metadata a PUT's answer lacks
        sync("6-settle");
        int mark = gateway.mark();

        DavClients.Run run = sync("6-idle");

        List<String> requests = gateway.since(mark);
        assertThat(requests)
                .as(
                        "a run with nothing to do reads status.php, the capabilities, the user and the root only\n%s",
                        run.report())
                .allMatch(request -> request.startsWith("GET /status.php")
                        || request.startsWith("GET /ocs/")
                        || request.equals("PROPFIND /remote.php/dav/files/" + account.email() + "/"));
        assertSameTrees(run);
    }
}

package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.server.testing.Api;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rclone's webdav backend (Debian's {@code rclone}), unchanged, against syncbox's WebDAV through the gateway with an
 * app password: it copies a tree of nested folders, non-ASCII and reserved-character names, an empty file and a few
 * MiB of random bytes, {@code rclone check} then finds nothing different (by size and hash, and byte for byte with
 * {@code --download}), and syncbox's own API lists the same tree. Both Nextcloud's layout ({@code vendor=nextcloud})
 * and plain WebDAV on {@code /dav/} ({@code vendor=other}) are used, the way users configure rclone (docs/nextcloud.md).
 */
class RcloneWebdavIT {

    @TempDir
    static Path temp;

    static TestGateway gateway;
    static Api api;
    static DavClients.Account account;
    static Path tree;
    static String obscured;

    @BeforeAll
    static void start() throws IOException {
        DavClients.requireTool("rclone", "rclone");
        gateway = TestGateway.in(RunningSystem.get());
        api = new Api(gateway.url());
        account = DavClients.account(api, "rclone");
        tree = Files.createDirectories(temp.resolve("tree"));
        DavClients.write(tree.resolve("a.txt"), "alpha");
        DavClients.write(tree.resolve("nested/deeper/deepest/b.txt"), "bravo, three folders down");
        DavClients.write(tree.resolve("ünïcödé/ファイル — ü.txt"), "non-ASCII names");
        DavClients.write(tree.resolve("with space & plus+#1%.txt"), "reserved characters");
        DavClients.write(tree.resolve("nested/empty.txt"), "");
        DavClients.randomFile(tree.resolve("nested/deeper/five-MiB.bin"), 5L << 20, 3);
        DavClients.Run obscure = rclone("obscure", List.of("obscure", account.appPassword()), Map.of());
        assertThat(obscure.exitCode()).as("%s", obscure.report()).isZero();
        obscured = obscure.output().strip();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** The remote {@code sb:}, configured through rclone's environment variables only. */
    private static Map<String, String> remote(String url, String vendor) {
        Map<String, String> environment = new HashMap<>();
        environment.put("RCLONE_CONFIG_SB_TYPE", "webdav");
        environment.put("RCLONE_CONFIG_SB_URL", url);
        environment.put("RCLONE_CONFIG_SB_VENDOR", vendor);
        environment.put("RCLONE_CONFIG_SB_USER", account.email());
        environment.put("RCLONE_CONFIG_SB_PASS", obscured);
        return environment;
    }

    private static Map<String, String> nextcloud() {
        return remote(gateway.url() + "/remote.php/dav/files/" + account.email(), "nextcloud");
    }

    private static Map<String, String> plain() {
        return remote(gateway.url() + "/dav", "other");
    }

    private static DavClients.Run rclone(String name, List<String> arguments, Map<String, String> environment) {
        List<String> command = new ArrayList<>(List.of("rclone", "--retries", "1", "--low-level-retries", "2", "-v"));
        command.addAll(arguments);
        Map<String, String> all = new HashMap<>(environment);
        all.put("RCLONE_CONFIG", temp.resolve("rclone.conf").toString()); // none: the remote comes from variables
        all.put("HOME", temp.toString());
        all.put("LC_ALL", "C.UTF-8");
        return DavClients.run(
                temp, temp.resolve(name + "-" + System.nanoTime() + ".log"), all, Duration.ofMinutes(5), command);
    }

    private static void ok(DavClients.Run run) {
        assertThat(run.exitCode()).as("%s", run.report()).isZero();
    }

    @Test
    void shouldCopyATreeThatRcloneCheckAndSyncboxsApiAgreeOn() throws IOException {
        ok(rclone("copy", List.of("copy", tree.toString(), "sb:rc"), nextcloud()));

        ok(rclone("check", List.of("check", tree.toString(), "sb:rc"), nextcloud()));
        ok(rclone("check-download", List.of("check", "--download", tree.toString(), "sb:rc"), nextcloud()));
        assertThat(DavClients.serverTree(api, account.bearer(), "/rc"))
                .as("syncbox's own API (left) against the copied tree (right)")
                .isEqualTo(DavClients.localTree(tree));

        Path back = temp.resolve("back");
        ok(rclone("copy-back", List.of("copy", "sb:rc", back.toString()), nextcloud()));
        assertThat(DavClients.localTree(back)).as("copied back").isEqualTo(DavClients.localTree(tree));
    }

    @Test
    void shouldServeTheSameTreeAsPlainWebdavOnDav() {
        ok(rclone("copy-plain", List.of("copy", tree.toString(), "sb:plain"), plain()));

        ok(rclone("check-plain", List.of("check", "--download", tree.toString(), "sb:plain"), plain()));
        ok(rclone(
                "check-across",
                List.of("check", "--download", tree.toString(), "sb:plain"),
                remote(gateway.url() + "/remote.php/webdav", "nextcloud")));
        assertThat(DavClients.serverTree(api, account.bearer(), "/plain"))
                .as("syncbox's own API (left) against the copied tree (right)")
                .isEqualTo(DavClients.localTree(tree));
    }

    @Test
    void shouldReportAFileThatDiffers() throws IOException {
        Path changed = temp.resolve("changed");
        ok(rclone("copy-changed", List.of("copy", tree.toString(), changed.toString()), Map.of()));
        ok(rclone("copy-for-diff", List.of("copy", tree.toString(), "sb:differs"), nextcloud()));
        Files.writeString(changed.resolve("a.txt"), "ALPHA"); // same size, other bytes

        DavClients.Run check =
                rclone("check-differs", List.of("check", "--download", changed.toString(), "sb:differs"), nextcloud());

        assertThat(check.exitCode()).as("%s", check.report()).isNotZero();
        assertThat(check.output()).as("%s", check.report()).contains("1 differences found");
    }
}

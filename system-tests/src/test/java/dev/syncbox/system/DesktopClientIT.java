package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncbox.client.Main;
import dev.syncbox.client.api.HttpRemote;
import dev.syncbox.client.api.ServerClient;
import dev.syncbox.client.config.Credentials;
import dev.syncbox.client.local.LocalFolder;
import dev.syncbox.client.sync.RemoteSide;
import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.core.hash.Sha256;
import dev.syncbox.core.id.Ids;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.Multipart;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Two devices of one account, each a {@code syncbox sync DIR --once} run of the desktop client with a config dir of
 * its own, against the real services behind one address. The steps run in order on the same two folders.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DesktopClientIT {

    static final String PASSWORD = "a long password";

    @TempDir
    static Path temp;

    static TestGateway gateway;
    static Device laptop;
    static Device desktop;

    record Device(Path config, Path folder) {

        int sync(String... extra) {
            String[] args = new String[4 + extra.length];
            args[0] = "--config-dir";
            args[1] = config.toString();
            args[2] = "sync";
            args[3] = folder.toString();
            System.arraycopy(extra, 0, args, 4, extra.length);
            String[] once = java.util.Arrays.copyOf(args, args.length + 1);
            once[args.length] = "--once";
            return Main.run(once);
        }

        Path file(String path) {
            return folder.resolve(path);
        }
    }

    @BeforeAll
    static void twoDevices() throws IOException {
        RunningSystem system = RunningSystem.get();
        gateway = TestGateway.in(system);
        Api api = system.api(system.sync);
        String email = register(api, "client", "Ada");
        laptop = device(api, email, "laptop");
        desktop = device(api, email, "desktop");
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @Test
    @Order(1)
    void shouldBringWhatOneDeviceWritesToTheOther() throws IOException {
        Files.createDirectories(laptop.file("docs/deep"));
        Files.writeString(laptop.file("docs/a.txt"), "line 1\nline 2\nline 3\n");
        Files.write(laptop.file("docs/deep/photo.bin"), random(1, 3 * 1024 * 1024 + 17));
        Files.writeString(laptop.file("empty.txt"), "");

        assertThat(laptop.sync()).isZero();
        assertThat(desktop.sync()).isZero();

        assertThat(tree(desktop.folder()))
                .isEqualTo(tree(laptop.folder()))
                .containsKeys("/docs/", "/docs/deep/", "/docs/a.txt", "/docs/deep/photo.bin", "/empty.txt");

        JsonNode settled = json(desktop, "status", desktop.folder().toString());
        assertThat(settled.path("pending")).isEmpty();
        assertThat(settled.path("problems")).isEmpty();
        assertThat(java.time.Instant.parse(settled.path("last_synced").asString()))
                .isNotNull();
        Files.writeString(laptop.file("docs/not-yet.txt"), "waiting");
        JsonNode waiting = json(laptop, "status", laptop.folder().toString());
        assertThat(waiting.path("pending").toString())
                .contains("/docs/not-yet.txt")
                .contains("to upload");
        assertThat(laptop.sync()).isZero();
        assertThat(desktop.sync()).isZero();
    }

    @Test
    @Order(2)
    void shouldCarryEditsAndAFolderRenameBothWays() throws IOException {
        Files.writeString(desktop.file("docs/a.txt"), "line 1\nline 2 edited on the desktop\nline 3\n");
        Files.move(laptop.file("docs/deep"), laptop.file("docs/pictures"));

        assertThat(desktop.sync()).isZero();
        assertThat(laptop.sync()).isZero();
        assertThat(desktop.sync()).isZero();

        assertThat(Files.readString(laptop.file("docs/a.txt"))).contains("edited on the desktop");
        assertThat(desktop.file("docs/pictures/photo.bin")).exists();
        assertThat(desktop.file("docs/deep")).doesNotExist();
        assertThat(tree(desktop.folder())).isEqualTo(tree(laptop.folder()));
    }

    @Test
    @Order(3)
    void shouldLoseNeitherSideOfAConflict() throws IOException {
        Files.writeString(laptop.file("notes.txt"), "shared start\n");
        assertThat(laptop.sync()).isZero();
        assertThat(desktop.sync()).isZero();

        Files.writeString(laptop.file("notes.txt"), "the laptop's words\n");
        Files.writeString(desktop.file("notes.txt"), "the desktop's words\n");
        assertThat(laptop.sync()).isZero();
        assertThat(desktop.sync()).isZero();
        assertThat(laptop.sync()).isZero();

        Map<String, String> laptopTree = tree(laptop.folder());
        assertThat(tree(desktop.folder())).isEqualTo(laptopTree);
        String everything = contents(laptop.folder());
        assertThat(everything).contains("the laptop's words").contains("the desktop's words");
    }

    @Test
    @Order(4)
    void shouldDeleteOnTheOtherDeviceIntoItsQuarantine() throws IOException {
        Files.delete(laptop.file("empty.txt"));

        assertThat(laptop.sync()).isZero();
        assertThat(desktop.sync()).isZero();

        assertThat(desktop.file("empty.txt")).doesNotExist();
        try (Stream<Path> kept = Files.walk(desktop.file(".syncbox/quarantine"))) {
            assertThat(kept.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("empty.txt."));
        }
    }

    @Test
    @Order(5)
    void shouldRefuseAFolderWhoseStateIsGoneRatherThanDeleteEverything() throws IOException {
        Path state = desktop.file(".syncbox");
        Files.move(state, temp.resolve("desktop-state-aside"));
        try {
            assertThat(desktop.sync()).as("exit code: folder refused").isEqualTo(5);
            assertThat(laptop.sync()).isZero();
            assertThat(laptop.file("docs/a.txt")).exists();
        } finally {
            Files.move(temp.resolve("desktop-state-aside"), state);
        }
        assertThat(desktop.sync()).isZero();
    }

    @Test
    @Order(6)
    void shouldRefuseAMassDeleteUntilAllowed() throws IOException {
        for (int i = 0; i < 25; i++) {
            Files.writeString(laptop.file("docs/many-" + i + ".txt"), "file " + i);
        }
        assertThat(laptop.sync()).isZero();
        assertThat(desktop.sync()).isZero();
        try (Stream<Path> all = Files.list(desktop.file("docs"))) {
            for (Path p : all.filter(p -> p.getFileName().toString().startsWith("many-"))
                    .toList()) {
                Files.delete(p);
            }
        }
        Files.delete(desktop.file("docs/a.txt"));

        assertThat(desktop.sync()).as("exit code: mass delete refused").isEqualTo(4);
        assertThat(laptop.sync()).isZero();
        assertThat(laptop.file("docs/many-0.txt"))
                .as("nothing deleted on the server")
                .exists();

        assertThat(desktop.sync("--allow-mass-delete")).isZero();
        assertThat(laptop.sync()).as("the same guard on the receiving device").isEqualTo(4);
        assertThat(laptop.file("docs/many-0.txt")).exists();
        assertThat(laptop.sync("--allow-mass-delete")).isZero();
        assertThat(laptop.file("docs/many-0.txt")).doesNotExist();
        assertThat(tree(desktop.folder())).isEqualTo(tree(laptop.folder()));
    }

    @Test
    @Order(7)
    void shouldRestoreVersionsAndTrashAndPauseFromTheCommandLine() throws IOException {
        JsonNode versions = json(laptop, "versions", "/notes.txt");
        assertThat(versions.path("versions").size()).isGreaterThanOrEqualTo(2);
        JsonNode oldest =
                versions.path("versions").get(versions.path("versions").size() - 1);
        assertThat(command(
                        laptop,
                        "restore",
                        "/notes.txt",
                        "--version",
                        oldest.path("id").asString()))
                .isZero();
        assertThat(laptop.sync()).isZero();
        assertThat(Files.readString(laptop.file("notes.txt"))).isEqualTo("shared start\n");

        assertThat(json(laptop, "trash").path("entries").toString()).contains("/empty.txt");
        assertThat(command(laptop, "trash", "restore", "/empty.txt")).isZero();
        assertThat(laptop.sync()).isZero();
        assertThat(laptop.file("empty.txt")).exists();
        assertThat(json(laptop, "ls", "/").path("entries").toString()).contains("\"/empty.txt\"");

        assertThat(command(desktop, "pause", desktop.folder().toString())).isZero();
        Files.writeString(desktop.file("while-paused.txt"), "waits");
        assertThat(desktop.sync()).isZero();
        assertThat(laptop.sync()).isZero();
        assertThat(laptop.file("while-paused.txt"))
                .as("nothing synced while paused")
                .doesNotExist();
        assertThat(command(desktop, "resume", desktop.folder().toString())).isZero();
        assertThat(desktop.sync()).isZero();
        assertThat(laptop.sync()).isZero();
        assertThat(laptop.file("while-paused.txt")).hasContent("waits");

        assertThat(command(laptop, "conflicts")).isZero();
        assertThat(command(laptop, "versions", "/no/such/file.txt")).isEqualTo(1);
    }

    @Test
    @Order(8)
    void shouldKeepIgnoredPathsOutOfSyncBothWays() throws IOException {
        Files.writeString(laptop.file(".syncboxignore"), "secret/\n*.tmp\n");
        Files.createDirectories(laptop.file("secret"));
        Files.writeString(laptop.file("secret/key.txt"), "private");
        Files.writeString(laptop.file("scratch.tmp"), "scratch");

        assertThat(laptop.sync()).isZero();
        assertThat(desktop.sync()).isZero();

        assertThat(desktop.file(".syncboxignore")).exists();
        assertThat(desktop.file("secret")).doesNotExist();
        assertThat(desktop.file("scratch.tmp")).doesNotExist();
        assertThat(json(laptop, "ls", "/").path("entries").toString()).doesNotContain("secret", "scratch.tmp");

        // Put on the server by another client, but ignored here: neither fetched nor, being absent here, deleted there.
        RunningSystem system = RunningSystem.get();
        String bearer = "Bearer " + Credentials.load(desktop.config()).accessToken();
        Api.Response uploaded = system.api(system.upload)
                .upload(
                        "/files/upload",
                        bearer,
                        new Multipart()
                                .field("file_path", "/secret/from-the-web.txt")
                                .field("file_size", "3")
                                .file("content", "web".getBytes(StandardCharsets.UTF_8)));
        assertThat(uploaded.status()).isEqualTo(200);
        assertThat(desktop.sync()).isZero();
        assertThat(laptop.sync()).isZero();
        assertThat(desktop.file("secret/from-the-web.txt")).doesNotExist();
        assertThat(json(laptop, "ls", "/secret").path("entries").toString())
                .as("still on the server")
                .contains("from-the-web.txt");
        assertThat(laptop.file("secret/key.txt")).hasContent("private");
    }

    @Test
    @Order(9)
    void shouldSendAFolderRenamedWhileStoppedAsOneMoveAndCleanUpAfterACrash() throws IOException {
        String photoId = fileId(laptop, "/docs/pictures", "photo.bin");
        Files.move(laptop.file("docs"), laptop.file("documents"));
        Path leftOver = Files.createDirectories(laptop.file(".syncbox/tmp")).resolve("killed-mid-download.part");
        Files.writeString(leftOver, "half a download");

        assertThat(laptop.sync()).isZero();
        assertThat(desktop.sync()).isZero();

        assertThat(fileId(laptop, "/documents/pictures", "photo.bin"))
                .as("the same file, moved")
                .isEqualTo(photoId);
        assertThat(desktop.file("documents/pictures/photo.bin")).exists();
        assertThat(desktop.file("docs")).doesNotExist();
        assertThat(leftOver).doesNotExist();
        Map<String, String> synced = tree(laptop.folder());
        synced.keySet().removeIf(p -> p.startsWith("/secret/") || p.equals("/scratch.tmp"));
        assertThat(tree(desktop.folder()))
                .as("all but the laptop's ignored entries")
                .isEqualTo(synced);
    }

    @Test
    @Order(10)
    void shouldBringAnEditInTheMiddleOfABigFile() throws IOException {
        Path photo = desktop.file("documents/pictures/photo.bin");
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(photo.toFile(), "rw")) {
            file.seek(1_500_000);
            file.write(random(99, 1024));
        }

        int mark = gateway.mark();
        assertThat(desktop.sync()).isZero();
        java.util.List<String> up = gateway.since(mark);
        assertThat(up)
                .as("the changed block goes as a delta made from the old block's signature")
                .anyMatch(r -> r.startsWith("GET /blocks/") && r.endsWith("/signature"))
                .anyMatch(r -> r.startsWith("PUT /blocks/") && r.endsWith("/delta"))
                .noneMatch(r -> r.startsWith("PUT /blocks/") && !r.endsWith("/delta"));
        int down = gateway.mark();
        assertThat(laptop.sync()).isZero();
        assertThat(gateway.since(down))
                .as("and comes down as a delta against the laptop's old block")
                .anyMatch(r -> r.startsWith("GET /blocks/") && r.endsWith("/delta"));

        assertThat(Sha256.hex(Files.readAllBytes(laptop.file("documents/pictures/photo.bin"))))
                .isEqualTo(Sha256.hex(Files.readAllBytes(photo)));
    }

    @Test
    @Order(11)
    void shouldBringCopiesFromWhatTheDeviceAlreadyHolds() throws IOException {
        byte[] photo = Files.readAllBytes(desktop.file("documents/pictures/photo.bin"));
        Files.write(desktop.file("documents/photo-copy.bin"), photo);
        byte[] longer = new byte[100_000 + photo.length];
        System.arraycopy(random(98, 100_000), 0, longer, 0, 100_000);
        System.arraycopy(photo, 0, longer, 100_000, photo.length);
        Files.write(desktop.file("documents/photo-longer.bin"), longer);
        assertThat(desktop.sync()).isZero();

        int down = gateway.mark();
        assertThat(laptop.sync()).isZero();
        java.util.List<String> fetched = gateway.since(down);
        String copyId = fileId(laptop, "/documents", "photo-copy.bin");
        String longerId = fileId(laptop, "/documents", "photo-longer.bin");
        assertThat(fetched)
                .as("an exact copy of a file the laptop has is copied there: nothing of it is fetched")
                .noneMatch(r -> r.contains(copyId))
                .as("a file sharing blocks with one the laptop has: its block list, then only the blocks it lacks")
                .contains("GET /files/download/" + longerId + "/blocks")
                .noneMatch(r -> r.equals("GET /files/download/" + longerId));
        long blocks = fetched.stream()
                .filter(r -> r.matches("GET /blocks/[0-9a-f]{64}"))
                .count();
        assertThat(blocks)
                .as("the new first block(s), not the three the photo already holds")
                .isBetween(1L, 2L);
        assertThat(laptop.file("documents/photo-copy.bin")).hasBinaryContent(photo);
        assertThat(laptop.file("documents/photo-longer.bin")).hasBinaryContent(longer);
    }

    @Test
    @Order(12)
    void shouldLeaveOutAFolderOnOneDeviceAndBringItBack() throws IOException {
        assertThat(command(desktop, "selective-sync", "--exclude", "/documents"))
                .isZero();
        assertThat(desktop.sync()).isZero();
        assertThat(desktop.file("documents")).as("put away").doesNotExist();
        try (Stream<Path> kept = Files.list(desktop.file(".syncbox/quarantine"))) {
            assertThat(kept.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("documents."));
        }

        Files.writeString(laptop.file("documents/while-left-out.txt"), "not for the desktop");
        assertThat(laptop.sync()).isZero();
        assertThat(desktop.sync()).isZero();
        assertThat(desktop.file("documents")).doesNotExist();
        assertThat(laptop.file("documents/pictures/photo.bin"))
                .as("nothing deleted on the server")
                .exists();

        assertThat(json(desktop, "selective-sync", "--include", "/documents").path("excluded"))
                .isEmpty();
        assertThat(desktop.sync()).isZero();
        assertThat(desktop.file("documents/while-left-out.txt")).hasContent("not for the desktop");
        assertThat(Sha256.hex(Files.readAllBytes(desktop.file("documents/pictures/photo.bin"))))
                .isEqualTo(Sha256.hex(Files.readAllBytes(laptop.file("documents/pictures/photo.bin"))));
    }

    @Test
    @Order(13)
    void shouldSendAFolderOfSmallFilesInAHandfulOfRequests() throws IOException {
        for (int folder = 0; folder < 6; folder++) {
            Files.createDirectories(laptop.file("many/f" + folder));
            for (int i = 0; i < 50; i++) {
                Files.write(laptop.file("many/f" + folder + "/n" + i + ".bin"), random(1000L * folder + i, 100 + i));
            }
        }
        Files.writeString(laptop.file("many/same-a.txt"), "the same bytes twice in one batch");
        Files.writeString(laptop.file("many/same-b.txt"), "the same bytes twice in one batch");
        Files.writeString(laptop.file("while-paused.txt"), "an edit that goes in the batch too\n");
        Files.write(laptop.file("many/big.bin"), random(77, 5 * 1024 * 1024));

        int mark = gateway.mark();
        assertThat(laptop.sync()).isZero();
        java.util.List<String> sent = gateway.since(mark);
        assertThat(sent).filteredOn(r -> r.equals("POST /files/commit_batch")).hasSize(1);
        assertThat(sent).filteredOn(r -> r.equals("POST /blocks/upload_batch")).hasSize(1);
        assertThat(sent)
                .as("only the 5 MiB file goes on its own")
                .filteredOn(r -> r.equals("POST /files/commit"))
                .hasSize(1);
        assertThat(sent).filteredOn(r -> r.startsWith("PUT /blocks/")).hasSizeLessThanOrEqualTo(5);

        int down = gateway.mark();
        assertThat(desktop.sync()).isZero();
        java.util.List<String> fetched = gateway.since(down);
        assertThat(fetched)
                .as("the small new files come down many to a request")
                .filteredOn(r -> r.equals("POST /files/download_batch"))
                .hasSizeBetween(5, 12);
        assertThat(fetched)
                .as("only the 5 MiB file comes down on its own (the edited file, held here, by its block list)")
                .filteredOn(r -> r.startsWith("GET /files/download/") && !r.endsWith("/blocks"))
                .hasSize(1);
        assertThat(tree(desktop.file("many"))).hasSize(6 + 6 * 50 + 3).isEqualTo(tree(laptop.file("many")));
        assertThat(desktop.file("while-paused.txt")).hasContent("an edit that goes in the batch too\n");
        assertThat(json(laptop, "versions", "/while-paused.txt")
                        .path("versions")
                        .size())
                .as("an edit, not a new file")
                .isGreaterThan(1);
    }

    @Test
    @Order(14)
    void shouldUploadABigFileWithTheScansHashAndRefuseAStaleOne() throws IOException {
        byte[] bytes = random(131, 9 * 1024 * 1024);
        Files.write(laptop.file("scanned.bin"), bytes);
        Credentials credentials = Credentials.load(laptop.config());
        HttpRemote remote = new HttpRemote(
                new ServerClient(credentials.server(), credentials.accessToken()),
                new LocalFolder(laptop.folder()),
                credentials.deviceId());

        assertThatThrownBy(() -> remote.upload(new RemoteSide.Upload(
                        "/scanned.bin", null, null, ContentHasher.of("what the file held at the scan".getBytes()))))
                .as("the file changed after the scan took its hash: nothing is committed")
                .isInstanceOfSatisfying(
                        RemoteSide.Refused.class, r -> assertThat(r.code()).isEqualTo("changed_while_reading"));
        assertThat(json(laptop, "ls", "/").path("entries").toString()).doesNotContain("scanned.bin");

        RemoteSide.Committed committed =
                remote.upload(new RemoteSide.Upload("/scanned.bin", null, null, ContentHasher.of(bytes)));
        assertThat(committed.contentHash()).isEqualTo(ContentHasher.of(bytes));
        assertThat(desktop.sync()).isZero();
        assertThat(Sha256.hex(Files.readAllBytes(desktop.file("scanned.bin")))).isEqualTo(Sha256.hex(bytes));
    }

    private static String fileId(Device device, String folder, String name) {
        for (JsonNode entry : json(device, "ls", folder).path("entries")) {
            if (entry.path("name").asString().equals(name)) {
                return entry.path("file_id").asString();
            }
        }
        throw new AssertionError(name + " is not in " + folder);
    }

    static int command(Device device, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--config-dir";
        all[1] = device.config().toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return Main.run(all);
    }

    static JsonNode json(Device device, String... args) {
        StringWriter out = new StringWriter();
        String[] all = new String[args.length + 3];
        all[0] = "--config-dir";
        all[1] = device.config().toString();
        all[2] = "--json";
        System.arraycopy(args, 0, all, 3, args.length);
        assertThat(Main.run(new PrintWriter(out), null, all)).isZero();
        return ServerClient.JSON.readTree(out.toString());
    }

    private static Device device(Api api, String email, String name) throws IOException {
        return device(api, email, name, gateway, temp);
    }

    /** A new account, {@code name}'s, with an email starting {@code prefix}; answers the email. */
    static String register(Api api, String prefix, String name) throws IOException {
        String email = prefix + "-" + Ids.newId().toLowerCase() + "@example.test";
        assertThat(api.postJson("/auth/register", null, Map.of("email", email, "password", PASSWORD, "name", name))
                        .status())
                .isEqualTo(201);
        return email;
    }

    /** A device of the account signed in through {@code gateway}, with a config dir and a folder under {@code temp}. */
    static Device device(Api api, String email, String name, TestGateway gateway, Path temp) throws IOException {
        Api.Response login =
                api.postJson("/auth/login", null, Map.of("email", email, "password", PASSWORD, "device_name", name));
        assertThat(login.status()).isEqualTo(200);
        String token = login.text("access_token");
        long userId =
                api.get("/auth/check", "Bearer " + token).body().path("user_id").asLong();
        Path config = Files.createDirectories(temp.resolve(name + "-config"));
        Path folder = Files.createDirectories(temp.resolve(name + "-folder"));
        new Credentials(gateway.url(), email, userId, login.text("device_id"), token).save(config);
        return new Device(config, folder);
    }

    private static byte[] random(long seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Every entry under the folder but the client's own: folders end in '/', files map to their SHA-256. */
    /**
     * {@code syncbox sync DIR} (with {@code --once} when asked) as a process of its own on this JVM's class path, its
     * output in a log file under {@code logs}.
     */
    static Process syncProcess(Device device, Path logs, boolean once) throws IOException {
        String jvm = ProcessHandle.current().info().command().orElse("java");
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                jvm,
                "-Xmx192m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.syncbox.client.Main",
                "--config-dir",
                device.config().toString(),
                "sync",
                device.folder().toString()));
        if (once) {
            command.add("--once");
        }
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(
                        logs.resolve("client-" + System.nanoTime() + ".log").toFile())
                .start();
    }

    static Map<String, String> tree(Path folder) throws IOException {
        return tree(folder, Sha256::hex);
    }

    /** As {@link #tree(Path)}, files mapped to {@code hash} of their bytes. */
    static Map<String, String> tree(Path folder, java.util.function.Function<byte[], String> hash) throws IOException {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.toList()) {
                Path relative = folder.relativize(p);
                if (relative.toString().isEmpty() || relative.startsWith(".syncbox")) {
                    continue;
                }
                String path = "/" + relative.toString().replace('\\', '/');
                if (Files.isDirectory(p)) {
                    tree.put(path + "/", "");
                } else {
                    tree.put(path, hash.apply(Files.readAllBytes(p)));
                }
            }
        }
        return tree;
    }

    static String contents(Path folder) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                if (!folder.relativize(p).startsWith(".syncbox") && p.toString().endsWith(".txt")) {
                    all.append(Files.readString(p, StandardCharsets.UTF_8)).append('\n');
                }
            }
        }
        return all.toString();
    }
}

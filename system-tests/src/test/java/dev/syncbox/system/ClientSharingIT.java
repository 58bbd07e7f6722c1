package dev.syncbox.system;

import static dev.syncbox.system.DesktopClientIT.command;
import static dev.syncbox.system.DesktopClientIT.contents;
import static dev.syncbox.system.DesktopClientIT.json;
import static dev.syncbox.system.DesktopClientIT.tree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.server.testing.Api;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three desktop clients: two devices of Ada's and one of Bob's, with a folder Ada shares with Bob (and later one she
 * shares read-only). The steps run in
 * order on the same folders; the last runs the three as long-running processes of their own, as users do, each
 * woken by the server's push.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClientSharingIT {

    @TempDir
    static Path temp;

    static TestGateway gateway;
    static DesktopClientIT.Device laptop;
    static DesktopClientIT.Device desktop;
    static DesktopClientIT.Device bob;
    static String bobEmail;

    @BeforeAll
    static void threeDevices() throws IOException {
        RunningSystem system = RunningSystem.get();
        gateway = TestGateway.in(system);
        Api api = system.api(system.sync);
        String adaEmail = DesktopClientIT.register(api, "ada", "ada");
        bobEmail = DesktopClientIT.register(api, "bob", "bob");
        laptop = DesktopClientIT.device(api, adaEmail, "laptop", gateway, temp);
        desktop = DesktopClientIT.device(api, adaEmail, "desktop", gateway, temp);
        bob = DesktopClientIT.device(api, bobEmail, "bob", gateway, temp);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @Test
    @Order(1)
    void shouldCarryEditsOfASharedFolderBetweenTwoAccountsAndThreeDevices() throws IOException {
        Files.createDirectories(laptop.file("Team"));
        Files.writeString(laptop.file("Team/plan.txt"), "one\ntwo\nthree\nfour\nfive\n");
        Files.writeString(laptop.file("private.txt"), "Ada's alone");
        assertThat(laptop.sync()).isZero();
        assertThat(command(laptop, "share", "/Team", "--with", bobEmail, "--permission", "READ_WRITE"))
                .isZero();

        assertThat(bob.sync()).isZero();
        assertThat(bob.file("Team/plan.txt")).hasContent("one\ntwo\nthree\nfour\nfive\n");
        assertThat(bob.file("private.txt")).as("only what was shared").doesNotExist();

        Files.writeString(bob.file("Team/plan.txt"), "one by Bob\ntwo\nthree\nfour\nfive\n");
        Files.writeString(bob.file("Team/from-bob.txt"), "hello from Bob");
        assertThat(bob.sync()).isZero();
        assertThat(desktop.sync()).isZero();
        assertThat(laptop.sync()).isZero();

        assertThat(desktop.file("Team/plan.txt")).hasContent("one by Bob\ntwo\nthree\nfour\nfive\n");
        assertThat(tree(desktop.file("Team")))
                .isEqualTo(tree(laptop.file("Team")))
                .isEqualTo(tree(bob.file("Team")))
                .containsKey("/from-bob.txt");
    }

    @Test
    @Order(2)
    void shouldKeepEveryEditOfThreeDevicesThatWereOffline() throws IOException {
        Files.writeString(laptop.file("Team/plan.txt"), "one by Bob\ntwo by the laptop\nthree\nfour\nfive\n");
        Files.writeString(desktop.file("Team/plan.txt"), "one by Bob\ntwo\nthree\nfour by the desktop\nfive\n");
        Files.writeString(bob.file("Team/plan.txt"), "one by Bob\ntwo\nthree\nfour\nfive by Bob again\n");
        Files.write(laptop.file("Team/logo.bin"), new byte[] {1, 2, 3});
        Files.write(bob.file("Team/logo.bin"), new byte[] {4, 5, 6});

        for (int round = 0; round < 2; round++) {
            assertThat(laptop.sync()).isZero();
            assertThat(desktop.sync()).isZero();
            assertThat(bob.sync()).isZero();
        }

        assertThat(tree(desktop.file("Team")))
                .isEqualTo(tree(laptop.file("Team")))
                .isEqualTo(tree(bob.file("Team")));
        assertThat(contents(bob.file("Team")))
                .contains("two by the laptop")
                .contains("four by the desktop")
                .contains("five by Bob again");
        assertThat(tree(bob.file("Team")).keySet())
                .as("the binary file and its conflicted copy")
                .filteredOn(p -> p.startsWith("/logo"))
                .hasSize(2);
    }

    @Test
    @Order(3)
    void shouldReportANameTheServerWouldChangeAndSyncTheRest() throws IOException {
        String decomposed = "Team/cafe\u0301.txt";
        Files.writeString(laptop.file(decomposed), "not in NFC");
        Files.writeString(laptop.file("Team/fine.txt"), "fine");

        assertThat(laptop.sync()).as("exit code: partly synced").isEqualTo(6);
        String status = json(laptop, "status", laptop.folder().toString()).toString();
        assertThat(status).contains("cafe");
        assertThat(bob.sync()).isZero();
        assertThat(bob.file("Team/fine.txt")).hasContent("fine");
        try (var names = Files.list(bob.file("Team"))) {
            assertThat(names.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("cafe"));
        }
    }

    @Test
    @Order(4)
    void shouldKeepThreeRunningClientProcessesInSyncLive() throws Exception {
        List<Process> clients = new ArrayList<>();
        try {
            for (DesktopClientIT.Device device : List.of(laptop, desktop, bob)) {
                clients.add(DesktopClientIT.syncProcess(device, temp, false));
            }
            Files.writeString(laptop.file("Team/live.txt"), "written on the laptop while all three run");
            awaitOn(
                    clients,
                    () -> hasContent(desktop.file("Team/live.txt"), "written on the laptop while all three run")
                            && hasContent(bob.file("Team/live.txt"), "written on the laptop while all three run"));

            Files.writeString(bob.file("Team/live.txt"), "and answered by Bob");
            Files.createDirectories(bob.file("Team/from-bob"));
            Files.writeString(bob.file("Team/from-bob/note.txt"), "a new folder, live");
            awaitOn(
                    clients,
                    () -> hasContent(laptop.file("Team/live.txt"), "and answered by Bob")
                            && hasContent(desktop.file("Team/from-bob/note.txt"), "a new folder, live"));

            Files.move(desktop.file("Team/from-bob"), desktop.file("Team/by-everyone"));
            awaitOn(
                    clients,
                    () -> Files.exists(bob.file("Team/by-everyone/note.txt"))
                            && Files.exists(laptop.file("Team/by-everyone/note.txt"))
                            && !Files.exists(bob.file("Team/from-bob"))
                            && !Files.exists(laptop.file("Team/from-bob")));
        } finally {
            for (Process client : clients) {
                client.destroy();
            }
            for (Process client : clients) {
                if (!client.waitFor(10, TimeUnit.SECONDS)) {
                    client.destroyForcibly();
                }
            }
        }
        java.util.Map<String, String> laptopTree = tree(laptop.file("Team"));
        laptopTree.keySet().removeIf(p -> !java.text.Normalizer.isNormalized(p, java.text.Normalizer.Form.NFC));
        assertThat(tree(desktop.file("Team")))
                .as("all but the name the server refuses, which stays on the laptop alone")
                .isEqualTo(laptopTree)
                .isEqualTo(tree(bob.file("Team")));
    }

    @Test
    @Order(5)
    void shouldCopyWhatBobMovesAcrossTheShareAndLeaveTheShareHeDeletes() throws IOException {
        // The name the server refuses (step 3) goes, so every sync below has all of its work to do.
        Files.delete(laptop.file("Team/cafe\u0301.txt"));
        for (DesktopClientIT.Device device : List.of(laptop, desktop, bob)) {
            assertThat(device.sync()).isZero();
        }
        Files.writeString(bob.file("own.txt"), "Bob's own");
        assertThat(bob.sync()).isZero();

        // Out of the share and into it: the server keeps rows of different owners apart, so the client copies.
        Files.move(bob.file("Team/from-bob.txt"), bob.file("out-of-team.txt"));
        Files.move(bob.file("own.txt"), bob.file("Team/own.txt"));
        assertThat(bob.sync()).isZero();
        assertThat(bob.sync()).as("nothing left to do").isZero();
        assertThat(laptop.sync()).isZero();
        assertThat(laptop.file("Team/own.txt")).hasContent("Bob's own");
        assertThat(laptop.file("Team/from-bob.txt")).doesNotExist();
        assertThat(bob.file("out-of-team.txt")).hasContent("hello from Bob");
        assertThat(bob.file("own.txt")).doesNotExist();
        assertThat(names(json(bob, "ls", "/")))
                .contains("out-of-team.txt", "Team")
                .doesNotContain("own.txt");
        assertThat(json(laptop, "trash").toString())
                .as("what moved out of Ada's folder went to her trash, with its versions")
                .contains("/Team/from-bob.txt");

        // Bob renames the shared folder: only Ada may, so Bob gets a copy of his own and the share stays where it is.
        Files.move(bob.file("Team"), bob.file("Renamed"));
        assertThat(bob.sync()).isZero();
        assertThat(tree(bob.file("Team"))).isEqualTo(tree(laptop.file("Team")));
        assertThat(tree(bob.file("Renamed"))).isEqualTo(tree(bob.file("Team")));
        assertThat(names(json(bob, "ls", "/"))).contains("Renamed", "Team");

        // Bob renames it by case alone: a copy would be at the share's own path (paths are case-insensitive), so the
        // client gives the folder its name back.
        Files.move(bob.file("Team"), bob.file("TEAM"));
        assertThat(bob.sync()).isZero();
        assertThat(bob.sync()).as("nothing left to do").isZero();
        assertThat(bob.file("TEAM")).doesNotExist();
        assertThat(tree(bob.file("Team"))).isEqualTo(tree(laptop.file("Team")));
        assertThat(names(json(bob, "ls", "/"))).contains("Team").doesNotContain("TEAM");

        // Bob deletes the shared folder: he leaves the share, and Ada's folder stays whole.
        java.util.Map<String, String> adas = tree(laptop.file("Team"));
        ConvergenceIT.delete(bob.file("Team"));
        assertThat(bob.sync()).isZero();
        assertThat(json(bob, "ls", "/").toString()).doesNotContain("\"Team\"");
        assertThat(bob.sync()).isZero();
        assertThat(bob.file("Team")).as("a share left does not come back").doesNotExist();
        assertThat(laptop.sync()).isZero();
        assertThat(desktop.sync()).isZero();
        assertThat(tree(laptop.file("Team"))).isEqualTo(adas);
        assertThat(tree(desktop.file("Team")).keySet()).contains("/own.txt");
    }

    @Test
    @Order(6)
    void shouldSetAsideAnEditOfAReadOnlyShareAndKeepTheOwnersVersionsComing() throws IOException {
        Files.createDirectories(laptop.file("Notes"));
        Files.writeString(laptop.file("Notes/read.txt"), "Ada's notes\n");
        assertThat(laptop.sync()).isZero();
        assertThat(command(laptop, "share", "/Notes", "--with", bobEmail, "--permission", "READ"))
                .isZero();
        assertThat(bob.sync()).isZero();
        assertThat(bob.file("Notes/read.txt")).hasContent("Ada's notes\n");

        // Bob edits a file he may only read: his edit moves aside, and Ada's version comes back to its place.
        Files.writeString(bob.file("Notes/read.txt"), "Bob's edit\n");
        assertThat(bob.sync())
                .as("exit code: partly synced (the copy cannot go up)")
                .isEqualTo(6);
        assertThat(bob.file("Notes/read.txt")).hasContent("Ada's notes\n");
        List<Path> all;
        try (var names = Files.list(bob.file("Notes"))) {
            all = names.toList();
        }
        List<Path> aside = all.stream()
                .filter(p -> p.getFileName().toString().startsWith("read (conflicted copy "))
                .toList();
        assertThat(aside).as("in Bob's Notes: %s", all).hasSize(1);
        assertThat(aside.get(0)).hasContent("Bob's edit\n");
        assertThat(json(bob, "status", bob.folder().toString()).toString())
                .contains(aside.get(0).getFileName().toString());

        // Ada's file is untouched, and her next edit reaches Bob, beside his own copy.
        assertThat(laptop.sync()).isZero();
        assertThat(laptop.file("Notes/read.txt")).hasContent("Ada's notes\n");
        Files.writeString(laptop.file("Notes/read.txt"), "Ada's notes, second\n");
        assertThat(laptop.sync()).isZero();
        assertThat(bob.sync()).isEqualTo(6);
        assertThat(bob.file("Notes/read.txt")).hasContent("Ada's notes, second\n");
        assertThat(aside.get(0)).hasContent("Bob's edit\n");
        try (var names = Files.list(laptop.file("Notes"))) {
            assertThat(names.map(p -> p.getFileName().toString())).containsExactly("read.txt");
        }
    }

    private static List<String> names(tools.jackson.databind.JsonNode listing) {
        List<String> names = new ArrayList<>();
        listing.path("entries").forEach(e -> names.add(e.path("name").asString()));
        return names;
    }

    private static boolean hasContent(Path file, String text) {
        try {
            return Files.isRegularFile(file) && Files.readString(file).equals(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits up to a minute for {@code condition}; every client must stay up meanwhile. */
    private static void awaitOn(List<Process> clients, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!condition.getAsBoolean()) {
            for (Process client : clients) {
                if (!client.isAlive()) {
                    throw new AssertionError("a client process ended with exit " + client.exitValue());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the three running clients did not agree within a minute");
            }
            Thread.sleep(50);
        }
    }
}

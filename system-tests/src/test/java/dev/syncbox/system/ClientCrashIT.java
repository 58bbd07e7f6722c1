package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.chunk.Chunker;
import dev.syncbox.core.chunk.ChunkingSpec;
import dev.syncbox.core.hash.Sha256;
import dev.syncbox.server.testing.Api;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The desktop client killed with SIGKILL in the middle of a transfer, as a process of its own, then started again:
 * nothing half-written in the folder, nothing left in its temporary files, no version committed twice, and the blocks
 * it had already sent not sent again. Block transfers are slowed at the gateway so the kill lands mid-transfer.
 */
class ClientCrashIT {

    private static final int SIZE = 24 * 1024 * 1024 + 123;

    @TempDir
    static Path temp;

    static TestGateway gateway;
    static DesktopClientIT.Device laptop;
    static DesktopClientIT.Device desktop;

    @BeforeAll
    static void twoDevices() throws IOException {
        RunningSystem system = RunningSystem.get();
        gateway = TestGateway.in(system);
        Api api = system.api(system.sync);
        String email = DesktopClientIT.register(api, "crash", "Ada");
        laptop = DesktopClientIT.device(api, email, "laptop", gateway, temp);
        desktop = DesktopClientIT.device(api, email, "desktop", gateway, temp);
    }

    @AfterEach
    void fullSpeed() {
        gateway.delayBlocks(Duration.ZERO);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @Test
    void shouldCommitOnceAndResumeAfterAKillDuringAnUpload() throws Exception {
        byte[] content = random(11, SIZE);
        Files.write(laptop.file("big-upload.bin"), content);
        gateway.delayBlocks(Duration.ofMillis(300));
        int mark = gateway.mark();

        Process client = syncProcess(laptop);
        awaitOrKill(client, () -> count(gateway.since(mark), "PUT /blocks/") >= 3);
        client.destroyForcibly().waitFor();
        assertThat(gateway.since(mark)).as("killed before its commit").doesNotContain("POST /files/commit");
        int sentBefore = count(gateway.since(mark), "PUT /blocks/");

        gateway.delayBlocks(Duration.ZERO);
        int again = gateway.mark();
        assertThat(laptop.sync()).isZero();
        List<String> second = gateway.since(again);
        assertThat(second).filteredOn("POST /files/commit"::equals).hasSize(1);
        assertThat(count(second, "PUT /blocks/"))
                .as("the blocks stored before the kill are not sent again")
                .isLessThanOrEqualTo(blocks(content) - sentBefore + 1);
        assertThat(tempFiles(laptop)).isEmpty();

        assertThat(desktop.sync()).isZero();
        assertThat(Sha256.hex(Files.readAllBytes(desktop.file("big-upload.bin"))))
                .isEqualTo(Sha256.hex(content));
    }

    @Test
    void shouldLeaveNothingHalfWrittenAfterAKillDuringADownload() throws Exception {
        byte[] content = random(12, SIZE);
        Files.write(laptop.file("big-download.bin"), content);
        assertThat(laptop.sync()).isZero();
        assertThat(desktop.sync()).isZero();
        byte[] edited = random(13, SIZE);
        Files.write(laptop.file("big-download.bin"), edited);
        assertThat(laptop.sync()).isZero();

        gateway.delayBlocks(Duration.ofMillis(300));
        int mark = gateway.mark();
        Process client = syncProcess(desktop);
        awaitOrKill(client, () -> count(gateway.since(mark), "GET /blocks/") >= 3);
        client.destroyForcibly().waitFor();
        assertThat(Sha256.hex(Files.readAllBytes(desktop.file("big-download.bin"))))
                .as("the old version, whole, until the new one is complete")
                .isEqualTo(Sha256.hex(content));

        gateway.delayBlocks(Duration.ZERO);
        assertThat(desktop.sync()).isZero();
        assertThat(Sha256.hex(Files.readAllBytes(desktop.file("big-download.bin"))))
                .isEqualTo(Sha256.hex(edited));
        assertThat(tempFiles(desktop))
                .as("the killed download's temporary file is gone")
                .isEmpty();
        assertThat(laptop.sync()).isZero();
        assertThat(Sha256.hex(Files.readAllBytes(laptop.file("big-download.bin"))))
                .as("the restart did not take the old bytes for an edit")
                .isEqualTo(Sha256.hex(edited));
    }

    private static Process syncProcess(DesktopClientIT.Device device) throws IOException {
        return DesktopClientIT.syncProcess(device, temp, true);
    }

    private static void awaitOrKill(Process client, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!condition.getAsBoolean()) {
            if (!client.isAlive() || System.nanoTime() > deadline) {
                client.destroyForcibly();
                throw new AssertionError("the client ended (exit " + (client.isAlive() ? "none" : client.exitValue())
                        + ") before the transfer was under way");
            }
            Thread.sleep(20);
        }
    }

    private static int count(List<String> requests, String prefix) {
        return (int) requests.stream().filter(r -> r.startsWith(prefix)).count();
    }

    /** The content-defined blocks the client cuts the content into. */
    private static int blocks(byte[] content) {
        return Chunker.of(ChunkingSpec.fastCdcDefault()).split(content).size();
    }

    private static List<Path> tempFiles(DesktopClientIT.Device device) throws IOException {
        Path tmp = device.file(".syncbox/tmp");
        if (!Files.isDirectory(tmp)) {
            return List.of();
        }
        try (Stream<Path> all = Files.list(tmp)) {
            return all.toList();
        }
    }

    private static byte[] random(long seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}

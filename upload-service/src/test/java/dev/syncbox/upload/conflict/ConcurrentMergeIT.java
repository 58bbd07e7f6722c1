package dev.syncbox.upload.conflict;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.TestAccounts.TestUser;
import dev.syncbox.upload.UploadServiceIT;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Twenty devices merge into one file at once through a pool of ten connections. Merging reads and
 * writes content; done under the namespace lock it held a connection while asking the pool for more,
 * and the pool ran dry (connections time out after 5 s here, so starvation fails fast).
 */
@TestPropertySource(properties = "spring.datasource.hikari.connection-timeout=5000")
class ConcurrentMergeIT extends UploadServiceIT {

    private static final int DEVICES = 20;

    @Autowired
    HikariDataSource dataSource;

    @Autowired
    MeterRegistry meters;

    @Test
    void shouldMergeTwentyConcurrentEditsThroughAPoolOfTen() throws Exception {
        assertThat(dataSource.getMaximumPoolSize()).isEqualTo(10);
        // Each device edits its own line, two untouched lines apart: a 3-way merge keeps every edit.
        List<String> lines = IntStream.range(0, 3 * DEVICES)
                .mapToObj(i -> "line " + i + " as it was")
                .toList();
        String base = uploadAndCommit(user, "/team-notes.txt", null, text(String.join("\n", lines) + "\n"))
                .text("version_id");
        List<TestUser> devices = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            devices.add(accounts.device(user, "device " + i));
        }
        double timeoutsBefore = connectionTimeouts();

        ExecutorService pool = Executors.newFixedThreadPool(DEVICES);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Api.Response>> commits = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            int device = i;
            List<String> edited = new ArrayList<>(lines);
            edited.set(3 * device, "line " + 3 * device + " edited on device " + device);
            byte[] content = text(String.join("\n", edited) + "\n");
            commits.add(CompletableFuture.supplyAsync(
                    () -> {
                        await(start);
                        return uploadAndCommit(devices.get(device), "/team-notes.txt", base, content, "auto");
                    },
                    pool));
        }
        start.countDown();
        List<Api.Response> results =
                commits.stream().map(CompletableFuture::join).toList();
        pool.shutdown();

        assertThat(results)
                .allSatisfy(r -> assertThat(r.status()).as(r.body().toString()).isEqualTo(200));
        assertThat(connectionTimeouts()).as("requests that waited out the pool").isEqualTo(timeoutsBefore);
        String fileId = results.get(0).text("file_id");
        String current =
                jdbc.queryForObject("SELECT current_version_id FROM files WHERE file_id = ?", String.class, fileId);
        String merged = new String(contentOf(current), StandardCharsets.UTF_8);
        for (int i = 0; i < DEVICES; i++) {
            assertThat(merged).contains("line " + 3 * i + " edited on device " + i);
        }
        assertThat(merged).doesNotContain("<<<<<<<");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM file_versions WHERE file_id = ?", Integer.class, fileId))
                .as("the base, one merge and one upload kept aside per device")
                .isEqualTo(1 + 2 * DEVICES - 1);
    }

    private double connectionTimeouts() {
        var counter = meters.find("hikaricp.connections.timeout").counter();
        assertThat(counter).as("HikariCP's timeout counter").isNotNull();
        return counter.count();
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

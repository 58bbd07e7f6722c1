package dev.syncbox.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.conflict.engine.commit.Committed;
import dev.syncbox.conflict.engine.testing.TestCommits;
import dev.syncbox.core.id.Ids;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.RandomContent;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.File;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The sync service on a 3-master Redis Cluster (deploy/local/redis-cluster.sh, started here if it is
 * not running), chosen by {@code syncbox.redis.cluster-nodes} alone, as SYNCBOX_REDIS_CLUSTER_NODES
 * would. Every test checks that no Redis call failed: the cache falls back to PostgreSQL silently,
 * so the HTTP answers alone would not show a broken cluster client. The long-poll safety net is
 * switched off, so only pub/sub can wake a waiting device.
 */
@TestPropertySource(
        properties = {"syncbox.redis.cluster-nodes=" + RedisClusterIT.NODES, "syncbox.sync.longpoll-poll-interval=PT1H"
        })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterIT extends SyncServiceIT {

    static final String NODES = "127.0.0.1:17001,127.0.0.1:17002,127.0.0.1:17003";
    /** Keys of this run only: the cluster outlives the test. */
    private static final String PREFIX = "itc-" + Long.toString(System.nanoTime(), 36) + ":";

    private static RedisClusterClient client;
    private static StatefulRedisClusterConnection<String, String> cluster;

    @Autowired
    MeterRegistry meters;

    @Autowired
    RedisConnectionFactory connections;

    private double failuresBefore;

    @DynamicPropertySource
    static void clusterAndPrefix(DynamicPropertyRegistry registry) throws Exception {
        startCluster();
        registry.add("syncbox.cache.key-prefix", () -> PREFIX);
    }

    /** deploy/local/redis-cluster.sh start: idempotent, a second or so when the cluster is up already. */
    private static void startCluster() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("deploy/local/redis-cluster.sh"))) {
            root = root.getParent();
        }
        assertThat(root)
                .as("the repository root, above " + Path.of("").toAbsolutePath())
                .isNotNull();
        Process start = new ProcessBuilder(
                        root.resolve("deploy/local/redis-cluster.sh").toString(), "start")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/redis-cluster-start.log")))
                .start();
        assertThat(start.waitFor(180, TimeUnit.SECONDS))
                .as("redis-cluster.sh start finished")
                .isTrue();
        assertThat(start.exitValue())
                .as("redis-cluster.sh start (see target/redis-cluster-start.log)")
                .isZero();
        List<RedisURI> seeds = new ArrayList<>();
        for (String node : NODES.split(",")) {
            seeds.add(RedisURI.create("redis://" + node));
        }
        client = RedisClusterClient.create(seeds);
        cluster = client.connect();
    }

    @AfterAll
    static void closeClient() {
        if (cluster != null) {
            cluster.close();
        }
        if (client != null) {
            client.shutdown();
        }
    }

    @BeforeEach
    void countFailures() {
        failuresBefore = counter("syncbox.cache.failures");
    }

    @AfterEach
    void noRedisCallFailed(TestInfo test) {
        if (test.getTags().contains("outage")) {
            return;
        }
        assertThat(counter("syncbox.cache.failures"))
                .as("Redis calls that failed (and fell back to the database)")
                .isEqualTo(failuresBefore);
        assertThat(meters.get("syncbox.cache.breaker.state").gauge().value())
                .as("breaker closed")
                .isZero();
    }

    @Test
    void shouldTalkToTheClusterWithAClusterClient() {
        LettuceConnectionFactory factory = (LettuceConnectionFactory) connections;
        assertThat(factory.isClusterAware()).isTrue();
        assertThat(factory.getRequiredNativeClient()).isInstanceOf(RedisClusterClient.class);
        assertThat(api.get("/actuator/health/readiness", null)
                        .body()
                        .path("components")
                        .path("redis")
                        .path("status")
                        .asString())
                .isEqualTo("UP");
    }

    @Test
    void shouldServeAndCacheMetadataOnEveryNodeAndEvictItInOneBatch() {
        String folder = "/cluster-" + unique();
        assertThat(mkdir(deviceA, folder).status()).isEqualTo(201);
        Map<String, Committed> files = new LinkedHashMap<>();
        for (int i = 0; i < 24; i++) {
            files.put(folder + "/f" + i + ".txt", commit(deviceA, folder + "/f" + i + ".txt", "content " + i));
        }

        for (Committed file : files.values()) {
            Api.Response metadata = api.get("/files/" + file.fileId() + "/metadata", deviceA.bearer());
            assertThat(metadata.status()).isEqualTo(200);
            assertThat(metadata.text("current_version_id")).isEqualTo(file.versionId());
            String cached = cluster.sync().get(metadataKey(file.fileId()));
            assertThat(cached).as("cached in the cluster").isNotNull().contains(file.versionId());
            assertThat(api.get("/files/" + file.fileId() + "/metadata", deviceA.bearer())
                            .text("current_version_id"))
                    .isEqualTo(file.versionId());
        }
        Set<Integer> slots = new HashSet<>();
        files.values().forEach(f -> slots.add(SlotHash.getSlot(metadataKey(f.fileId()))));
        assertThat(slots).as("the keys are in many slots").hasSizeGreaterThan(1);
        Map<String, Long> perNode = keysPerMaster(PREFIX + "file:*");
        assertThat(perNode.values().stream().filter(n -> n > 0).count())
                .as("masters holding metadata keys: %s", perNode)
                .isGreaterThan(1);

        // A folder move evicts the metadata of every file under it: one multi-key DEL across slots.
        String moved = folder + "-moved";
        assertThat(move(deviceA, folder, moved).status()).isEqualTo(200);
        for (Committed file : files.values()) {
            assertThat(cluster.sync().exists(metadataKey(file.fileId())))
                    .as("evicted by the move")
                    .isZero();
        }
        Committed first = files.values().iterator().next();
        Api.Response after = api.get("/files/" + first.fileId() + "/metadata", deviceA.bearer());
        assertThat(after.text("path")).startsWith(moved + "/");
    }

    @Test
    void shouldCacheEveryBlockOfACommitAndReadGrantsFromTwoSlots() {
        // Random content of 6 MB: several blocks, whose keys one pipelined putAll writes across slots.
        Committed big = new TestCommits(context)
                .upload(
                        deviceA,
                        "/big-" + unique() + ".bin",
                        RandomContent.bytes(Ids.newId().hashCode(), 6 << 20));
        List<String> blocks = jdbc.queryForList(
                "SELECT unnest(block_ids) FROM file_versions WHERE version_id = ?", String.class, big.versionId());
        assertThat(blocks).hasSizeGreaterThan(2);
        Set<Integer> slots = new HashSet<>();
        for (String block : blocks) {
            assertThat(cluster.sync().get(PREFIX + "block:" + block))
                    .as("block %s cached", block)
                    .isEqualTo("1");
            slots.add(SlotHash.getSlot(PREFIX + "block:" + block));
        }
        assertThat(slots).hasSizeGreaterThan(1);

        // The feed reads the user's grants with one getAll of two keys, in two slots.
        String generation = PREFIX + "shared:" + deviceB.userId() + ":generation";
        String grants = PREFIX + "shared:" + deviceB.userId() + ":accessible_files";
        assertThat(SlotHash.getSlot(generation)).isNotEqualTo(SlotHash.getSlot(grants));
        assertThat(drain(deviceB, null, 100).describe()).anyMatch(c -> c.startsWith("CREATE /big-"));
        assertThat(cluster.sync().get(grants)).as("grants cached after a miss").isNotNull();
        assertThat(drain(deviceB, null, 100).describe()).anyMatch(c -> c.startsWith("CREATE /big-"));
    }

    @Test
    void shouldWakeALongPollOnAnotherDeviceThroughClusterPubSub() throws Exception {
        String channel = PREFIX + "syncbox:namespace-changes";
        long subscribers = 0;
        for (RedisClusterNode node : cluster.getPartitions()) {
            subscribers += cluster.getConnection(node.getNodeId())
                    .sync()
                    .pubsubNumsub(channel)
                    .getOrDefault(channel, 0L);
        }
        assertThat(subscribers)
                .as("subscriptions to %s on the cluster's nodes", channel)
                .isEqualTo(1);

        String cursor = drain(deviceB, null, 1000).cursor();
        CompletableFuture<Api.Response> waiting = CompletableFuture.supplyAsync(
                () -> api.get("/files/sync/longpoll?timeout=30&cursor=" + cursor, deviceB.bearer()));
        Thread.sleep(500);
        assertThat(waiting).as("nothing changed yet").isNotDone();

        assertThat(mkdir(deviceA, "/woken-" + unique()).status()).isEqualTo(201);

        Api.Response woken = waiting.get(25, TimeUnit.SECONDS);
        assertThat(woken.body().path("changes").asBoolean())
                .as("woken by pub/sub, the only way with the poll switched off")
                .isTrue();
    }

    @Test
    void shouldCountFailedLoginsInTheClusterAndRefuseTheEleventh() {
        String email = "cluster-" + Ids.newId().toLowerCase() + "@example.test";
        assertThat(api.postJson(
                                "/auth/register",
                                null,
                                Map.of("email", email, "password", "right password", "name", "Ada"))
                        .status())
                .isEqualTo(201);
        for (int i = 0; i < 10; i++) {
            assertThat(login(email, "wrong password").status())
                    .as("failure %d", i + 1)
                    .isEqualTo(401);
        }

        Api.Response refused = login(email, "right password");

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.code()).isEqualTo("too_many_attempts");
        assertThat(keysPerMaster(PREFIX + "limits:login-account:*").values().stream()
                        .mapToLong(Long::longValue)
                        .sum())
                .as("the account's bucket is in the cluster")
                .isGreaterThanOrEqualTo(1);
    }

    /**
     * Last: one master frozen (SIGSTOP) for less than the cluster's node timeout, so the cluster itself
     * stays up. The service answers from PostgreSQL, owes the eviction it could not deliver, and once the
     * node answers again delivers it and caches again: the breaker works the same on a cluster.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    @Tag("outage")
    void shouldFallBackWhileAMasterHangsAndCatchUpAfter() throws Exception {
        Committed file = commit(deviceA, "/hang-" + unique() + ".txt", "before the hang");
        String key = metadataKey(file.fileId());
        assertThat(api.get("/files/" + file.fileId() + "/metadata", deviceA.bearer())
                        .status())
                .isEqualTo(200);
        assertThat(cluster.sync().exists(key)).isEqualTo(1);
        RedisClusterNode owner = cluster.getPartitions().getPartitionBySlot(SlotHash.getSlot(key));
        long pid = Long.parseLong(cluster.getConnection(owner.getNodeId())
                .sync()
                .info("server")
                .lines()
                .filter(l -> l.startsWith("process_id:"))
                .findFirst()
                .orElseThrow()
                .substring("process_id:".length())
                .trim());

        signal("-STOP", pid);
        Committed second;
        try {
            Api.Response stale = api.get("/files/" + file.fileId() + "/metadata", deviceA.bearer());
            assertThat(stale.status()).isEqualTo(200);
            assertThat(meters.get("syncbox.cache.breaker.state").gauge().value())
                    .as("open")
                    .isEqualTo(2);
            second = commit(
                    deviceA,
                    api.get("/files/" + file.fileId() + "/metadata", deviceA.bearer())
                            .text("path"),
                    "during the hang");
            assertThat(api.get("/files/" + file.fileId() + "/metadata", deviceA.bearer())
                            .text("current_version_id"))
                    .isEqualTo(second.versionId());
        } finally {
            signal("-CONT", pid);
        }

        await(
                "breaker closed",
                () -> meters.get("syncbox.cache.breaker.state").gauge().value() == 0);
        await(
                "owed eviction delivered",
                () -> meters.get("syncbox.cache.owed").gauge().value() == 0);
        assertThat(api.get("/files/" + file.fileId() + "/metadata", deviceA.bearer())
                        .text("current_version_id"))
                .as("the entry cached before the hang was evicted")
                .isEqualTo(second.versionId());
        assertThat(cluster.sync().get(key)).as("cached again").contains(second.versionId());
    }

    private static void signal(String signal, long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", signal, Long.toString(pid))
                        .inheritIO()
                        .start()
                        .waitFor())
                .isZero();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("not within 30 s: " + what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private Api.Response login(String email, String password) {
        return api.json(api.request("/auth/login")
                .header("Content-Type", "application/json")
                .header("X-Forwarded-For", "192.0.2.7, 2001:db8::" + Long.toHexString(System.nanoTime()))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"email\":\"" + email + "\",\"password\":\"" + password + "\",\"device_name\":\"phone\"}")));
    }

    /** Keys matching {@code pattern} on each master, by its address. */
    private static Map<String, Long> keysPerMaster(String pattern) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (RedisClusterNode node : cluster.getPartitions()) {
            if (!node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                continue;
            }
            RedisClusterCommands<String, String> commands =
                    cluster.getConnection(node.getNodeId()).sync();
            counts.put(node.getUri().getHost() + ":" + node.getUri().getPort(), (long)
                    commands.keys(pattern).size());
        }
        return counts;
    }

    private static String metadataKey(String fileId) {
        return PREFIX + "file:" + fileId + ":metadata";
    }

    private double counter(String name) {
        return meters.get(name).counter().count();
    }
}

package dev.syncbox.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.conflict.engine.commit.Committed;
import dev.syncbox.core.id.Ids;
import dev.syncbox.server.cache.ChangeBus;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.RedisServer;
import dev.syncbox.server.testing.TestAccounts.TestUser;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The sync service on a Redis of its own that the test keeps down, hangs, kills and restarts. Its
 * long-poll safety net is switched off, so only pub/sub can wake a waiting device. The steps run in
 * order: the context itself starts while that Redis is down.
 */
@TestPropertySource(properties = "syncbox.sync.longpoll-poll-interval=PT1H")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisOutageIT extends SyncServiceIT {

    private static final RedisServer REDIS = RedisServer.onFreePort();
    private static final Set<Long> ANNOUNCED = ConcurrentHashMap.newKeySet();
    private static Committed file;
    /** One user for every step (each test method gets fresh devices otherwise). */
    private static TestUser owner;

    private static TestUser phone;

    @Autowired
    MeterRegistry meters;

    @Autowired
    ChangeBus bus;

    @DynamicPropertySource
    static void privateRedis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.port", REDIS::port);
    }

    @AfterAll
    static void stopRedis() {
        REDIS.close();
    }

    @Test
    @Order(1)
    void shouldStartAndServeEverythingWhileRedisIsDown() {
        bus.subscribe(ANNOUNCED::add);
        owner = deviceA;
        phone = deviceB;

        Api.Response readiness = api.get("/actuator/health/readiness", null);
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(component(readiness, "redis")).isEqualTo("DEGRADED");
        assertThat(component(readiness, "db")).isEqualTo("UP");
        assertThat(api.get("/actuator/health/liveness", null).text("status")).isEqualTo("UP");
        assertThat(breaker()).as("open").isEqualTo(2);

        assertThat(mkdir(owner, "/offline").status()).isEqualTo(201);
        file = commit(owner, "/offline/a.txt", "written while Redis is down");
        double skippedBefore = counter("syncbox.cache.skipped");
        Api.Response metadata = api.get("/files/" + file.fileId() + "/metadata", owner.bearer());
        assertThat(metadata.status()).isEqualTo(200);
        assertThat(metadata.text("current_version_id")).isEqualTo(file.versionId());
        assertThat(counter("syncbox.cache.skipped"))
                .as("the metadata request skipped Redis")
                .isGreaterThan(skippedBefore);
        assertThat(drain(phone, null, 100).describe()).contains("CREATE /offline", "CREATE /offline/a.txt");

        String email = "outage-" + Ids.newId().toLowerCase() + "@example.test";
        assertThat(api.postJson(
                                "/auth/register",
                                null,
                                Map.of("email", email, "password", "right password", "name", "Ada"))
                        .status())
                .isEqualTo(201);
        for (int i = 0; i < 12; i++) {
            assertThat(login(email, "wrong password").status())
                    .as("no limit without Redis: attempt %d", i + 1)
                    .isEqualTo(401);
        }
        assertThat(login(email, "right password").status()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void shouldCacheAndWakeLongPollsOnceRedisComesUp() throws Exception {
        REDIS.start();

        await("breaker closed", () -> breaker() == 0);
        awaitAnnounced();
        Api.Response readiness = api.get("/actuator/health/readiness", null);
        assertThat(component(readiness, "redis")).isEqualTo("UP");

        api.get("/files/" + file.fileId() + "/metadata", owner.bearer());
        assertThat(REDIS.command("EXISTS", metadataKey(file)))
                .as("cached again")
                .isEqualTo(":1");

        assertWokenByPubSub("/woken-after-start");
    }

    @Test
    @Order(3)
    void shouldReplayAnEvictionMissedWhileRedisHung() {
        api.get("/files/" + file.fileId() + "/metadata", owner.bearer());
        assertThat(REDIS.command("EXISTS", metadataKey(file))).isEqualTo(":1");

        REDIS.hang();
        Committed second;
        try {
            Api.Response readiness = api.get("/actuator/health/readiness", null);
            assertThat(readiness.status()).isEqualTo(200);
            assertThat(component(readiness, "redis")).isEqualTo("DEGRADED");
            assertThat(breaker()).isEqualTo(2);

            second = commit(owner, "/offline/a.txt", "second version, its eviction is owed");
            Api.Response metadata = api.get("/files/" + file.fileId() + "/metadata", owner.bearer());
            assertThat(metadata.text("current_version_id")).isEqualTo(second.versionId());
        } finally {
            REDIS.resume();
        }

        await("breaker closed", () -> breaker() == 0);
        await("owed evictions delivered", () -> gauge("syncbox.cache.owed") == 0);
        Api.Response metadata = api.get("/files/" + file.fileId() + "/metadata", owner.bearer());
        assertThat(metadata.text("current_version_id"))
                .as("the entry cached before the hang was evicted")
                .isEqualTo(second.versionId());
    }

    @Test
    @Order(4)
    void shouldSubscribeAgainAndRecoverAfterARestart() throws Exception {
        REDIS.stop();

        await(
                "redis reported degraded",
                () -> "DEGRADED".equals(component(api.get("/actuator/health/readiness", null), "redis")));
        assertThat(mkdir(owner, "/while-restarting").status()).isEqualTo(201);
        assertThat(api.get("/files/" + file.fileId() + "/metadata", owner.bearer())
                        .status())
                .isEqualTo(200);

        REDIS.start();

        await("breaker closed", () -> breaker() == 0);
        ANNOUNCED.clear();
        awaitAnnounced();
        assertWokenByPubSub("/woken-after-restart");
        api.get("/files/" + file.fileId() + "/metadata", owner.bearer());
        assertThat(REDIS.command("EXISTS", metadataKey(file))).isEqualTo(":1");
    }

    /** Publishes until this instance's own subscription hears it: the subscription is up. */
    private void awaitAnnounced() {
        long marker = -System.nanoTime();
        await("a message published now is received", () -> {
            bus.publish(marker);
            return ANNOUNCED.contains(marker);
        });
    }

    private void assertWokenByPubSub(String folder) throws Exception {
        String cursor = drain(phone, null, 1000).cursor();
        CompletableFuture<Api.Response> waiting = CompletableFuture.supplyAsync(
                () -> api.get("/files/sync/longpoll?timeout=30&cursor=" + cursor, phone.bearer()));
        Thread.sleep(500);
        assertThat(waiting).as("nothing changed yet").isNotDone();

        assertThat(mkdir(owner, folder).status()).isEqualTo(201);

        Api.Response woken = waiting.get(25, TimeUnit.SECONDS);
        assertThat(woken.body().path("changes").asBoolean())
                .as("woken by pub/sub, the only way with the poll switched off")
                .isTrue();
    }

    private Api.Response login(String email, String password) {
        return api.json(api.request("/auth/login")
                .header("Content-Type", "application/json")
                .header("X-Forwarded-For", "192.0.2.1, 2001:db8::" + Long.toHexString(System.nanoTime()))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"email\":\"" + email + "\",\"password\":\"" + password + "\",\"device_name\":\"phone\"}")));
    }

    private String metadataKey(Committed committed) {
        return context.getEnvironment().getRequiredProperty("syncbox.cache.key-prefix") + "file:" + committed.fileId()
                + ":metadata";
    }

    private static String component(Api.Response health, String name) {
        return health.body().path("components").path(name).path("status").asString();
    }

    private double breaker() {
        return gauge("syncbox.cache.breaker.state");
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    private double counter(String name) {
        return meters.get(name).counter().count();
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}

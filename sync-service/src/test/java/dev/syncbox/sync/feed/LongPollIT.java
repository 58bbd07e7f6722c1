package dev.syncbox.sync.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.server.testing.Api;
import dev.syncbox.sync.SyncServiceApplication;
import dev.syncbox.sync.SyncServiceIT;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

class LongPollIT extends SyncServiceIT {

    /** A second sync-service instance whose only way to learn of a change is Redis pub/sub. */
    private static ConfigurableApplicationContext second;

    private static synchronized Api secondInstance() {
        if (second == null) {
            second = new SpringApplicationBuilder(SyncServiceApplication.class)
                    .run(
                            "--server.port=0",
                            "--spring.profiles.active=it",
                            "--syncbox.sync.longpoll-poll-interval=PT1H");
        }
        return Api.local(Integer.parseInt(second.getEnvironment().getRequiredProperty("local.server.port")));
    }

    @AfterAll
    static void stopSecond() {
        if (second != null) {
            second.close();
            second = null;
        }
    }

    private CompletableFuture<Api.Response> longpoll(Api on, String cursor, int timeout) {
        return CompletableFuture.supplyAsync(
                () -> on.get("/files/sync/longpoll?timeout=" + timeout + "&cursor=" + cursor, deviceB.bearer()));
    }

    @Test
    void shouldWakeAWaitingDeviceOnAnotherInstanceWhenAChangeCommits() throws Exception {
        Api other = secondInstance();
        String cursor = drain(deviceB, null, 100).cursor();
        CompletableFuture<Api.Response> waiting = longpoll(other, cursor, 60);
        Thread.sleep(500);
        assertThat(waiting).as("nothing changed yet").isNotDone();

        mkdir(deviceA, "/wake-up");

        Api.Response response = waiting.get(60, TimeUnit.SECONDS);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().path("changes").asBoolean()).isTrue();
        assertThat(drain(deviceB, cursor, 100).describe()).containsExactly("CREATE /wake-up");
    }

    @Test
    void shouldAnswerAtOnceWhenTheCursorIsBehind() throws Exception {
        String cursor = drain(deviceB, null, 100).cursor();
        mkdir(deviceA, "/already");

        Api.Response response = longpoll(api, cursor, 30).get(60, TimeUnit.SECONDS);

        assertThat(response.body().path("changes").asBoolean()).isTrue();
    }

    @Test
    void shouldReturnNoChangesWhenTheTimeoutPasses() throws Exception {
        String cursor = drain(deviceB, null, 100).cursor();

        Api.Response response = longpoll(api, cursor, 30).get(90, TimeUnit.SECONDS);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().path("changes").asBoolean()).isFalse();
    }

    @Test
    void shouldRejectTimeoutsOutOfRangeAndBadCursors() {
        String cursor = drain(deviceB, null, 100).cursor();

        assertThat(api.get("/files/sync/longpoll?timeout=10&cursor=" + cursor, deviceB.bearer())
                        .status())
                .isEqualTo(400);
        assertThat(api.get("/files/sync/longpoll?timeout=481&cursor=" + cursor, deviceB.bearer())
                        .status())
                .isEqualTo(400);
        Api.Response forged = api.get("/files/sync/longpoll?cursor=forged", deviceB.bearer());
        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.code()).isEqualTo("invalid_cursor");
    }
}

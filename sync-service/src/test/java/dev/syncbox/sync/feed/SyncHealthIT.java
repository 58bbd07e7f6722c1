package dev.syncbox.sync.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.sync.SyncServiceIT;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Sync delay, cursor staleness and device divergence, measured on real feed requests (docs/metrics.md). */
class SyncHealthIT extends SyncServiceIT {

    @Autowired
    SyncHealth health;

    @Autowired
    MeterRegistry registry;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private Timer delay() {
        return registry.get("syncbox.sync.delay").timer();
    }

    @Test
    void aConnectedDeviceAcknowledgingAChangeRecordsTheDelayFromItsCommit() {
        String cursor = drain(deviceB, null, 1000).cursor();
        commit(deviceA, "/" + unique() + ".txt", "new");
        clock.advance(Duration.ofSeconds(7));
        Feed fed = drain(deviceB, cursor, 1000);
        assertThat(fed.changes()).hasSize(1);
        long count = delay().count();
        double seconds = delay().totalTime(TimeUnit.SECONDS);

        // Coming back with the cursor of the page that carried the change acknowledges it.
        assertThat(sync(deviceB, fed.cursor(), 1000).status()).isEqualTo(200);

        assertThat(delay().count()).isEqualTo(count + 1);
        assertThat(delay().totalTime(TimeUnit.SECONDS) - seconds).isBetween(7.0, 60.0);
        // Asking again from the same cursor acknowledges nothing new.
        sync(deviceB, fed.cursor(), 1000);
        assertThat(delay().count()).isEqualTo(count + 1);
    }

    @Test
    void aDeviceCatchingUpAfterBeingAwayIsNotSyncDelay() {
        String cursor = drain(deviceB, null, 1000).cursor();
        clock.advance(SyncHealth.CONNECTED.plusMinutes(1));
        commit(deviceA, "/" + unique() + ".txt", "while away");
        clock.advance(Duration.ofHours(2));
        long count = delay().count();

        Feed fed = drain(deviceB, cursor, 1000);
        sync(deviceB, fed.cursor(), 1000);

        assertThat(fed.changes()).hasSize(1);
        assertThat(delay().count()).isEqualTo(count);
    }

    @Test
    void aConnectedDeviceThatHasNotFetchedAChangeIsStaleAndDivergesFromItsUpToDateSibling() {
        String a = drain(deviceA, null, 1000).cursor();
        String b = drain(deviceB, null, 1000).cursor();
        commit(deviceA, "/" + unique() + ".txt", "change");
        clock.advance(Duration.ofSeconds(90));
        a = drain(deviceA, a, 1000).cursor();
        sync(deviceA, a, 1000);

        var measured = health.measure();

        assertThat(measured.get(deviceA.deviceId())).isZero();
        assertThat(measured.get(deviceB.deviceId())).isBetween(90L, 150L);
        assertThat(registry.get("syncbox.sync.cursor.staleness").gauge().value())
                .isGreaterThanOrEqualTo(90);
        assertThat(registry.get("syncbox.sync.device.divergence").gauge().value())
                .isGreaterThanOrEqualTo(90);

        // Handed but not yet acknowledged is still stale; acknowledged is up to date.
        Feed fed = drain(deviceB, b, 1000);
        assertThat(health.measure().get(deviceB.deviceId())).isGreaterThanOrEqualTo(90L);
        sync(deviceB, fed.cursor(), 1000);
        assertThat(health.measure().get(deviceB.deviceId())).isZero();
    }

    @Test
    void aDeviceThatStoppedAskingIsNoLongerMeasured() {
        drain(deviceB, null, 1000);
        assertThat(health.measure()).containsKey(deviceB.deviceId());

        clock.advance(SyncHealth.CONNECTED.plusSeconds(30));

        assertThat(health.measure()).doesNotContainKey(deviceB.deviceId());
    }
}

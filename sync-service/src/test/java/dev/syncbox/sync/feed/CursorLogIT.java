package dev.syncbox.sync.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.server.cache.HotCache;
import dev.syncbox.sync.SyncServiceIT;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class CursorLogIT extends SyncServiceIT {

    @Autowired
    CursorLog cursorLog;

    @Autowired
    HotCache cache;

    private List<String> recorded(String deviceId) {
        return jdbc.queryForList(
                "SELECT last_cursor FROM sync_cursors WHERE user_id = ? AND device_id = ?",
                String.class,
                deviceA.userId(),
                deviceId);
    }

    @Test
    void theLastCursorEachDeviceWasGivenIsRecordedByTheNextFlush() {
        String first = drain(deviceA, null, 100).cursor();
        mkdir(deviceA, "/" + unique());
        String second = drain(deviceA, first, 100).cursor();
        String other = drain(deviceB, null, 100).cursor();
        assertThat(second).isNotEqualTo(first);

        cursorLog.flush();

        assertThat(recorded(deviceA.deviceId())).containsExactly(second);
        assertThat(recorded(deviceB.deviceId())).containsExactly(other);
        assertThat(cache.get("sync:cursor:" + deviceA.userId() + ":" + deviceA.deviceId()))
                .hasValue(second);
        // Nothing moved since: the next flush writes nothing.
        assertThat(cursorLog.flush()).isZero();
    }

    @Test
    void aPageThatDoesNotMoveTheCursorNotesNothing() {
        String cursor = drain(deviceA, null, 100).cursor();
        cursorLog.flush();
        jdbc.update(
                "UPDATE sync_cursors SET last_cursor = 'older' WHERE user_id = ? AND device_id = ?",
                deviceA.userId(),
                deviceA.deviceId());

        assertThat(drain(deviceA, cursor, 100).cursor()).isEqualTo(cursor);
        cursorLog.flush();

        assertThat(recorded(deviceA.deviceId())).containsExactly("older");
    }
}

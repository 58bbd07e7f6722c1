package dev.syncbox.sync.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.syncbox.server.cache.ChangeBus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The poll under pub/sub: who it wakes for which heads. */
class ChangeWaitersTest {

    private final JournalHeads heads = mock(JournalHeads.class);
    private final ChangeWaiters waiters = new ChangeWaiters(mock(ChangeBus.class), heads);
    private final AtomicInteger rootWoken = new AtomicInteger();
    private final AtomicInteger journalWoken = new AtomicInteger();

    @Test
    void shouldWakeTheRootWaiterOnlyWhenItsShareStampPasses() {
        waiters.add(List.of(
                new ChangeWaiters.Waiter(7, 10, 3, rootWoken::incrementAndGet),
                new ChangeWaiters.Waiter(7, 10, journalWoken::incrementAndGet)));

        at(new JournalHeads.Head(10, 3));
        assertThat(rootWoken).hasValue(0);
        assertThat(journalWoken).hasValue(0);

        at(new JournalHeads.Head(10, 4));
        assertThat(rootWoken).as("a share changed").hasValue(1);
        assertThat(journalWoken).as("not watching shares").hasValue(0);

        at(new JournalHeads.Head(11, 3));
        assertThat(rootWoken).hasValue(2);
        assertThat(journalWoken).as("the journal moved").hasValue(1);
    }

    @Test
    void shouldNotAskForHeadsWithNobodyWaiting() {
        waiters.pollHeads();
        verifyNoInteractions(heads);
    }

    private void at(JournalHeads.Head head) {
        when(heads.stamps(any())).thenReturn(Map.of(7L, head));
        waiters.pollHeads();
    }
}

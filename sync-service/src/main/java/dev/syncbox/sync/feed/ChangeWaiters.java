package dev.syncbox.sync.feed;

import dev.syncbox.server.cache.ChangeBus;
import jakarta.annotation.PostConstruct;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * What waits on this instance for a namespace to change — long-polls and sync sockets — by
 * namespace. A change announced on the {@link ChangeBus} by any instance wakes them at once; a poll of
 * the journal heads (and of the users' share stamps) every two seconds wakes them even if an
 * announcement was lost or Redis is down.
 */
@Component
public class ChangeWaiters {

    /**
     * Woken by any announcement of its namespace, or by the poll once the head passes {@code seq} or,
     * for a user's root, once its share stamp passes {@code shares} ({@link #JOURNAL_ONLY}: not
     * watched). {@code wake} must be quick and must not throw: it runs on the subscription's or the
     * poll's thread.
     */
    public record Waiter(long namespaceId, long seq, long shares, Runnable wake) {

        static final long JOURNAL_ONLY = -1;

        public Waiter(long namespaceId, long seq, Runnable wake) {
            this(namespaceId, seq, JOURNAL_ONLY, wake);
        }

        boolean behind(JournalHeads.Head head) {
            return head.seq() > seq || (shares != JOURNAL_ONLY && head.shares() > shares);
        }
    }

    private final Map<Long, Set<Waiter>> waiting = new ConcurrentHashMap<>();
    private final ChangeBus bus;
    private final JournalHeads heads;

    ChangeWaiters(ChangeBus bus, JournalHeads heads) {
        this.bus = bus;
        this.heads = heads;
    }

    @PostConstruct
    void listen() {
        bus.subscribe(this::changed);
    }

    public void add(Collection<Waiter> waiters) {
        for (Waiter waiter : waiters) {
            waiting.computeIfAbsent(waiter.namespaceId(), k -> ConcurrentHashMap.newKeySet())
                    .add(waiter);
        }
    }

    public void remove(Collection<Waiter> waiters) {
        waiters.forEach(this::remove);
    }

    private void remove(Waiter waiter) {
        waiting.computeIfPresent(waiter.namespaceId(), (k, set) -> {
            set.remove(waiter);
            return set.isEmpty() ? null : set;
        });
    }

    /** How many wait on {@code namespaceId} here. */
    int waiting(long namespaceId) {
        Set<Waiter> waiters = waiting.get(namespaceId);
        return waiters == null ? 0 : waiters.size();
    }

    void changed(long namespaceId) {
        Set<Waiter> waiters = waiting.get(namespaceId);
        if (waiters != null) {
            waiters.forEach(w -> w.wake().run());
        }
    }

    /** The safety net under pub/sub: one query for every namespace someone waits on. */
    @Scheduled(fixedDelayString = "${syncbox.sync.longpoll-poll-interval:PT2S}")
    void pollHeads() {
        if (waiting.isEmpty()) {
            return;
        }
        heads.stamps(List.copyOf(waiting.keySet())).forEach((namespaceId, head) -> {
            Set<Waiter> waiters = waiting.get(namespaceId);
            if (waiters != null) {
                waiters.stream()
                        .filter(w -> w.behind(head))
                        .forEach(w -> w.wake().run());
            }
        });
    }
}

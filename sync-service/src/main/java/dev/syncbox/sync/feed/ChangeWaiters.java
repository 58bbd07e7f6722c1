package dev.syncbox.sync.feed;

import dev.syncbox.server.cache.ChangeBus;
import jakarta.annotation.PostConstruct;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * Long-polls waiting on this instance, by namespace. A change announced on the {@link ChangeBus} by
 * any instance completes them at once; a poll of the journal heads every two seconds completes them
 * even if an announcement was lost or Redis is down.
 */
@Component
class ChangeWaiters {

    record Waiter(long namespaceId, long seq, DeferredResult<SyncController.LongpollResponse> result) {}

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

    /** Waits on several namespaces (the user's root and what is shared with them) with one result. */
    void add(List<Waiter> waiters) {
        for (Waiter waiter : waiters) {
            waiting.computeIfAbsent(waiter.namespaceId(), k -> ConcurrentHashMap.newKeySet())
                    .add(waiter);
        }
        waiters.get(0).result().onCompletion(() -> waiters.forEach(this::remove));
    }

    private void remove(Waiter waiter) {
        waiting.computeIfPresent(waiter.namespaceId(), (k, set) -> {
            set.remove(waiter);
            return set.isEmpty() ? null : set;
        });
    }

    void changed(long namespaceId) {
        Set<Waiter> waiters = waiting.get(namespaceId);
        if (waiters != null) {
            waiters.forEach(w -> w.result().setResult(SyncController.LongpollResponse.CHANGED));
        }
    }

    /** The safety net under pub/sub: one query for every namespace someone waits on. */
    @Scheduled(fixedDelayString = "${syncbox.sync.longpoll-poll-interval:PT2S}")
    void pollHeads() {
        if (waiting.isEmpty()) {
            return;
        }
        heads.of(List.copyOf(waiting.keySet())).forEach((namespaceId, head) -> {
            Set<Waiter> waiters = waiting.get(namespaceId);
            if (waiters != null) {
                waiters.stream()
                        .filter(w -> head > w.seq())
                        .forEach(w -> w.result().setResult(SyncController.LongpollResponse.CHANGED));
            }
        });
    }
}

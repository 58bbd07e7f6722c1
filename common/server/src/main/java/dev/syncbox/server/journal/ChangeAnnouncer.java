package dev.syncbox.server.journal;

import dev.syncbox.server.cache.ChangeBus;
import dev.syncbox.server.share.ShareChanged;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Announces on the {@link ChangeBus}, once the change is visible, every namespace with news: a
 * journal that moved, or a user's root whose shares changed (their feed then sends the share).
 */
@Component
class ChangeAnnouncer {

    private final ChangeBus bus;

    ChangeAnnouncer(ChangeBus bus) {
        this.bus = bus;
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(JournalAppended appended) {
        bus.publish(appended.namespaceId());
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(ShareChanged changed) {
        bus.publish(changed.rootNamespaceId());
    }
}

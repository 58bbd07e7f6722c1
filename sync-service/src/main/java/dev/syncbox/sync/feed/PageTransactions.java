package dev.syncbox.sync.feed;

import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The two transactions of a feed page: everything it reads (and the listings it stores) in one
 * REPEATABLE READ snapshot, so a listing is the state at the journal head read beside it; then the
 * bookkeeping writes, apart, so that concurrent pages of one device never fail to serialize.
 */
@Component
class PageTransactions {

    private final TransactionTemplate snapshot;
    private final TransactionTemplate bookkeeping;

    PageTransactions(PlatformTransactionManager transactions) {
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.bookkeeping = new TransactionTemplate(transactions);
    }

    <T> T snapshot(Supplier<T> work) {
        return snapshot.execute(tx -> work.get());
    }

    void bookkeeping(Runnable work) {
        bookkeeping.executeWithoutResult(tx -> work.run());
    }
}

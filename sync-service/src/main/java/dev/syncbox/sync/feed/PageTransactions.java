package dev.syncbox.sync.feed;

import java.util.function.Supplier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The two transactions of a feed page: everything it reads (and the listings it stores) in one
 * REPEATABLE READ snapshot, so a listing is the state at the journal head read beside it; then the
 * bookkeeping writes, apart, so that concurrent pages of one device never fail to serialize.
 */
@Component
public class PageTransactions {

    private final TransactionTemplate transactions;
    private final JdbcTemplate jdbc;

    PageTransactions(PlatformTransactionManager transactions, JdbcTemplate jdbc) {
        this.transactions = new TransactionTemplate(transactions);
        this.jdbc = jdbc;
    }

    public <T> T snapshot(Supplier<T> work) {
        return transactions.execute(tx -> {
            // For this transaction only, as its first statement: no setting of the session's level
            // before and again after, two round trips a page.
            jdbc.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            return work.get();
        });
    }

    void bookkeeping(Runnable work) {
        transactions.executeWithoutResult(tx -> work.run());
    }
}

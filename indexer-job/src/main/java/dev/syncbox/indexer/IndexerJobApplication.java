package dev.syncbox.indexer;

import dev.syncbox.indexer.indexing.Indexer;
import dev.syncbox.server.SyncboxServerConfiguration;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * The indexer job. With the argument {@code reindex} it rebuilds the search index from PostgreSQL, prints what it
 * did, and exits (docs/search.md); a running job meanwhile waits for it at the job's lock.
 */
@SpringBootApplication
@Import(SyncboxServerConfiguration.class)
public class IndexerJobApplication {

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("reindex")) {
            SpringApplication application = new SpringApplication(IndexerJobApplication.class);
            application.setWebApplicationType(WebApplicationType.NONE);
            application.setDefaultProperties(java.util.Map.of("syncbox.indexer.enabled", "false"));
            try (ConfigurableApplicationContext context = application.run(args)) {
                Indexer.Rebuilt rebuilt = context.getBean(Indexer.class).rebuild();
                System.out.printf(
                        "reindexed into %s: %d documents from %d namespaces%n",
                        rebuilt.index(), rebuilt.documents(), rebuilt.namespaces());
            }
            return;
        }
        SpringApplication.run(IndexerJobApplication.class, args);
    }
}

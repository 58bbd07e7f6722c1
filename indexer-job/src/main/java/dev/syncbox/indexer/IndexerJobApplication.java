package dev.syncbox.indexer;

import dev.syncbox.indexer.indexing.Indexer;
import dev.syncbox.server.SyncboxServerConfiguration;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
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
            // The loop stays off, and the web side (which the shared security configuration needs) on a free port
            // beside a running job: as arguments, which win over every configuration file.
            String[] settings = java.util.stream.Stream.concat(
                            Arrays.stream(args),
                            java.util.stream.Stream.of("--syncbox.indexer.enabled=false", "--server.port=0"))
                    .toArray(String[]::new);
            try (ConfigurableApplicationContext context = application.run(settings)) {
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

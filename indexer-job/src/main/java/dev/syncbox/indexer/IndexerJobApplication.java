package dev.syncbox.indexer;

import dev.syncbox.server.SyncboxServerConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

@SpringBootApplication
@Import(SyncboxServerConfiguration.class)
public class IndexerJobApplication {

    public static void main(String[] args) {
        SpringApplication.run(IndexerJobApplication.class, args);
    }
}

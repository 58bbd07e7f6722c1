package dev.syncbox.conflict;

import dev.syncbox.server.SyncboxServerConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

@SpringBootApplication
@Import(SyncboxServerConfiguration.class)
public class ConflictEngineApplication {

    public static void main(String[] args) {
        SpringApplication.run(ConflictEngineApplication.class, args);
    }
}

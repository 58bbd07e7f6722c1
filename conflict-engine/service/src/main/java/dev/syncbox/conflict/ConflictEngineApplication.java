package dev.syncbox.conflict;

import dev.syncbox.conflict.engine.ConflictEngineConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

@SpringBootApplication
@Import(ConflictEngineConfiguration.class)
public class ConflictEngineApplication {

    public static void main(String[] args) {
        SpringApplication.run(ConflictEngineApplication.class, args);
    }
}

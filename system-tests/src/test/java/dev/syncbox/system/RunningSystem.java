package dev.syncbox.system;

import dev.syncbox.conflict.ConflictEngineApplication;
import dev.syncbox.download.DownloadServiceApplication;
import dev.syncbox.indexer.IndexerJobApplication;
import dev.syncbox.server.testing.Api;
import dev.syncbox.sync.SyncServiceApplication;
import dev.syncbox.upload.UploadServiceApplication;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * The sync, upload and download services started once per test JVM on free ports, against the real
 * local PostgreSQL, Redis and S3. Shared by every system test.
 */
final class RunningSystem {

    private static RunningSystem instance;

    static final String SEARCH_URL = System.getenv().getOrDefault("SYNCBOX_ES_URL", "http://127.0.0.1:19200");

    final ConfigurableApplicationContext sync;
    final ConfigurableApplicationContext upload;
    final ConfigurableApplicationContext download;
    final ConfigurableApplicationContext conflict;

    private RunningSystem() {
        sync = start(SyncServiceApplication.class, "sync-service");
        upload = start(UploadServiceApplication.class, "upload-service");
        download = start(DownloadServiceApplication.class, "download-service");
        conflict = start(ConflictEngineApplication.class, "conflict-engine");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            conflict.close();
            download.close();
            upload.close();
            sync.close();
        }));
    }

    static synchronized RunningSystem get() {
        if (instance == null) {
            instance = new RunningSystem();
        }
        return instance;
    }

    private static ConfigurableApplicationContext start(Class<?> application, String name, String... settings) {
        // Command-line arguments win over whichever service's application.yml is first on the classpath.
        List<String> args = new ArrayList<>(List.of(
                "--spring.application.name=" + name,
                "--server.port=0",
                "--spring.profiles.active=it",
                "--spring.config.import=classpath:syncbox-common.yml",
                "--spring.servlet.multipart.enabled=false",
                // Whichever application.yml is first names no index for the others: search reads it.
                "--syncbox.search.url=" + SEARCH_URL,
                // The Dropbox API's rate limit over a window no test outlasts, so DropboxRateLimitIT spends the
                // allowance before it comes back, however slow the machine; no other test's user comes near it.
                "--syncbox.dropbox.requests-per-window=400",
                "--syncbox.dropbox.window=PT15M"));
        args.addAll(List.of(settings));
        return new SpringApplicationBuilder(application).run(args.toArray(String[]::new));
    }

    /**
     * The indexer job beside the services, on a free port, for a test that needs it; that test closes it, so no other
     * test has the job working behind it.
     */
    static ConfigurableApplicationContext indexer(String... settings) {
        return start(IndexerJobApplication.class, "indexer-job", settings);
    }

    Api api(ConfigurableApplicationContext service) {
        Environment environment = service.getEnvironment();
        return Api.local(Integer.parseInt(environment.getRequiredProperty("local.server.port")));
    }
}

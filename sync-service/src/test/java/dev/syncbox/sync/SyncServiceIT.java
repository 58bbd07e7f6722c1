package dev.syncbox.sync;

import dev.syncbox.conflict.engine.commit.Committed;
import dev.syncbox.conflict.engine.commit.VersionCommitter;
import dev.syncbox.conflict.engine.testing.TestCommits;
import dev.syncbox.core.id.Ids;
import dev.syncbox.server.content.ContentIngest;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.MutableClock;
import dev.syncbox.server.testing.MutableClockConfiguration;
import dev.syncbox.server.testing.TestAccounts;
import dev.syncbox.server.testing.TestAccounts.TestUser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/** The sync service against the real stack, with helpers for a user who has two devices. */
@SpringBootTest(classes = SyncServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("it")
@Import(MutableClockConfiguration.class)
public abstract class SyncServiceIT {

    @LocalServerPort
    protected int port;

    @Autowired
    protected ApplicationContext context;

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected ContentIngest ingest;

    @Autowired
    protected VersionCommitter committer;

    @Autowired
    protected MutableClock clock;

    protected Api api;
    protected TestAccounts accounts;
    protected TestUser deviceA;
    protected TestUser deviceB;

    @org.junit.jupiter.api.AfterEach
    void resetClock() {
        clock.reset();
    }

    @BeforeEach
    void setUpDevices() {
        api = Api.local(port);
        accounts = new TestAccounts(context);
        deviceA = accounts.create();
        deviceB = accounts.secondDevice(deviceA);
    }

    protected Committed commit(TestUser device, String path, String content) {
        return new TestCommits(context).upload(device, path, content);
    }

    protected Api.Response mkdir(TestUser device, String path) {
        return api.postJson("/files/folder", device.bearer(), Map.of("path", path));
    }

    protected Api.Response move(TestUser device, String from, String to) {
        return api.postJson("/files/move", device.bearer(), Map.of("from_path", from, "to_path", to));
    }

    protected Api.Response sync(TestUser device, String cursor, int limit) {
        return api.get("/files/sync?limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor), device.bearer());
    }

    /** Follows the feed until has_more is false; returns every change and the last cursor. */
    protected Feed drain(TestUser device, String cursor, int limit) {
        List<JsonNode> changes = new ArrayList<>();
        for (int pages = 0; pages < 10_000; pages++) {
            Api.Response page = sync(device, cursor, limit);
            if (page.status() != 200) {
                throw new AssertionError("sync answered " + page.status() + ": " + page.body());
            }
            page.body().path("changes").forEach(changes::add);
            cursor = page.text("next_cursor");
            if (!page.body().path("has_more").asBoolean()) {
                return new Feed(changes, cursor);
            }
        }
        throw new AssertionError("the feed never ended");
    }

    protected record Feed(List<JsonNode> changes, String cursor) {

        public List<String> describe() {
            return changes.stream()
                    .map(c -> c.path("operation").asString() + " "
                            + c.path("path").asString()
                            + (c.path("from_path").isNull()
                                            || c.path("from_path").isMissingNode()
                                    ? ""
                                    : " from " + c.path("from_path").asString()))
                    .toList();
        }
    }

    protected static String unique() {
        return Ids.newId().toLowerCase();
    }
}

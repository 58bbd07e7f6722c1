package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The litmus WebDAV compliance suite (basic, copymove, props, locks) against the gateway's Nextcloud route, signed in
 * with an app password: every suite it runs must report no failure. Skipped where litmus is not installed.
 */
class LitmusIT {

    private static final Pattern SUMMARY =
            Pattern.compile("<- summary for `(\\w+)': of (\\d+) tests run: (\\d+) passed, (\\d+) failed");

    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        WebDavIT.start();
        gateway = WebDavIT.gateway;
    }

    @AfterAll
    static void stop() {
        WebDavIT.stop();
    }

    /** Each suite's outcome from litmus's summary lines. */
    record Suite(int run, int passed, int failed) {}

    static Map<String, Suite> summaries(String output) {
        Map<String, Suite> suites = new LinkedHashMap<>();
        Matcher m = SUMMARY.matcher(output);
        while (m.find()) {
            suites.put(
                    m.group(1),
                    new Suite(
                            Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4))));
        }
        return suites;
    }

    @Test
    void litmusPassesBasicCopymovePropsAndLocks() throws IOException, InterruptedException {
        assumeTrue(new File("/usr/bin/litmus").canExecute(), "litmus is not installed");
        WebDavIT.User user = WebDavIT.user();
        ProcessBuilder litmus = new ProcessBuilder(
                        "litmus", gateway.url() + user.root(), user.email(), user.appPassword())
                .redirectErrorStream(true);
        litmus.environment().put("TESTS", "basic copymove props locks");
        Process process = litmus.start();
        String output;
        try (var in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
        Map<String, Suite> suites = summaries(output);
        assertThat(suites).as(output).containsKeys("basic", "copymove", "props", "locks");
        suites.forEach((name, suite) ->
                assertThat(suite.failed()).as(name + ":\n" + output).isZero());
    }
}

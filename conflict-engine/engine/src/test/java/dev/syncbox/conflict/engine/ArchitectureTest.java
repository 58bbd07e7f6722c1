package dev.syncbox.conflict.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.server.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    @Test
    void shouldKeepVendorClientsInTheirAdapters() {
        ArchitectureRules.check();
    }

    @Test
    void shouldKeepCommitMergeAndRecordsFreeOfCycles() {
        var modules = ArchitectureRules.checkModules("dev.syncbox.conflict.engine");

        assertThat(modules.stream().map(m -> m.getName())).containsExactlyInAnyOrder("commit", "merge", "record");
    }
}

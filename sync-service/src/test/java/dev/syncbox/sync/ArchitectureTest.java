package dev.syncbox.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.server.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    @Test
    void shouldKeepVendorClientsInTheirAdapters() {
        ArchitectureRules.check();
    }

    @Test
    void shouldKeepItsModulesFreeOfCyclesAndTheirInternalsHidden() {
        var modules = ArchitectureRules.checkModules("dev.syncbox.sync");

        assertThat(modules.stream().map(m -> m.getName()))
                .contains("account", "device", "feed", "metadata", "share", "trash", "tree", "version");
    }
}

package dev.syncbox.indexer;

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
        var modules = ArchitectureRules.checkModules("dev.syncbox.indexer");

        assertThat(modules.stream().map(m -> m.getName())).contains("indexing");
    }
}

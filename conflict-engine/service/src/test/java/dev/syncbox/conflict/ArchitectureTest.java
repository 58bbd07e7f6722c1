package dev.syncbox.conflict;

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
        var modules = ArchitectureRules.checkModules("dev.syncbox.conflict", "dev.syncbox.conflict.engine..");

        assertThat(modules.stream().map(m -> m.getName())).contains("api");
    }
}

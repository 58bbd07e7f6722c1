package dev.syncbox.sync;

import dev.syncbox.server.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    @Test
    void shouldKeepVendorClientsInTheirAdapters() {
        ArchitectureRules.check();
    }
}

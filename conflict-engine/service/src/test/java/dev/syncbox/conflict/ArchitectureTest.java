package dev.syncbox.conflict;

import dev.syncbox.server.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    @Test
    void shouldKeepVendorClientsInTheirAdapters() {
        ArchitectureRules.check();
    }
}

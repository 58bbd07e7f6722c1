package dev.syncbox.client.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The in-process simulation in the test command: {@code sim.scenarios} scenarios (100,000 unless told) from seed
 * {@code sim.seed} (1 unless told), every one of which must pass; a failure names its seed and minimized steps.
 */
class SimulationTest {

    @Test
    void everyScenarioConvergesAndLosesNothing() {
        int count = Integer.getInteger("sim.scenarios", 100_000);
        long seed = Long.getLong("sim.seed", 1L);
        Simulation.Report report = Simulation.runMany(seed, count, 3, Simulation::generate);
        System.out.println("in-process scenarios " + seed + " to " + (seed + count - 1) + ": " + report.passed()
                + " passed, " + report.failures().size() + " failed; " + Simulation.sharing());
        assertThat(report.failures()).as("failed scenarios").isEmpty();
    }
}

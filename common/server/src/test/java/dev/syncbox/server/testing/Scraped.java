package dev.syncbox.server.testing;

import java.util.HashMap;
import java.util.Map;

/**
 * A service's {@code /actuator/prometheus} text, by series: {@code name{labels}} exactly as printed
 * (labels in Prometheus' sorted order) to its value. A series that is not there reads 0.
 */
public final class Scraped {

    private final Map<String, Double> series = new HashMap<>();

    private Scraped(String text) {
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
    }

    /** Reads the service's metrics now. */
    public static Scraped from(Api api) {
        return new Scraped(
                new String(api.bytes(api.request("/actuator/prometheus").GET()).body()));
    }

    public double value(String name) {
        return series.getOrDefault(name, 0.0);
    }

    /** Whether any series of the metric {@code name} is exported at all. */
    public boolean has(String name) {
        return series.keySet().stream().anyMatch(s -> s.equals(name) || s.startsWith(name + "{"));
    }

    /** How much {@code name} grew since {@code before}. */
    public double since(Scraped before, String name) {
        return value(name) - before.value(name);
    }
}

package dev.syncbox.upload;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The seed's storage-efficiency metrics: content bytes received, the part of them that was already
 * stored, and their ratio ({@code syncbox.dedup.ratio}, alerted on below 0.3).
 */
@Component
public class UploadMetrics {

    private final Counter received;
    private final Counter deduplicated;

    UploadMetrics(MeterRegistry registry) {
        this.received = Counter.builder("syncbox.upload.bytes.received")
                .description("Content bytes of uploaded blocks and files")
                .register(registry);
        this.deduplicated = Counter.builder("syncbox.upload.bytes.deduplicated")
                .description("Received content bytes whose blocks were already stored")
                .register(registry);
        Gauge.builder("syncbox.dedup.ratio", this, UploadMetrics::ratio)
                .description("Deduplicated bytes / received bytes since start")
                .register(registry);
    }

    /** Records content of {@code bytes}, of which {@code newBytes} had to be stored. */
    public void received(long bytes, long newBytes) {
        received.increment(bytes);
        deduplicated.increment(bytes - newBytes);
    }

    double ratio() {
        double total = received.count();
        return total == 0 ? 0 : deduplicated.count() / total;
    }
}

package dev.syncbox.upload;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * What uploads carry on the wire: content bytes received, and the bytes a delta spared (the seed's
 * "storage saved by delta sync", docs/metrics.md). Deduplication is measured at commit, against the
 * bytes newly stored, not here: a block a client skipped after {@code /blocks/check} is never received.
 */
@Component
public class UploadMetrics {

    private final Counter received;
    private final Counter deltaSaved;

    UploadMetrics(MeterRegistry registry) {
        this.received = Counter.builder("syncbox.upload.received.bytes")
                .description("Content bytes received by uploads: files, blocks, deltas")
                .baseUnit("bytes")
                .register(registry);
        this.deltaSaved = Counter.builder("syncbox.delta.saved.bytes")
                .description("Bytes a delta spared the wire: the content it rebuilt less the delta sent")
                .baseUnit("bytes")
                .tag("direction", "upload")
                .register(registry);
    }

    /** Records {@code bytes} of content received whole. */
    public void received(long bytes) {
        received.increment(bytes);
    }

    /** Records a delta of {@code deltaBytes} that stood for {@code rebuiltBytes} of content. */
    public void delta(long deltaBytes, long rebuiltBytes) {
        received.increment(deltaBytes);
        deltaSaved.increment(Math.max(0, rebuiltBytes - deltaBytes));
    }
}

package dev.syncbox.server.dropbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the Dropbox API adapter.
 *
 * @param requestsPerWindow Dropbox API requests one user may make per window, across all services and instances,
 *     before they are answered 429 {@code too_many_requests} with {@code Retry-After} (as Dropbox limits apps)
 * @param window the period the requests count over; the whole allowance comes back at its end
 */
@ConfigurationProperties("syncbox.dropbox")
public record DropboxProperties(
        @DefaultValue("1200") int requestsPerWindow,
        @DefaultValue("PT1M") Duration window) {}

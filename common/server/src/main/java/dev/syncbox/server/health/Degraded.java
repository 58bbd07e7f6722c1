package dev.syncbox.server.health;

import org.springframework.boot.health.contributor.Status;

/**
 * The health status of a dependency the service answers without: it is down, yet requests are
 * served (slower without the cache, or with a clean problem where block storage is needed). Mapped
 * to HTTP 200, so it never takes an instance out of rotation; see docs/resilience.md.
 */
public final class Degraded {

    public static final Status STATUS = new Status("DEGRADED", "unreachable; the service answers without it");

    private Degraded() {}
}

package dev.syncbox.server.metrics;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Times every call of a handler method into the named timer (a histogram), tagged with the route,
 * the method and the outcome ({@code success}, {@code client_error}, {@code server_error}): how the
 * seed's upload and download latencies are measured across all of their routes.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface Latency {

    /** The timer's name, e.g. {@code syncbox.upload.latency}. */
    String value();
}

/** Typed configuration of the services, bound from {@code syncbox.*} properties. */
package dev.syncbox.server.config;

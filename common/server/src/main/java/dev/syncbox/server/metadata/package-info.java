/** Metadata tables mapped with JPA, and the narrow repositories the services query them through. */
package dev.syncbox.server.metadata;

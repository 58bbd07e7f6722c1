/** What the services' health endpoints say beyond Spring's own statuses. */
package dev.syncbox.server.health;

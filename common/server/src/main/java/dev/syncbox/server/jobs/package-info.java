/** Background jobs: each run on one instance at a time, through a PostgreSQL advisory lock. */
package dev.syncbox.server.jobs;

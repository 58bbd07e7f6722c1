/** End-to-end tests: the services side by side, as a client sees them. */
package dev.syncbox.system;

/** Path rules: the one canonical form of a user-visible path, shared by every service and the client. */
package dev.syncbox.core.path;

/** Bearer tokens: signed JWTs issued per device at login and verified by every service. */
package dev.syncbox.server.auth;

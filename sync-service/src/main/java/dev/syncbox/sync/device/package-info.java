/** A user's devices: listing, revocation, and each device's selective sync. */
package dev.syncbox.sync.device;

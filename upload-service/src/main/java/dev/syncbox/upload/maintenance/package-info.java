/** Block maintenance: garbage collection and the block reaper, the refcount verifier and the scrub. */
package dev.syncbox.upload.maintenance;

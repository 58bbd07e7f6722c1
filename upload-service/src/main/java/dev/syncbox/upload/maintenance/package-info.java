/** Block maintenance: garbage collection, the refcount verifier and the scrub. */
package dev.syncbox.upload.maintenance;

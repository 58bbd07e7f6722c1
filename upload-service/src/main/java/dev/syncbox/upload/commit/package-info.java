/** {@code POST /files/commit}: a new version from a list of stored blocks, compare-and-set on its parent. */
package dev.syncbox.upload.commit;

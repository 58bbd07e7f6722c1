/** Bytes on the wire for small edits of a large file: syncbox, the seed's fixed 4 MiB blocks, and rsync. */
package dev.syncbox.bench.wire;

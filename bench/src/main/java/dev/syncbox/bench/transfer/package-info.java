/** Large-file transfer throughput: raw S3 against syncbox's upload and download through the gateway. */
package dev.syncbox.bench.transfer;

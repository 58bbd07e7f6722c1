/** The download service: streams file content back from its blocks. */
package dev.syncbox.download;

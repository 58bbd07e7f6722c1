/** Dropbox API v2 downloads: {@code files/download} and the content of temporary links ({@code /apitl/1/…}). */
package dev.syncbox.download.dropbox;

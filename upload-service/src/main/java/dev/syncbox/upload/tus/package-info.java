/**
 * The tus 1.0.0 resumable-upload protocol (core, creation, creation-with-upload, termination) on {@code /files/tus}, over
 * the upload sessions: an upload is a session that knows its length and destination and commits itself on its last byte.
 */
package dev.syncbox.upload.tus;

/** The conflicts of a file, as clients list and resolve them. */
package dev.syncbox.conflict.api;

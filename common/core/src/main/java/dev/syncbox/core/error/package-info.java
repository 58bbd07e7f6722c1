/** The one error vocabulary of syncbox: stable wire codes, their HTTP status, and the exception that carries them. */
package dev.syncbox.core.error;

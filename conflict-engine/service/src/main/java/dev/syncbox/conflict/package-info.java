/** The conflict engine service: the conflicts API over the engine that the commit path links. */
package dev.syncbox.conflict;

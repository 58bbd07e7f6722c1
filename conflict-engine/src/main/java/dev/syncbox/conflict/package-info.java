/** The conflict engine: conflict records, three-way text merge and conflicted copies. */
package dev.syncbox.conflict;

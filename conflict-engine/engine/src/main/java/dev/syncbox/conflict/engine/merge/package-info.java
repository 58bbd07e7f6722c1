/** Three-way merge of text and the rule that decides what is text; plain code, no I/O. */
package dev.syncbox.conflict.engine.merge;

/** The folder tree: create folders, move or rename files and whole subtrees, list a folder. */
package dev.syncbox.sync.tree;

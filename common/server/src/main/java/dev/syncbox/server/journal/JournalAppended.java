package dev.syncbox.server.journal;

/** A namespace's journal has new entries; once they commit, devices waiting on it are woken. */
public record JournalAppended(long namespaceId) {}

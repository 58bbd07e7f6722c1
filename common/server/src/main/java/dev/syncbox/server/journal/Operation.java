package dev.syncbox.server.journal;

/** What a journal entry did to its file, as sync clients see it. */
public enum Operation {
    CREATE,
    UPDATE,
    DELETE,
    MOVE
}

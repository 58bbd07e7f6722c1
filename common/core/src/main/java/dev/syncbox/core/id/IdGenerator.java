package dev.syncbox.core.id;

/** A source of new ids, so tests and simulations can inject a deterministic one. */
@FunctionalInterface
public interface IdGenerator {

    String newId();

    /** The production generator: {@link Ids#newId()}. */
    static IdGenerator monotonicUlid() {
        return Ids::newId;
    }
}

package dev.syncbox.server.metadata;

import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Transient;
import org.springframework.data.domain.Persistable;

/** For ULID-keyed rows: lets {@code save} insert without a select first. */
@MappedSuperclass
abstract class AssignedIdEntity implements Persistable<String> {

    @Transient
    private boolean isNew = true;

    @Override
    public boolean isNew() {
        return isNew;
    }

    @PostLoad
    @PostPersist
    void markPersisted() {
        this.isNew = false;
    }
}

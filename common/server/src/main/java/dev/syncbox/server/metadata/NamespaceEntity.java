package dev.syncbox.server.metadata;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A user's root or a shared folder; owns a journal whose head is {@code last_seq}. */
@Entity
@Table(name = "namespaces")
public class NamespaceEntity {

    public static final String ROOT = "ROOT";
    public static final String SHARED = "SHARED";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "namespace_id")
    private Long id;

    @Column(name = "owner_id")
    private long ownerId;

    private String kind;

    @Column(name = "last_seq")
    private long lastSeq;

    @Column(name = "created_at")
    private Instant createdAt;

    protected NamespaceEntity() {}

    public NamespaceEntity(long ownerId, String kind, Instant now) {
        this.ownerId = ownerId;
        this.kind = kind;
        this.createdAt = now;
    }

    public Long id() {
        return id;
    }

    public long ownerId() {
        return ownerId;
    }

    public String kind() {
        return kind;
    }

    public long lastSeq() {
        return lastSeq;
    }
}

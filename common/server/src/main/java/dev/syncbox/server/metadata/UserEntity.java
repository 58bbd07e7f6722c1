package dev.syncbox.server.metadata;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "users")
public class UserEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "user_id")
    private Long id;

    private String email;
    private String name;

    @Column(name = "password_hash")
    private String passwordHash;

    private String plan;

    @Column(name = "used_space_bytes")
    private long usedSpaceBytes;

    @Column(name = "max_space_bytes")
    private long maxSpaceBytes;

    @Column(name = "root_namespace_id")
    private Long rootNamespaceId;

    @Column(name = "created_at")
    private Instant createdAt;

    protected UserEntity() {}

    public UserEntity(String email, String name, String passwordHash, String plan, long maxSpaceBytes, Instant now) {
        this.email = email;
        this.name = name;
        this.passwordHash = passwordHash;
        this.plan = plan;
        this.maxSpaceBytes = maxSpaceBytes;
        this.createdAt = now;
    }

    public Long id() {
        return id;
    }

    public String email() {
        return email;
    }

    public String name() {
        return name;
    }

    public String passwordHash() {
        return passwordHash;
    }

    public String plan() {
        return plan;
    }

    public long usedSpaceBytes() {
        return usedSpaceBytes;
    }

    public long maxSpaceBytes() {
        return maxSpaceBytes;
    }

    public Long rootNamespaceId() {
        return rootNamespaceId;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public void attachRootNamespace(long namespaceId) {
        this.rootNamespaceId = namespaceId;
    }
}

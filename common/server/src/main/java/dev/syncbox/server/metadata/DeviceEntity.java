package dev.syncbox.server.metadata;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "devices")
public class DeviceEntity extends AssignedIdEntity {

    @Id
    @Column(name = "device_id")
    private String id;

    @Column(name = "user_id")
    private long userId;

    private String name;

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "last_seen_at")
    private Instant lastSeenAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected DeviceEntity() {}

    public DeviceEntity(String id, long userId, String name, Instant now) {
        this.id = id;
        this.userId = userId;
        this.name = name;
        this.createdAt = now;
        this.lastSeenAt = now;
    }

    @Override
    public String getId() {
        return id;
    }

    public long userId() {
        return userId;
    }

    public String name() {
        return name;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant lastSeenAt() {
        return lastSeenAt;
    }

    public Instant revokedAt() {
        return revokedAt;
    }
}

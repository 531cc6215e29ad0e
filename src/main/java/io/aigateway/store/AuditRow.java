package io.aigateway.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One admin change: who (the admin key id), what, and the entity before and after with secrets redacted. */
@Entity
@Table(name = "audit_log")
public class AuditRow {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;
    @Column(name = "created_at", nullable = false)
    Instant created;
    @Column(nullable = false)
    String actor;
    @Column(nullable = false)
    String action;
    @Column(name = "entity_type", nullable = false)
    String entityType;
    @Column(name = "entity_name", nullable = false)
    String entityName;
    @Column(name = "before_json")
    String before;
    @Column(name = "after_json")
    String after;

    protected AuditRow() {
    }

    AuditRow(Instant created, String actor, String action, String entityType, String entityName, String before,
            String after) {
        this.created = created;
        this.actor = actor;
        this.action = action;
        this.entityType = entityType;
        this.entityName = entityName;
        this.before = before;
        this.after = after;
    }

    public Long id() {
        return id;
    }

    public Instant created() {
        return created;
    }

    public String actor() {
        return actor;
    }

    public String action() {
        return action;
    }

    public String entityType() {
        return entityType;
    }

    public String entityName() {
        return entityName;
    }

    public String before() {
        return before;
    }

    public String after() {
        return after;
    }
}

package io.aigateway.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A tenant created through the admin API. Limits and quota are kept as the JSON the admin gave (their schema is the limits module's). */
@Entity
@Table(name = "tenants")
public class TenantRow {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;
    @Column(nullable = false)
    String name;
    @Column(name = "models_json", nullable = false)
    String modelsJson;
    @Column(name = "limits_json")
    String limitsJson;
    @Column(name = "quota_json")
    String quotaJson;
    @Column(name = "created_at", nullable = false)
    Instant created;
    @Column(name = "updated_at", nullable = false)
    Instant updated;

    protected TenantRow() {
    }

    TenantRow(String name, String modelsJson, String limitsJson, String quotaJson, Instant now) {
        this.name = name;
        this.modelsJson = modelsJson;
        this.limitsJson = limitsJson;
        this.quotaJson = quotaJson;
        this.created = now;
        this.updated = now;
    }
}

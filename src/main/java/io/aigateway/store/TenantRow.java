package io.aigateway.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A tenant created through the admin API. Limits, model limits, quota and backend groups are kept as the JSON the admin
 * gave; they are bound with the config file's rules when read.
 */
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
    @Column(name = "model_limits_json")
    String modelLimitsJson;
    @Column(name = "backend_groups_json")
    String backendGroupsJson;
    @Column(name = "capture_bodies_json")
    String captureBodiesJson;
    @Column(name = "created_at", nullable = false)
    Instant created;
    @Column(name = "updated_at", nullable = false)
    Instant updated;

    protected TenantRow() {
    }

    TenantRow(String name, String modelsJson, StoreContents.TenantLimits limits, Instant now) {
        this.name = name;
        this.modelsJson = modelsJson;
        setLimits(limits);
        this.created = now;
        this.updated = now;
    }

    void setLimits(StoreContents.TenantLimits limits) {
        this.limitsJson = limits.limits();
        this.modelLimitsJson = limits.modelLimits();
        this.quotaJson = limits.quota();
        this.backendGroupsJson = limits.backendGroups();
        this.captureBodiesJson = limits.captureBodies();
    }

    StoreContents.TenantLimits limits() {
        return new StoreContents.TenantLimits(limitsJson, modelLimitsJson, quotaJson, backendGroupsJson,
                captureBodiesJson);
    }
}

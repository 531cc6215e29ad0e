package io.aigateway.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A gateway key of a stored tenant: its SHA-256 and a display prefix, never the key. */
@Entity
@Table(name = "tenant_keys")
public class TenantKeyRow {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;
    @Column(name = "tenant_id", nullable = false)
    Long tenantId;
    @Column(name = "key_id", nullable = false)
    String keyId;
    @Column(name = "key_hash", nullable = false)
    String hash;
    @Column(nullable = false)
    String prefix;
    @Column(name = "created_at", nullable = false)
    Instant created;
    @Column(name = "expires_at")
    Instant expires;
    @Column(name = "revoked_at")
    Instant revoked;
    @Column(name = "limits_json")
    String limitsJson;
    @Column(name = "quota_json")
    String quotaJson;

    protected TenantKeyRow() {
    }

    TenantKeyRow(Long tenantId, String keyId, String hash, String prefix, Instant created, Instant expires,
            String limitsJson, String quotaJson) {
        this.limitsJson = limitsJson;
        this.quotaJson = quotaJson;
        this.tenantId = tenantId;
        this.keyId = keyId;
        this.hash = hash;
        this.prefix = prefix;
        this.created = created;
        this.expires = expires;
    }
}

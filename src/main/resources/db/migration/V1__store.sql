-- The store's first schema. Runs unchanged on MariaDB and on H2 in MariaDB mode: keep to the SQL both accept.
-- Times are DATETIME(3) in UTC (hibernate.jdbc.time_zone=UTC); JSON is kept as text the gateway parses itself.

-- One row whose version goes up on every admin change, so that other instances know to reload.
CREATE TABLE config_version (
    id INT NOT NULL PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO config_version (id, version) VALUES (1, 0);

CREATE TABLE tenants (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(128) NOT NULL,
    models_json VARCHAR(4000) NOT NULL,
    limits_json TEXT NULL,
    quota_json TEXT NULL,
    created_at DATETIME(3) NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    CONSTRAINT uk_tenants_name UNIQUE (name)
);

-- Gateway keys: only the SHA-256 and a short prefix for display are kept.
CREATE TABLE tenant_keys (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    key_id VARCHAR(64) NOT NULL,
    key_hash CHAR(64) NOT NULL,
    prefix VARCHAR(16) NOT NULL,
    created_at DATETIME(3) NOT NULL,
    expires_at DATETIME(3) NULL,
    revoked_at DATETIME(3) NULL,
    limits_json TEXT NULL,
    CONSTRAINT uk_tenant_keys_hash UNIQUE (key_hash),
    CONSTRAINT uk_tenant_keys_id UNIQUE (tenant_id, key_id),
    CONSTRAINT fk_tenant_keys_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

-- A backend as its config entry (JSON, without keys) plus its keys encrypted with AES-256-GCM under the master key.
CREATE TABLE backends (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(128) NOT NULL,
    flavor VARCHAR(16) NOT NULL,
    endpoint VARCHAR(2000) NOT NULL,
    spec_json TEXT NOT NULL,
    keys_sealed TEXT NULL,
    created_at DATETIME(3) NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    CONSTRAINT uk_backends_name UNIQUE (name)
);

-- The deployments of each stored backend, kept in step with spec_json, for queries by model.
CREATE TABLE deployments (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    backend_id BIGINT NOT NULL,
    name VARCHAR(256) NOT NULL,
    model VARCHAR(256) NOT NULL,
    CONSTRAINT uk_deployments_model UNIQUE (backend_id, model),
    CONSTRAINT fk_deployments_backend FOREIGN KEY (backend_id) REFERENCES backends (id) ON DELETE CASCADE
);

CREATE TABLE model_aliases (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(256) NOT NULL,
    backend VARCHAR(128) NULL,
    model VARCHAR(256) NOT NULL,
    CONSTRAINT uk_model_aliases_name UNIQUE (name)
);

-- Quota usage per scope (tenant, key, ...), subject and period.
CREATE TABLE quota_counters (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    scope VARCHAR(16) NOT NULL,
    subject VARCHAR(256) NOT NULL,
    period_start DATETIME(3) NOT NULL,
    requests BIGINT NOT NULL,
    tokens BIGINT NOT NULL,
    cost DECIMAL(20, 8) NOT NULL,
    CONSTRAINT uk_quota_counters UNIQUE (scope, subject, period_start)
);

CREATE TABLE request_log (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    request_id VARCHAR(64) NOT NULL,
    started_at DATETIME(3) NOT NULL,
    tenant VARCHAR(128) NULL,
    key_id VARCHAR(64) NULL,
    client_ip VARCHAR(64) NULL,
    endpoint VARCHAR(512) NULL,
    operation VARCHAR(32) NULL,
    model VARCHAR(256) NULL,
    backend VARCHAR(128) NULL,
    deployment VARCHAR(512) NULL,
    attempts INT NOT NULL,
    failures VARCHAR(1000) NULL,
    status INT NOT NULL,
    error_code VARCHAR(64) NULL,
    latency_ms BIGINT NOT NULL,
    first_byte_ms BIGINT NULL,
    prompt_tokens BIGINT NULL,
    completion_tokens BIGINT NULL,
    cached_tokens BIGINT NULL,
    tokens_estimated BOOLEAN NULL,
    cost DECIMAL(20, 8) NULL,
    stream BOOLEAN NOT NULL,
    cancelled BOOLEAN NOT NULL
);
CREATE INDEX ix_request_log_started ON request_log (started_at);
CREATE INDEX ix_request_log_tenant ON request_log (tenant, started_at);

CREATE TABLE audit_log (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_at DATETIME(3) NOT NULL,
    actor VARCHAR(64) NOT NULL,
    action VARCHAR(32) NOT NULL,
    entity_type VARCHAR(16) NOT NULL,
    entity_name VARCHAR(256) NOT NULL,
    before_json TEXT NULL,
    after_json TEXT NULL
);
CREATE INDEX ix_audit_log_created ON audit_log (created_at);

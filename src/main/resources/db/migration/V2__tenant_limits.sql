-- Tenants and keys created through the admin API carry every limit the config file's do: model_limits,
-- backend_groups and a key's own quota join the limits and quota kept since V1. JSON as given, bound by the gateway.
ALTER TABLE tenants ADD COLUMN model_limits_json TEXT NULL;
ALTER TABLE tenants ADD COLUMN backend_groups_json VARCHAR(4000) NULL;
ALTER TABLE tenant_keys ADD COLUMN quota_json TEXT NULL;

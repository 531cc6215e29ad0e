package io.aigateway.store;

import io.aigateway.config.AliasConfig;
import io.aigateway.config.BackendConfig;
import io.aigateway.config.ConfigParts;
import io.aigateway.config.DeploymentConfig;
import io.aigateway.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonString;
import org.hibernate.Session;

import java.io.StringReader;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads and changes what operators manage in the store. Every change runs in one transaction with its audit row
 * and a raise of the config version, so that no change is visible without its audit and every instance sees it.
 */
public final class StoreRepository {
    private final Store store;
    private final SecretBox secrets;
    private final Clock clock;

    /** @param secrets seals backend keys; null when no master key is configured (backends with keys are refused) */
    public StoreRepository(Store store, SecretBox secrets, Clock clock) {
        this.store = store;
        this.secrets = secrets;
        this.clock = clock;
    }

    /** The request log's table in the same store. */
    public RequestLogStore requestLog() {
        return new RequestLogStore(store);
    }

    /** The quota counters' table in the same store, where quota counters survive restarts when there is a store. */
    public QuotaCounterTable quotaCounters() {
        return new QuotaCounterTable(store);
    }

    /** Whether backend keys can be stored (a master key is configured). */
    public boolean canSealSecrets() {
        return secrets != null;
    }

    /** The config version: raised by every change made through any instance. */
    public long version() {
        return store.sessions().fromTransaction(session -> session.find(ConfigVersionRow.class, ConfigVersionRow.ID).version);
    }

    /**
     * Everything stored, at one version.
     *
     * @throws IllegalStateException when a stored backend's keys cannot be opened (no or another master key)
     */
    public StoreContents load() {
        return store.sessions().fromTransaction(session -> {
            long version = session.find(ConfigVersionRow.class, ConfigVersionRow.ID).version;
            Map<Long, List<StoreContents.StoredKey>> keys = new LinkedHashMap<>();
            for (TenantKeyRow key : session.createSelectionQuery("from TenantKeyRow order by id", TenantKeyRow.class).getResultList()) {
                keys.computeIfAbsent(key.tenantId, id -> new ArrayList<>()).add(new StoreContents.StoredKey(
                        key.keyId, key.hash, key.prefix, key.created, key.expires, key.revoked, key.limitsJson,
                        key.quotaJson));
            }
            List<StoreContents.StoredTenant> tenants = new ArrayList<>();
            for (TenantRow row : session.createSelectionQuery("from TenantRow order by name", TenantRow.class).getResultList()) {
                tenants.add(new StoreContents.StoredTenant(row.name, strings(row.modelsJson), row.limits(),
                        row.created, row.updated, keys.getOrDefault(row.id, List.of())));
            }
            List<StoreContents.StoredBackend> backends = new ArrayList<>();
            for (BackendRow row : session.createSelectionQuery("from BackendRow order by name", BackendRow.class).getResultList()) {
                BackendConfig spec = ConfigParts.backend(row.specJson, "stored backend '" + row.name + "'");
                backends.add(new StoreContents.StoredBackend(row.name, withKeys(spec, openKeys(row)), row.specJson,
                        row.created, row.updated));
            }
            Map<String, AliasConfig> aliases = new LinkedHashMap<>();
            for (AliasRow row : session.createSelectionQuery("from AliasRow order by name", AliasRow.class).getResultList()) {
                aliases.put(row.name, new AliasConfig(row.backend, row.model));
            }
            return new StoreContents(tenants, backends, aliases, version);
        });
    }

    /** A key to add: its hash and display prefix only, and its own limits and quota (JSON object text, or null). */
    public record NewKey(String id, String hashHex, String prefix, Instant expires, String limitsJson,
            String quotaJson) {
    }

    /** Who changed what, and the entity before and after (JSON with secrets already redacted). */
    public record Change(String actor, String action, String entityType, String entityName, String before,
            String after) {
    }

    /** Creates a tenant with its first key. */
    public void createTenant(Change change, String name, List<String> models, StoreContents.TenantLimits limits,
            NewKey firstKey) {
        write(change, session -> {
            Instant now = clock.instant();
            TenantRow row = new TenantRow(name, json(models), limits, now);
            session.persist(row);
            session.flush();
            session.persist(new TenantKeyRow(row.id, firstKey.id(), firstKey.hashHex(), firstKey.prefix(), now,
                    firstKey.expires(), firstKey.limitsJson(), firstKey.quotaJson()));
        });
    }

    /** Replaces a tenant's models, limits, model limits, quota and backend groups. */
    public void updateTenant(Change change, String name, List<String> models, StoreContents.TenantLimits limits) {
        write(change, session -> {
            TenantRow row = tenantRow(session, name);
            row.modelsJson = json(models);
            row.setLimits(limits);
            row.updated = clock.instant();
        });
    }

    /** Deletes a tenant and its keys. */
    public void deleteTenant(Change change, String name) {
        write(change, session -> {
            TenantRow row = tenantRow(session, name);
            session.createMutationQuery("delete from TenantKeyRow where tenantId = :id").setParameter("id", row.id)
                    .executeUpdate();
            session.remove(row);
        });
    }

    public void addKey(Change change, String tenant, NewKey key) {
        write(change, session -> session.persist(new TenantKeyRow(tenantRow(session, tenant).id, key.id(),
                key.hashHex(), key.prefix(), clock.instant(), key.expires(), key.limitsJson(), key.quotaJson())));
    }

    /** Marks a key revoked: it stays listed (with when it was revoked) and is refused from then on. */
    public void revokeKey(Change change, String tenant, String keyId) {
        write(change, session -> {
            TenantKeyRow row = session.createSelectionQuery(
                    "from TenantKeyRow where tenantId = :tenant and keyId = :id", TenantKeyRow.class)
                    .setParameter("tenant", tenantRow(session, tenant).id).setParameter("id", keyId).getSingleResult();
            row.revoked = clock.instant();
        });
    }

    /**
     * Creates or replaces a backend.
     *
     * @param specJson the backend's config entry without {@code keys}
     * @param keys     its upstream keys, sealed before they reach the database
     */
    public void saveBackend(Change change, boolean create, BackendConfig backend, String specJson, List<String> keys) {
        if (!keys.isEmpty() && secrets == null) {
            throw new IllegalStateException("no master key (store.master_key) to encrypt backend keys with");
        }
        write(change, session -> {
            Instant now = clock.instant();
            BackendRow row = create ? new BackendRow(backend.name(), now) : backendRow(session, backend.name());
            row.flavor = backend.flavor().configName();
            row.endpoint = backend.endpoint().toString();
            row.specJson = specJson;
            row.keysSealed = keys.isEmpty() ? null : secrets.seal(json(keys));
            row.updated = now;
            if (create) {
                session.persist(row);
            } else {
                session.createMutationQuery("delete from DeploymentRow where backendId = :id")
                        .setParameter("id", row.id).executeUpdate();
            }
            session.flush();
            for (DeploymentConfig deployment : backend.deployments()) {
                session.persist(new DeploymentRow(row.id, deployment.name(), deployment.model()));
            }
        });
    }

    public void deleteBackend(Change change, String name) {
        write(change, session -> {
            BackendRow row = backendRow(session, name);
            session.createMutationQuery("delete from DeploymentRow where backendId = :id").setParameter("id", row.id)
                    .executeUpdate();
            session.remove(row);
        });
    }

    /** Records an operator action that changes no stored entity (enable, disable, drain, reload). */
    public void audit(Change change) {
        AuditRow row = auditRow(change);
        store.sessions().inTransaction(session -> session.persist(row));
        AuditLine.log(row);
    }

    /** Audit rows, newest first, with ids below {@code before} (null for the newest). */
    public List<AuditRow> auditLog(Long before, int limit) {
        return store.sessions().fromTransaction(session -> session.createSelectionQuery(
                "from AuditRow where (:before is null or id < :before) order by id desc", AuditRow.class)
                .setParameter("before", before).setMaxResults(limit).getResultList());
    }

    private void write(Change change, java.util.function.Consumer<Session> work) {
        AuditRow row = auditRow(change);
        store.sessions().inTransaction(session -> {
            work.accept(session);
            session.persist(row);
            session.createMutationQuery("update ConfigVersionRow set version = version + 1 where id = :id")
                    .setParameter("id", ConfigVersionRow.ID).executeUpdate();
        });
        AuditLine.log(row);
    }

    private AuditRow auditRow(Change change) {
        return new AuditRow(clock.instant(), change.actor(), change.action(), change.entityType(),
                change.entityName(), change.before(), change.after());
    }

    private static TenantRow tenantRow(Session session, String name) {
        return session.createSelectionQuery("from TenantRow where name = :name", TenantRow.class)
                .setParameter("name", name).getSingleResult();
    }

    private static BackendRow backendRow(Session session, String name) {
        return session.createSelectionQuery("from BackendRow where name = :name", BackendRow.class)
                .setParameter("name", name).getSingleResult();
    }

    private List<String> openKeys(BackendRow row) {
        if (row.keysSealed == null) {
            return List.of();
        }
        if (secrets == null) {
            throw new IllegalStateException("backend '" + row.name + "' has stored keys but no master key"
                    + " (store.master_key) is configured to open them");
        }
        return strings(secrets.open(row.keysSealed));
    }

    /** The backend with other keys; everything else as it is. */
    static BackendConfig withKeys(BackendConfig b, List<String> keys) {
        return new BackendConfig(b.name(), b.flavor(), b.endpoint(), b.apiVersion(), keys, b.weight(), b.priority(),
                b.enabled(), b.headers(), b.timeouts(), b.deployments(), b.retriesPerBackend(), b.circuitBreaker(),
                b.healthCheck(), b.quotaGroup());
    }

    static String json(List<String> values) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        values.forEach(array::add);
        return array.build().toString();
    }

    static List<String> strings(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            JsonArray array = reader.readArray();
            return array.getValuesAs(JsonString.class).stream().map(JsonString::getString).collect(Collectors.toList());
        }
    }
}

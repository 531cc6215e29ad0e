package io.aigateway.admin;

import io.aigateway.config.KeyConfig;
import io.aigateway.config.QuotaConfig;
import io.aigateway.config.RateLimitConfig;
import io.aigateway.config.TenantConfig;
import io.aigateway.quota.QuotaCounter;
import io.aigateway.quota.Quotas;
import io.aigateway.store.StoreContents;
import io.aigateway.store.StoreContents.StoredKey;
import io.aigateway.store.StoreContents.StoredTenant;
import io.aigateway.webapp.Gateway;
import io.aigateway.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * How the admin API shows a tenant: in the config file's field names, a stored one's limits as the admin gave them,
 * and what it used of its quota.
 */
final class TenantViews {
    private final Gateway gateway;
    private final Quotas quotas;

    /** @param quotas the quota counters in force; null when limits are not running */
    TenantViews(Gateway gateway, Quotas quotas) {
        this.gateway = gateway;
        this.quotas = quotas;
    }

    /**
     * The view with {@code quota_used}: what the tenant used in the current period of its quota (null without a
     * quota), and the same in each key that has a quota of its own. Read from the tenant as the running gateway has
     * it, so a tenant without usable keys shows none.
     */
    JsonObject withQuotaUsed(JsonObject view, String name) {
        TenantConfig running = gateway.config().tenants().stream().filter(t -> t.name().equals(name)).findFirst()
                .orElse(null);
        JsonObjectBuilder answer = Json.createObjectBuilder(view);
        answer.add("quota_used", quotaUsed(name, running == null ? null : running.quota()));
        JsonArrayBuilder keys = Json.createArrayBuilder();
        for (JsonObject key : view.getJsonArray("keys").getValuesAs(JsonObject.class)) {
            KeyConfig config = running == null ? null : running.key(key.getString("id"));
            keys.add(Json.createObjectBuilder(key).add("quota_used",
                    quotaUsed(name + "/" + key.getString("id"), config == null ? null : config.quota())));
        }
        return answer.add("keys", keys).build();
    }

    private JsonValue quotaUsed(String subject, QuotaConfig quota) {
        if (quota == null || quotas == null) {
            return JsonValue.NULL;
        }
        QuotaCounter used = quotas.usage(subject, quota);
        return Json.createObjectBuilder().add("period_start", used.periodStart().toString())
                .add("requests", used.requests()).add("tokens", used.tokens()).add("cost", used.cost()).build();
    }

    /** A tenant of the config file, its limits as the file's fields (absent ones left out). */
    static JsonObject fileView(TenantConfig tenant) {
        JsonArrayBuilder keys = Json.createArrayBuilder();
        for (KeyConfig key : tenant.keys()) {
            JsonObjectBuilder k = Json.createObjectBuilder().add("id", key.id());
            AdminJson.add(k, "expires", key.expires());
            k.add("limits", limits(key.limits())).add("quota", quota(key.quota()));
            keys.add(k);
        }
        JsonObjectBuilder modelLimits = Json.createObjectBuilder();
        tenant.modelLimits().forEach((model, limits) -> modelLimits.add(model, limits(limits)));
        return Json.createObjectBuilder().add("name", tenant.name()).add("source", "file")
                .add("models", Json.createArrayBuilder(tenant.models()))
                .add("limits", limits(tenant.limits()))
                .add("model_limits", tenant.modelLimits().isEmpty() ? JsonValue.NULL : modelLimits.build())
                .add("quota", quota(tenant.quota()))
                .add("backend_groups", tenant.backendGroups().isEmpty() ? JsonValue.NULL
                        : Json.createArrayBuilder(tenant.backendGroups()).build())
                .add("capture_bodies", tenant.captureBodies() == null ? JsonValue.NULL
                        : tenant.captureBodies() ? JsonValue.TRUE : JsonValue.FALSE)
                .add("keys", keys).build();
    }

    /** A stored tenant, its limits as the admin gave them (null when absent): also what the audit log keeps. */
    static JsonObject storedView(StoredTenant tenant) {
        JsonArrayBuilder keys = Json.createArrayBuilder();
        tenant.keys().forEach(key -> keys.add(keyView(key)));
        JsonObjectBuilder view = Json.createObjectBuilder().add("name", tenant.name()).add("source", "store")
                .add("models", Json.createArrayBuilder(tenant.models()));
        view.add("limits", StoreContents.parse(tenant.limits().limits()));
        view.add("model_limits", StoreContents.parse(tenant.limits().modelLimits()));
        view.add("quota", StoreContents.parse(tenant.limits().quota()));
        view.add("backend_groups", StoreContents.parse(tenant.limits().backendGroups()));
        view.add("capture_bodies", StoreContents.parse(tenant.limits().captureBodies()));
        AdminJson.add(view, "created", tenant.created());
        AdminJson.add(view, "updated", tenant.updated());
        return view.add("keys", keys).build();
    }

    static JsonObject keyView(StoredKey key) {
        JsonObjectBuilder view = Json.createObjectBuilder().add("id", key.id()).add("prefix", key.prefix());
        AdminJson.add(view, "created", key.created());
        AdminJson.add(view, "expires", key.expires());
        AdminJson.add(view, "revoked", key.revoked());
        view.add("limits", StoreContents.parse(key.limitsJson()));
        view.add("quota", StoreContents.parse(key.quotaJson()));
        return view.build();
    }

    private static JsonValue limits(RateLimitConfig limits) {
        if (!limits.isLimited()) {
            return JsonValue.NULL;
        }
        JsonObjectBuilder json = Json.createObjectBuilder();
        if (limits.rpm() != null) {
            json.add("rpm", limits.rpm());
        }
        if (limits.tpm() != null) {
            json.add("tpm", limits.tpm());
        }
        if (limits.concurrency() != null) {
            json.add("concurrency", limits.concurrency());
        }
        return json.build();
    }

    private static JsonValue quota(QuotaConfig quota) {
        if (quota == null) {
            return JsonValue.NULL;
        }
        JsonObjectBuilder json = Json.createObjectBuilder();
        if (quota.requests() != null) {
            json.add("requests", quota.requests());
        }
        if (quota.tokens() != null) {
            json.add("tokens", quota.tokens());
        }
        if (quota.cost() != null) {
            json.add("cost", quota.cost());
        }
        return json.add("reset", quota.reset()).add("time_zone", quota.timeZone().getId()).build();
    }
}

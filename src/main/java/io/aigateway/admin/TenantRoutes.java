package io.aigateway.admin;

import io.aigateway.config.BackendConfig;
import io.aigateway.config.ConfigException;
import io.aigateway.config.ConfigProblem;
import io.aigateway.config.KeyConfig;
import io.aigateway.config.TenantConfig;
import io.aigateway.quota.Quotas;
import io.aigateway.store.StoreContents;
import io.aigateway.store.StoreContents.StoredKey;
import io.aigateway.store.StoreContents.StoredTenant;
import io.aigateway.store.StoreContents.TenantLimits;
import io.aigateway.store.StoreRepository;
import io.aigateway.webapp.Gateway;
import io.aigateway.webapp.LiveConfig;
import io.aigateway.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code /tenants}: list, create, get, update and delete tenants; create, revoke and rotate their keys. Tenants of
 * the config file are listed and shown but read-only.
 */
final class TenantRoutes {
    private static final Set<String> TENANT_FIELDS = Set.of("name", "models", "limits", "model_limits", "quota",
            "backend_groups", "capture_bodies", "key");
    private static final Set<String> PATCH_FIELDS = Set.of("models", "limits", "model_limits", "quota",
            "backend_groups", "capture_bodies");
    private static final Set<String> KEY_FIELDS = Set.of("id", "expires", "limits", "quota");

    private final Gateway gateway;
    private final LiveConfig live;
    private final StoreAccess storeAccess;
    private final TenantViews views;

    /** @param quotas the quota counters in force, to show what each tenant used; null when limits are not running */
    TenantRoutes(Gateway gateway, LiveConfig live, Quotas quotas) {
        this.gateway = gateway;
        this.live = live;
        this.storeAccess = new StoreAccess(live, "tenant");
        this.views = new TenantViews(gateway, quotas);
    }

    /** Handles the request when it is one of these routes; returns false otherwise. */
    boolean handle(AdminExchange x) throws IOException {
        if (x.path.isEmpty() || !x.segment(0).equals("tenants")) {
            return false;
        }
        switch (x.method + " " + shape(x)) {
            case "GET /tenants" -> list(x);
            case "POST /tenants" -> create(x);
            case "GET /tenants/*" -> x.send(200, view(x.segment(1)));
            case "PATCH /tenants/*" -> update(x);
            case "DELETE /tenants/*" -> delete(x);
            case "POST /tenants/*/keys" -> createKey(x, x.segment(1), null);
            case "DELETE /tenants/*/keys/*" -> revokeKey(x);
            case "POST /tenants/*/keys/*/rotate" -> createKey(x, x.segment(1), x.segment(3));
            default -> throw AdminServlet.unknownRoute(x);
        }
        return true;
    }

    /** The path with names replaced by {@code *}, to switch on. */
    private static String shape(AdminExchange x) {
        StringBuilder shape = new StringBuilder();
        for (int i = 0; i < x.path.size(); i++) {
            boolean name = i == 1 || i == 3;
            shape.append('/').append(name ? "*" : x.segment(i));
        }
        return shape.toString();
    }

    private void list(AdminExchange x) throws IOException {
        JsonArrayBuilder tenants = Json.createArrayBuilder();
        live.fileConfig().tenants().forEach(t -> tenants.add(views.withQuotaUsed(TenantViews.fileView(t), t.name())));
        storeAccess.contents().tenants()
                .forEach(t -> tenants.add(views.withQuotaUsed(TenantViews.storedView(t), t.name())));
        x.send(200, Json.createObjectBuilder().add("data", tenants).build());
    }

    private JsonObject view(String name) {
        TenantConfig file = fileTenant(name);
        if (file != null) {
            return views.withQuotaUsed(TenantViews.fileView(file), name);
        }
        StoredTenant stored = storeAccess.contents().tenant(name);
        if (stored == null) {
            throw AdminProblem.notFound("tenant '" + name + "'");
        }
        return views.withQuotaUsed(TenantViews.storedView(stored), name);
    }

    private void create(AdminExchange x) throws IOException {
        StoreRepository store = storeAccess.repository();
        JsonObject body = x.body(false);
        AdminExchange.expectFields(body, TENANT_FIELDS);
        String name = AdminExchange.string(body, "name", true);
        List<String> models = AdminExchange.strings(body, "models", true);
        TenantLimits limits = limits(body, TenantLimits.NONE);
        if (body.containsKey("key") && body.get("key").getValueType() != JsonValue.ValueType.OBJECT) {
            throw AdminProblem.invalid("key", "must be an object {id, expires, limits}");
        }
        JsonObject keyBody = body.containsKey("key") ? body.getJsonObject("key") : JsonObject.EMPTY_JSON_OBJECT;
        checkModels(models);
        if (fileTenant(name) != null) {
            throw AdminProblem.fromFile("tenant", name);
        }
        GeneratedKey key = GeneratedKey.create();
        NewKey newKey = newKey(keyBody, "key.", key);
        Instant now = gateway.clock().instant();
        StoredTenant tenant = live.change(contents -> {
            if (contents.tenant(name) != null) {
                throw AdminProblem.conflict("tenant_exists", "tenant '" + name + "' already exists");
            }
            StoredTenant candidate = new StoredTenant(name, models, limits, now, now,
                    List.of(storedKey(newKey, key, now)));
            check(contents, candidate);
            store.createTenant(storeAccess.change(x, "create", name, null, TenantViews.storedView(candidate)), name,
                    models, limits, newKey.row);
            return candidate;
        });
        JsonObjectBuilder answer = Json.createObjectBuilder(TenantViews.storedView(tenant));
        answer.add("key", keyAnswer(newKey.config, key, now));
        x.send(201, answer.build());
    }

    private void update(AdminExchange x) throws IOException {
        StoreRepository store = storeAccess.repository();
        String name = x.segment(1);
        if (fileTenant(name) != null) {
            throw AdminProblem.fromFile("tenant", name);
        }
        JsonObject body = x.body(false);
        AdminExchange.expectFields(body, PATCH_FIELDS);
        List<String> newModels = AdminExchange.strings(body, "models", false);
        if (newModels != null) {
            checkModels(newModels);
        }
        StoredTenant updated = live.change(contents -> {
            StoredTenant before = existing(contents, name);
            StoredTenant after = new StoredTenant(name, newModels != null ? newModels : before.models(),
                    limits(body, before.limits()), before.created(), gateway.clock().instant(), before.keys());
            check(contents, after);
            store.updateTenant(storeAccess.change(x, "update", name, TenantViews.storedView(before),
                    TenantViews.storedView(after)), name, after.models(), after.limits());
            return after;
        });
        x.send(200, TenantViews.storedView(updated));
    }

    private void delete(AdminExchange x) {
        StoreRepository store = storeAccess.repository();
        String name = x.segment(1);
        if (fileTenant(name) != null) {
            throw AdminProblem.fromFile("tenant", name);
        }
        live.change(contents -> {
            StoredTenant before = existing(contents, name);
            store.deleteTenant(storeAccess.change(x, "delete", name, TenantViews.storedView(before), null), name);
            return null;
        });
        x.noContent();
    }

    /** A new key for the tenant; when {@code rotated} names a key, that key is revoked in the same change. */
    private void createKey(AdminExchange x, String name, String rotated) throws IOException {
        StoreRepository store = storeAccess.repository();
        if (fileTenant(name) != null) {
            throw AdminProblem.fromFile("tenant", name);
        }
        JsonObject body = x.body(true);
        GeneratedKey key = GeneratedKey.create();
        NewKey newKey = newKey(body, "", key);
        Instant now = gateway.clock().instant();
        live.change(contents -> {
            StoredTenant tenant = existing(contents, name);
            if (tenant.key(newKey.config.id()) != null) {
                throw AdminProblem.conflict("key_exists", "tenant '" + name + "' already has a key '"
                        + newKey.config.id() + "'");
            }
            if (rotated != null) {
                StoredKey old = tenant.key(rotated);
                if (old == null || old.revoked() != null) {
                    throw AdminProblem.notFound("key '" + rotated + "' of tenant '" + name + "'");
                }
                store.revokeKey(storeAccess.change(x, "rotate_key", name + "/" + rotated, TenantViews.keyView(old),
                        null), name, rotated);
            }
            store.addKey(storeAccess.change(x, "create_key", name + "/" + newKey.config.id(), null,
                    TenantViews.keyView(storedKey(newKey, key, now))), name, newKey.row);
            return null;
        });
        x.send(201, keyAnswer(newKey.config, key, now));
    }

    private void revokeKey(AdminExchange x) {
        StoreRepository store = storeAccess.repository();
        String name = x.segment(1);
        String id = x.segment(3);
        if (fileTenant(name) != null) {
            throw AdminProblem.fromFile("tenant", name);
        }
        live.change(contents -> {
            StoredKey key = existing(contents, name).key(id);
            if (key == null) {
                throw AdminProblem.notFound("key '" + id + "' of tenant '" + name + "'");
            }
            if (key.revoked() != null) {
                throw AdminProblem.conflict("key_revoked", "key '" + id + "' of tenant '" + name
                        + "' is already revoked");
            }
            store.revokeKey(storeAccess.change(x, "revoke_key", name + "/" + id, TenantViews.keyView(key), null),
                    name, id);
            return null;
        });
        x.noContent();
    }

    /** A key to add, checked by the same rules as the file's keys. */
    private record NewKey(KeyConfig config, StoreRepository.NewKey row) {
    }

    /**
     * The key bound like a {@code keys[]} entry of the file (its {@code limits} and {@code quota} included), with
     * problems reported at {@code pathPrefix} plus the field's path.
     */
    private static NewKey newKey(JsonObject body, String pathPrefix, GeneratedKey key) {
        String id;
        Instant expires;
        try {
            AdminExchange.expectFields(body, KEY_FIELDS);
            id = AdminExchange.string(body, "id", false);
            expires = AdminExchange.instant(body, "expires");
        } catch (AdminProblem problem) {
            throw AdminProblem.invalid(pathPrefix + problem.error().param(), problem.error().message());
        }
        String limits = valueText(body, "limits");
        String quota = valueText(body, "quota");
        StoredKey spec = new StoredKey(id == null ? KeyConfig.defaultId(key.hash()) : id, key.hash().hex(),
                key.prefix(), null, expires, null, limits, quota);
        KeyConfig config;
        try {
            config = spec.toConfig();
        } catch (ConfigException x) {
            throw AdminProblem.invalid(relativeTo(pathPrefix, x));
        }
        return new NewKey(config, new StoreRepository.NewKey(config.id(), key.hash().hex(), key.prefix(), expires,
                limits, quota));
    }

    private static StoredKey storedKey(NewKey newKey, GeneratedKey key, Instant now) {
        return new StoredKey(newKey.config.id(), key.hash().hex(), key.prefix(), now, newKey.config.expires(), null,
                newKey.row.limitsJson(), newKey.row.quotaJson());
    }

    /**
     * The body's {@code limits}, {@code model_limits}, {@code quota}, {@code backend_groups} and
     * {@code capture_bodies}, each as given, or
     * {@code before}'s where the body does not have it; JSON null removes one. Checked later by the file's binder,
     * which reports a wrong type as the file would.
     */
    private static TenantLimits limits(JsonObject body, TenantLimits before) {
        return new TenantLimits(
                body.containsKey("limits") ? valueText(body, "limits") : before.limits(),
                body.containsKey("model_limits") ? valueText(body, "model_limits") : before.modelLimits(),
                body.containsKey("quota") ? valueText(body, "quota") : before.quota(),
                body.containsKey("backend_groups") ? valueText(body, "backend_groups") : before.backendGroups(),
                body.containsKey("capture_bodies") ? valueText(body, "capture_bodies") : before.captureBodies());
    }

    private static String valueText(JsonObject body, String field) {
        JsonValue value = body.get(field);
        return value == null || value.getValueType() == JsonValue.ValueType.NULL ? null : value.toString();
    }

    /** The problems with their paths under {@code prefix} ({@code key.}), as the body nests them. */
    private static ConfigException relativeTo(String prefix, ConfigException x) {
        if (prefix.isEmpty()) {
            return x;
        }
        List<ConfigProblem> problems = new ArrayList<>();
        for (ConfigProblem problem : x.problems()) {
            String path = problem.path().equals("(file)") ? prefix.substring(0, prefix.length() - 1)
                    : prefix + problem.path();
            problems.add(new ConfigProblem(path, problem.message()));
        }
        return new ConfigException(x.origin(), problems);
    }

    /** Unknown models are reported at their index in the body, before the merged check names them in the config. */
    private void checkModels(List<String> models) {
        Set<String> served = gateway.config().publicModels();
        for (int i = 0; i < models.size(); i++) {
            String model = models.get(i);
            if (!model.equals(TenantConfig.ALL_MODELS) && !served.contains(model)) {
                throw AdminProblem.invalid("models[" + i + "]", "unknown model '" + model
                        + "' (no backend or alias serves it)");
            }
        }
    }

    /**
     * Models of {@code model_limits} and names of {@code backend_groups} that nothing serves, reported at their place
     * in the body; the merged check would name them by their index in the whole config.
     */
    private void checkReferences(TenantConfig tenant) {
        Set<String> served = gateway.config().publicModels();
        for (String model : tenant.modelLimits().keySet()) {
            if (!served.contains(model)) {
                throw AdminProblem.invalid("model_limits." + model, "unknown model '" + model
                        + "' (no backend or alias serves it)");
            }
        }
        Set<String> groups = new java.util.HashSet<>();
        for (BackendConfig backend : gateway.config().backends()) {
            groups.add(backend.name());
            if (backend.quotaGroup() != null) {
                groups.add(backend.quotaGroup());
            }
        }
        for (int i = 0; i < tenant.backendGroups().size(); i++) {
            String group = tenant.backendGroups().get(i);
            if (!groups.contains(group)) {
                throw AdminProblem.invalid("backend_groups[" + i + "]", "no backend is named '" + group
                        + "' or has it as its quota_group");
            }
        }
    }

    /** The tenant's own rules, then what it names (paths relative to the body), then the merged config's. */
    private void check(StoreContents contents, StoredTenant candidate) {
        TenantConfig bound;
        try {
            bound = candidate.check();
        } catch (ConfigException x) {
            throw AdminProblem.invalid(x);
        }
        checkReferences(bound);
        List<StoredTenant> tenants = new ArrayList<>(contents.tenants());
        tenants.removeIf(t -> t.name().equals(candidate.name()));
        tenants.add(candidate);
        try {
            live.check(new StoreContents(tenants, contents.backends(), contents.aliases(), contents.version()));
        } catch (ConfigException x) {
            throw AdminProblem.invalid(x);
        }
    }

    private static StoredTenant existing(StoreContents contents, String name) {
        StoredTenant tenant = contents.tenant(name);
        if (tenant == null) {
            throw AdminProblem.notFound("tenant '" + name + "'");
        }
        return tenant;
    }

    private TenantConfig fileTenant(String name) {
        return live.fileConfig().tenants().stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
    }

    private static JsonObject keyAnswer(KeyConfig config, GeneratedKey key, Instant created) {
        JsonObjectBuilder answer = Json.createObjectBuilder().add("id", config.id()).add("key", key.raw())
                .add("prefix", key.prefix()).add("created", created.toString());
        AdminJson.add(answer, "expires", config.expires());
        return answer.build();
    }
}

package io.aigateway.admin;

import io.aigateway.config.BackendConfig;
import io.aigateway.config.ConfigException;
import io.aigateway.config.ConfigParts;
import io.aigateway.config.DeploymentConfig;
import io.aigateway.log.SecretRedactor;
import io.aigateway.registry.Backend;
import io.aigateway.registry.Deployment;
import io.aigateway.routing.health.HealthRegistry;
import io.aigateway.store.StoreContents;
import io.aigateway.store.StoreContents.StoredBackend;
import io.aigateway.store.StoreRepository;
import io.aigateway.webapp.Gateway;
import io.aigateway.webapp.LiveConfig;
import io.aigateway.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * {@code /backends}: list, create, get, update and delete backends (bodies are {@code backends[]} entries of the
 * config file, checked by the same rules), and enable, disable or drain a backend or one of its deployments. Keys
 * are never shown: a view lists as many {@code [REDACTED]} as the backend has keys.
 */
final class BackendRoutes {
    private final Gateway gateway;
    private final LiveConfig live;
    private final StoreAccess storeAccess;

    BackendRoutes(Gateway gateway, LiveConfig live) {
        this.gateway = gateway;
        this.live = live;
        this.storeAccess = new StoreAccess(live, "backend");
    }

    boolean handle(AdminExchange x) throws IOException {
        if (x.path.isEmpty() || !x.segment(0).equals("backends")) {
            return false;
        }
        int n = x.path.size();
        String route = x.method + " " + n;
        if (route.equals("GET 1")) {
            list(x);
        } else if (route.equals("POST 1")) {
            save(x, null);
        } else if (route.equals("GET 2")) {
            x.send(200, view(x.segment(1)));
        } else if (route.equals("PATCH 2")) {
            save(x, x.segment(1));
        } else if (route.equals("DELETE 2")) {
            delete(x);
        } else if (route.equals("POST 3") && operation(x.segment(2)) != null) {
            operate(x, x.segment(1), null, x.segment(2));
        } else if (route.equals("POST 5") && x.segment(2).equals("deployments") && operation(x.segment(4)) != null) {
            operate(x, x.segment(1), x.segment(3), x.segment(4));
        } else {
            throw AdminServlet.unknownRoute(x);
        }
        return true;
    }

    private void list(AdminExchange x) throws IOException {
        JsonArrayBuilder backends = Json.createArrayBuilder();
        live.fileConfig().backends().forEach(b -> backends.add(fileView(b)));
        storeAccess.contents().backends().forEach(b -> backends.add(storedView(b)));
        x.send(200, Json.createObjectBuilder().add("data", backends).build());
    }

    private JsonObject view(String name) {
        BackendConfig file = fileBackend(name);
        if (file != null) {
            return fileView(file);
        }
        StoredBackend stored = storeAccess.contents().backend(name);
        if (stored == null) {
            throw AdminProblem.notFound("backend '" + name + "'");
        }
        return storedView(stored);
    }

    /** Creates a backend ({@code name} null) or applies a patch to one: top-level fields replace, null removes. */
    private void save(AdminExchange x, String name) throws IOException {
        StoreRepository store = storeAccess.repository();
        if (name != null && fileBackend(name) != null) {
            throw AdminProblem.fromFile("backend", name);
        }
        JsonObject body = x.body(false);
        StoredBackend saved = live.change(contents -> {
            StoredBackend before = name == null ? null : contents.backend(name);
            if (name != null && before == null) {
                throw AdminProblem.notFound("backend '" + name + "'");
            }
            JsonObject full = before == null ? body : patched(before, body);
            BackendConfig backend;
            try {
                backend = ConfigParts.backend(full.toString(), "body");
            } catch (ConfigException e) {
                throw AdminProblem.invalid(e);
            }
            if (name != null && !backend.name().equals(name)) {
                throw AdminProblem.invalid("name", "cannot be changed (delete the backend and create it again)");
            }
            if (before == null && fileBackend(backend.name()) != null) {
                throw AdminProblem.fromFile("backend", backend.name());
            }
            if (before == null && contents.backend(backend.name()) != null) {
                throw AdminProblem.conflict("backend_exists", "backend '" + backend.name() + "' already exists");
            }
            if (!backend.keys().isEmpty() && !store.canSealSecrets()) {
                throw AdminProblem.conflict("no_master_key", "backend keys are stored encrypted and no master key"
                        + " is configured (store.master_key, e.g. ${env:AIGATEWAY_MASTER_KEY})");
            }
            String spec = withoutKeys(full).toString();
            StoredBackend candidate = new StoredBackend(backend.name(), backend, spec,
                    before == null ? gateway.clock().instant() : before.created(), gateway.clock().instant());
            List<StoredBackend> backends = new ArrayList<>(contents.backends());
            backends.removeIf(b -> b.name().equals(backend.name()));
            backends.add(candidate);
            try {
                live.check(new StoreContents(contents.tenants(), backends, contents.aliases(), contents.version()));
            } catch (ConfigException e) {
                throw AdminProblem.invalid(e);
            }
            store.saveBackend(storeAccess.change(x, before == null ? "create" : "update", backend.name(),
                    before == null ? null : storedView(before), storedView(candidate)),
                    before == null, backend, spec, backend.keys());
            return candidate;
        });
        SecretRedactor.rememberSecrets(saved.config().keys());
        x.send(name == null ? 201 : 200, storedView(saved));
    }

    /** The stored entry with the patch applied; keys not given stay as they were. */
    private static JsonObject patched(StoredBackend before, JsonObject patch) {
        JsonObjectBuilder full = Json.createObjectBuilder(read(before.specJson()));
        full.add("keys", Json.createArrayBuilder(before.config().keys()));
        patch.forEach((field, value) -> {
            if (value.getValueType() == JsonValue.ValueType.NULL) {
                full.remove(field);
            } else {
                full.add(field, value);
            }
        });
        return full.build();
    }

    private void delete(AdminExchange x) {
        StoreRepository store = storeAccess.repository();
        String name = x.segment(1);
        if (fileBackend(name) != null) {
            throw AdminProblem.fromFile("backend", name);
        }
        live.change(contents -> {
            StoredBackend before = contents.backend(name);
            if (before == null) {
                throw AdminProblem.notFound("backend '" + name + "'");
            }
            List<StoredBackend> backends = new ArrayList<>(contents.backends());
            backends.remove(before);
            try {
                live.check(new StoreContents(contents.tenants(), backends, contents.aliases(), contents.version()));
            } catch (ConfigException e) {
                throw AdminProblem.conflict("backend_in_use", "backend '" + name + "' is still needed: "
                        + e.getMessage());
            }
            store.deleteBackend(storeAccess.change(x, "delete", name, storedView(before), null), name);
            return null;
        });
        x.noContent();
    }

    private static BiConsumer<HealthRegistry, Deployment> operation(String name) {
        return switch (name) {
            case "enable" -> HealthRegistry::enable;
            case "disable" -> HealthRegistry::disable;
            case "drain" -> HealthRegistry::drain;
            default -> null;
        };
    }

    /**
     * Enables, disables or drains (finishes in-flight, takes no new) every deployment of a backend, or one. An
     * operator state of this instance: it is not a config change and is not shared with other instances.
     */
    private void operate(AdminExchange x, String backendName, String deploymentName, String op) throws IOException {
        if (!(gateway.health() instanceof HealthRegistry health)) {
            throw AdminProblem.conflict("no_operator_controls", "this gateway's health tracker has no operator"
                    + " controls");
        }
        Backend backend = gateway.registry().backends().stream().filter(b -> b.name().equals(backendName))
                .findFirst().orElseThrow(() -> AdminProblem.notFound("backend '" + backendName + "'"));
        List<Deployment> targets = backend.deployments().stream()
                .filter(d -> deploymentName == null || d.name().equals(deploymentName)).toList();
        if (targets.isEmpty()) {
            throw AdminProblem.notFound("deployment '" + deploymentName + "' of backend '" + backendName + "'");
        }
        targets.forEach(d -> operation(op).accept(health, d));
        String subject = deploymentName == null ? backendName : backendName + "/" + deploymentName;
        if (live.store() != null) {
            live.store().audit(new StoreRepository.Change(x.actor, op, "deployment", subject, null, null));
        }
        JsonArrayBuilder states = Json.createArrayBuilder();
        targets.forEach(d -> states.add(Json.createObjectBuilder().add("deployment", d.id())
                .add("operator_state", health.operatorState(d).name().toLowerCase())));
        x.send(200, Json.createObjectBuilder().add("backend", backendName).add("deployments", states).build());
    }

    private BackendConfig fileBackend(String name) {
        return live.fileConfig().backends().stream().filter(b -> b.name().equals(name)).findFirst().orElse(null);
    }

    private static JsonObject withoutKeys(JsonObject body) {
        JsonObjectBuilder spec = Json.createObjectBuilder(body);
        spec.remove("keys");
        return spec.build();
    }

    private static JsonObject read(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    private static JsonArrayBuilder redactedKeys(int count) {
        JsonArrayBuilder keys = Json.createArrayBuilder();
        for (int i = 0; i < count; i++) {
            keys.add(SecretRedactor.MASK);
        }
        return keys;
    }

    static JsonObject storedView(StoredBackend backend) {
        JsonObjectBuilder view = Json.createObjectBuilder(read(backend.specJson()));
        // The spec may hold secret header values: show their names only.
        if (!backend.config().headers().isEmpty()) {
            JsonObjectBuilder headers = Json.createObjectBuilder();
            backend.config().headers().keySet().forEach(h -> headers.add(h, SecretRedactor.MASK));
            view.add("headers", headers);
        }
        view.add("keys", redactedKeys(backend.config().keys().size())).add("source", "store");
        AdminJson.add(view, "created", backend.created());
        AdminJson.add(view, "updated", backend.updated());
        return view.build();
    }

    static JsonObject fileView(BackendConfig backend) {
        JsonArrayBuilder deployments = Json.createArrayBuilder();
        for (DeploymentConfig d : backend.deployments()) {
            deployments.add(Json.createObjectBuilder().add("name", d.name()).add("model", d.model()));
        }
        JsonObjectBuilder view = Json.createObjectBuilder().add("name", backend.name())
                .add("flavor", backend.flavor().configName()).add("endpoint", backend.endpoint().toString());
        AdminJson.add(view, "api_version", backend.apiVersion());
        return view.add("weight", backend.weight()).add("priority", backend.priority())
                .add("enabled", backend.enabled()).add("deployments", deployments)
                .add("keys", redactedKeys(backend.keys().size())).add("source", "file").build();
    }
}

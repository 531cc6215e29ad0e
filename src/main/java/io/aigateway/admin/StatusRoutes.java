package io.aigateway.admin;

import io.aigateway.registry.Backend;
import io.aigateway.registry.Deployment;
import io.aigateway.registry.ModelRoute;
import io.aigateway.routing.DeploymentStats;
import io.aigateway.routing.health.DeploymentHealth;
import io.aigateway.routing.health.HealthRegistry;
import io.aigateway.store.StoreRepository;
import io.aigateway.webapp.Gateway;
import io.aigateway.webapp.LiveConfig;
import io.aigateway.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code /status}, {@code /providers/{model}} and {@code /reload}: live health of every deployment, the candidates
 * of one model, and how the config was last (re)loaded.
 */
final class StatusRoutes {
    private final Gateway gateway;
    private final LiveConfig live;
    private final String storeDescription;

    StatusRoutes(Gateway gateway, LiveConfig live, String storeDescription) {
        this.gateway = gateway;
        this.live = live;
        this.storeDescription = storeDescription;
    }

    boolean handle(AdminExchange x) throws IOException {
        if (x.method.equals("GET") && x.matches("status")) {
            x.send(200, status());
        } else if (x.method.equals("GET") && x.matches("providers", "*")) {
            providers(x, x.segment(1));
        } else if (x.method.equals("POST") && x.matches("reload")) {
            reload(x);
        } else {
            return false;
        }
        return true;
    }

    private JsonObject status() {
        JsonArrayBuilder backends = Json.createArrayBuilder();
        for (Backend backend : gateway.registry().backends()) {
            JsonArrayBuilder deployments = Json.createArrayBuilder();
            backend.deployments().forEach(d -> deployments.add(deployment(d)));
            boolean fromFile = live.fileConfig().backends().stream().anyMatch(b -> b.name().equals(backend.name()));
            backends.add(Json.createObjectBuilder().add("name", backend.name())
                    .add("source", fromFile ? "file" : "store").add("enabled", backend.config().enabled())
                    .add("deployments", deployments));
        }
        LiveConfig.Reload reload = live.lastReload();
        JsonObjectBuilder last = Json.createObjectBuilder().add("at", reload.at().toString())
                .add("trigger", reload.trigger()).add("ok", reload.ok());
        AdminJson.add(last, "error", reload.error());
        JsonObjectBuilder config = Json.createObjectBuilder().add("file", live.file().toString())
                .add("last_reload", last).add("store_version", live.storeVersion());
        AdminJson.add(config, "store", storeDescription);
        return Json.createObjectBuilder().add("config", config).add("backends", backends)
                .add("tenants", gateway.registry().tenants().size()).build();
    }

    private void providers(AdminExchange x, String model) throws IOException {
        ModelRoute route = gateway.registry().route(model);
        if (route == null) {
            throw AdminProblem.notFound("model '" + model + "'");
        }
        JsonArrayBuilder candidates = Json.createArrayBuilder();
        route.candidates().forEach(d -> candidates.add(deployment(d)));
        x.send(200, Json.createObjectBuilder().add("model", model).add("candidates", candidates).build());
    }

    private void reload(AdminExchange x) throws IOException {
        LiveConfig.Reload reload = live.reloadFile("api");
        if (live.store() != null) {
            live.store().audit(new StoreRepository.Change(x.actor, "reload", "config", live.file().toString(), null,
                    reload.ok() ? "{\"ok\":true}" : Json.createObjectBuilder().add("error", reload.error()).build().toString()));
        }
        if (!reload.ok()) {
            throw AdminProblem.invalid(null, "the config file was refused and the running config stays: "
                    + reload.error());
        }
        x.send(200, Json.createObjectBuilder().add("reloaded", true).add("at", reload.at().toString())
                .add("tenants", gateway.registry().tenants().size())
                .add("backends", gateway.registry().backends().size()).build());
    }

    /** Health, circuit, cooldown, load, recent latency and error rate of one deployment. */
    private JsonObject deployment(Deployment d) {
        DeploymentStats stats = gateway.stats().stats(d);
        JsonObjectBuilder view = Json.createObjectBuilder().add("id", d.id()).add("backend", d.backend().name())
                .add("name", d.name()).add("model", d.model()).add("priority", d.priority()).add("weight", d.weight())
                .add("available", d.backend().config().enabled() && gateway.health().isAvailable(d))
                .add("in_flight", stats.inFlight()).add("requests", stats.started())
                .add("error_rate", round(1 - stats.successRate()))
                .add("p99_first_byte_ms", millis(stats.p99FirstByte(false)))
                .add("p99_stream_first_byte_ms", millis(stats.p99FirstByte(true)));
        if (gateway.health() instanceof HealthRegistry registry) {
            DeploymentHealth health = registry.health(d);
            view.add("circuit_state", health.breaker().state().name().toLowerCase())
                    .add("operator_state", registry.operatorState(d).name().toLowerCase())
                    .add("flagged", health.flagged());
            AdminJson.add(view, "flag_reason", health.flagReason());
            Instant until = health.nextAvailableAt();
            AdminJson.add(view, "cooldown_until",
                    until != null && until.isAfter(gateway.clock().instant()) ? until : null);
        }
        return view.build();
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static long millis(Duration duration) {
        return duration == null ? -1 : duration.toMillis();
    }
}

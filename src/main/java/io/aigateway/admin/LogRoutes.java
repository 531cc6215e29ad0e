package io.aigateway.admin;

import io.aigateway.config.KeyConfig;
import io.aigateway.config.TenantConfig;
import io.aigateway.quota.QuotaCounter;
import io.aigateway.quota.Quotas;
import io.aigateway.store.AuditRow;
import io.aigateway.store.RequestLogRow;
import io.aigateway.store.RequestLogStore;
import io.aigateway.webapp.Gateway;
import io.aigateway.webapp.LiveConfig;
import io.aigateway.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code /stats}, {@code /requests} and {@code /audit}: usage per tenant, key, model or backend over a time range
 * with the current quota counters, the request log with filters and a cursor, and the audit log of admin changes.
 */
final class LogRoutes {
    private static final int DEFAULT_PAGE = 100;
    private static final int MAX_PAGE = 1000;

    private final Gateway gateway;
    private final LiveConfig live;
    private final Quotas quotas;

    /** @param quotas the quota counters in force; null when limits are not running */
    LogRoutes(Gateway gateway, LiveConfig live, Quotas quotas) {
        this.gateway = gateway;
        this.live = live;
        this.quotas = quotas;
    }

    boolean handle(AdminExchange x) throws IOException {
        if (!x.method.equals("GET")) {
            return false;
        }
        if (x.matches("stats")) {
            stats(x);
        } else if (x.matches("requests")) {
            requests(x);
        } else if (x.matches("audit")) {
            audit(x);
        } else {
            return false;
        }
        return true;
    }

    private RequestLogStore log() {
        if (live.store() == null) {
            throw AdminProblem.noStore();
        }
        return live.store().requestLog();
    }

    /** Defaults: the last 24 hours, grouped by tenant. */
    private void stats(AdminExchange x) throws IOException {
        RequestLogStore log = log();
        Instant to = x.queryInstant("to");
        to = to == null ? gateway.clock().instant() : to;
        Instant from = x.queryInstant("from");
        from = from == null ? to.minus(Duration.ofDays(1)) : from;
        if (!from.isBefore(to)) {
            throw AdminProblem.invalid("from", "must be before 'to'");
        }
        String groupBy = x.query("group_by") == null ? "tenant" : x.query("group_by");
        if (!RequestLogStore.canGroupBy(groupBy)) {
            throw AdminProblem.invalid("group_by", "must be tenant, key, model or backend");
        }
        JsonArrayBuilder groups = Json.createArrayBuilder();
        for (RequestLogStore.Stats s : log.stats(from, to, groupBy)) {
            JsonObjectBuilder group = Json.createObjectBuilder();
            AdminJson.add(group, groupBy, s.key());
            group.add("requests", s.requests()).add("prompt_tokens", s.promptTokens())
                    .add("completion_tokens", s.completionTokens()).add("cached_tokens", s.cachedTokens())
                    .add("tokens", s.tokens()).add("errors", s.errors());
            addCost(group, s.cost());
            groups.add(group);
        }
        x.send(200, Json.createObjectBuilder().add("from", from.toString()).add("to", to.toString())
                .add("group_by", groupBy).add("data", groups).add("quota_counters", quotaCounters()).build());
    }

    /**
     * The current period's counter of every tenant and key with a quota, whatever the time range: read from the
     * quotas in force (this instance's ledger, kept in the store, or Redis), so they are the numbers admission uses.
     */
    private JsonArrayBuilder quotaCounters() {
        JsonArrayBuilder counters = Json.createArrayBuilder();
        if (quotas == null) {
            return counters;
        }
        for (TenantConfig tenant : gateway.config().tenants()) {
            if (tenant.quota() != null) {
                counters.add(counter("tenant", quotas.usage(tenant.name(), tenant.quota())));
            }
            for (KeyConfig key : tenant.keys()) {
                if (key.quota() != null) {
                    counters.add(counter("key", quotas.usage(tenant.name() + "/" + key.id(), key.quota())));
                }
            }
        }
        return counters;
    }

    private static JsonObjectBuilder counter(String scope, QuotaCounter counter) {
        JsonObjectBuilder row = Json.createObjectBuilder().add("scope", scope).add("subject", counter.subject())
                .add("period_start", counter.periodStart().toString()).add("requests", counter.requests())
                .add("tokens", counter.tokens());
        addCost(row, counter.cost());
        return row;
    }

    private void requests(AdminExchange x) throws IOException {
        RequestLogStore log = log();
        int limit = x.queryInt("limit", DEFAULT_PAGE, 1, MAX_PAGE);
        Long status = x.queryLong("status");
        List<RequestLogRow> rows = log.query(new RequestLogStore.Query(x.query("tenant"), x.query("model"),
                x.query("backend"), status == null ? null : status.intValue(), x.queryInstant("from"),
                x.queryInstant("to"), x.queryLong("cursor"), limit));
        JsonArrayBuilder data = Json.createArrayBuilder();
        rows.forEach(row -> data.add(view(row)));
        JsonObjectBuilder answer = Json.createObjectBuilder().add("data", data);
        if (rows.size() == limit) {
            answer.add("next_cursor", String.valueOf(rows.get(rows.size() - 1).id()));
        } else {
            answer.addNull("next_cursor");
        }
        x.send(200, answer.build());
    }

    private void audit(AdminExchange x) throws IOException {
        if (live.store() == null) {
            throw AdminProblem.noStore();
        }
        int limit = x.queryInt("limit", DEFAULT_PAGE, 1, MAX_PAGE);
        List<AuditRow> rows = live.store().auditLog(x.queryLong("cursor"), limit);
        JsonArrayBuilder data = Json.createArrayBuilder();
        for (AuditRow row : rows) {
            JsonObjectBuilder entry = Json.createObjectBuilder().add("id", row.id()).add("at", row.created().toString())
                    .add("actor", row.actor()).add("action", row.action()).add("type", row.entityType())
                    .add("name", row.entityName());
            entry.add("before", row.before() == null ? jakarta.json.JsonValue.NULL : parse(row.before()));
            entry.add("after", row.after() == null ? jakarta.json.JsonValue.NULL : parse(row.after()));
            data.add(entry);
        }
        JsonObjectBuilder answer = Json.createObjectBuilder().add("data", data);
        if (rows.size() == limit) {
            answer.add("next_cursor", String.valueOf(rows.get(rows.size() - 1).id()));
        } else {
            answer.addNull("next_cursor");
        }
        x.send(200, answer.build());
    }

    private static jakarta.json.JsonValue parse(String json) {
        try (var reader = Json.createReader(new java.io.StringReader(json))) {
            return reader.readValue();
        }
    }

    private static void addCost(JsonObjectBuilder json, BigDecimal cost) {
        if (cost == null) {
            json.addNull("cost");
        } else {
            json.add("cost", cost);
        }
    }

    static JsonObjectBuilder view(RequestLogRow row) {
        JsonObjectBuilder view = Json.createObjectBuilder().add("id", String.valueOf(row.id()))
                .add("request_id", row.requestId()).add("time", row.started().toString());
        AdminJson.add(view, "tenant", row.tenant());
        AdminJson.add(view, "key_id", row.keyId());
        AdminJson.add(view, "client_ip", row.clientIp());
        AdminJson.add(view, "endpoint", row.endpoint());
        AdminJson.add(view, "operation", row.operation());
        AdminJson.add(view, "model", row.model());
        AdminJson.add(view, "backend", row.backend());
        AdminJson.add(view, "deployment", row.deployment());
        view.add("attempts", row.attempts());
        AdminJson.add(view, "failures", row.failures());
        view.add("status", row.status());
        AdminJson.add(view, "error_code", row.errorCode());
        view.add("latency_ms", row.latencyMs());
        if (row.firstByteMs() == null) {
            view.addNull("first_byte_ms");
        } else {
            view.add("first_byte_ms", row.firstByteMs());
        }
        addLong(view, "prompt_tokens", row.promptTokens());
        addLong(view, "completion_tokens", row.completionTokens());
        addLong(view, "cached_tokens", row.cachedTokens());
        if (row.tokensEstimated() == null) {
            view.addNull("tokens_estimated");
        } else {
            view.add("tokens_estimated", row.tokensEstimated());
        }
        addCost(view, row.cost());
        view.add("stream", row.stream()).add("cancelled", row.cancelled());
        if (row.bodiesTruncated() != null) {
            // Only rows of tenants that capture bodies have these.
            AdminJson.add(view, "request_body", row.requestBody());
            AdminJson.add(view, "response_body", row.responseBody());
            view.add("bodies_truncated", row.bodiesTruncated());
        }
        return view;
    }

    private static void addLong(JsonObjectBuilder json, String name, Long value) {
        if (value == null) {
            json.addNull(name);
        } else {
            json.add(name, value);
        }
    }
}

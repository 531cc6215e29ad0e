package io.aigateway.quota;

import io.aigateway.testing.AdminClient;
import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.TestClock;
import io.aigateway.testing.TestDatabase;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static io.aigateway.testing.AdminClient.error;
import static io.aigateway.testing.AdminClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With a store, quota counters live in its {@code quota_counters} table and survive a restart of the gateway on the
 * same database; {@code /admin/stats} shows usage with tokens and cost from the request log, and the current quota
 * counters. On H2 and MariaDB.
 */
class QuotaCountersInStoreTest {
    static final String KEY = "sk-quota-in-store";
    static final String ADMIN_KEY = "admin-quota-in-store";
    static final String RANGE = "from=2026-03-10T00:00:00Z&to=2026-03-11T00:00:00Z";
    /** 5 prompt tokens at 1000 and 3 completion tokens at 2000 per million: what the fake backend reports. */
    static final BigDecimal COST_PER_REQUEST = new BigDecimal("0.011");

    private final TestClock clock = new TestClock(Instant.parse("2026-03-10T12:00:00Z"));
    private FakeBackend backend;
    private TestDatabase db;
    private GatewayServer gateway;
    private Path stateFile;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (backend != null) {
            backend.close();
        }
        if (db != null) {
            db.close();
        }
        if (stateFile != null) {
            Files.deleteIfExists(stateFile);
            Files.deleteIfExists(stateFile.getParent());
        }
    }

    private GatewayServer start() {
        return GatewayServer.start("""
            store: {url: "%s"}
            admin: {keys: ["%s"]}
            limits: {state_file: "%s"}
            prices: {gpt-4o: {input: 1000, output: 2000}}
            tenants:
              - name: team
                models: ["*"]
                quota: {requests: 3, reset: "0 0 1 * *"}
                keys: [{key: "%s", id: main, quota: {tokens: 1000}}]
            backends:
              - {name: oai, flavor: openai, endpoint: "%s/v1", models: [gpt-4o]}
            """.formatted(db.url(), ADMIN_KEY, stateFile, KEY, backend.url()), clock);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void quotaCountersSurviveARestartInTheStoreAndStatsShowTokensAndCost(TestDatabase.Kind kind) throws Exception {
        backend = FakeBackend.start("oai");
        db = TestDatabase.create(kind, "quota_in_store");
        stateFile = Files.createTempDirectory("aigw-quota-").resolve("quota-state.json");
        gateway = start();
        AdminClient admin = new AdminClient(gateway, ADMIN_KEY);
        assertEquals(200, chat().statusCode());
        assertEquals(200, chat().statusCode());

        JsonObject stats = await(admin, "/stats?group_by=tenant&" + RANGE,
                s -> !s.getJsonArray("data").isEmpty() && s.getJsonArray("data").getJsonObject(0).getInt("requests") == 2);
        JsonObject team = stats.getJsonArray("data").getJsonObject(0);
        assertEquals("team", team.getString("tenant"));
        assertEquals(10, team.getInt("prompt_tokens"));
        assertEquals(6, team.getInt("completion_tokens"));
        assertEquals(16, team.getInt("tokens"));
        assertEquals(0, COST_PER_REQUEST.multiply(BigDecimal.valueOf(2)).compareTo(team.getJsonNumber("cost").bigDecimalValue()));
        JsonObject byModel = expect(200, admin.get("/stats?group_by=model&" + RANGE)).getJsonArray("data").getJsonObject(0);
        assertEquals("gpt-4o", byModel.getString("model"));
        assertEquals(16, byModel.getInt("tokens"));
        JsonObject byKey = expect(200, admin.get("/stats?group_by=key&" + RANGE)).getJsonArray("data").getJsonObject(0);
        assertEquals("team/main", byKey.getString("key"));

        // Current quota counters: the tenant's requests and the key's tokens, settled against real usage.
        stats = await(admin, "/stats?" + RANGE, s -> counter(s, "team/main").getInt("tokens") == 16);
        JsonObject tenantCounter = counter(stats, "team");
        assertEquals("tenant", tenantCounter.getString("scope"));
        assertEquals(2, tenantCounter.getInt("requests"));
        assertEquals("2026-03-01T00:00:00Z", tenantCounter.getString("period_start"));
        assertEquals(0, COST_PER_REQUEST.multiply(BigDecimal.valueOf(2))
                .compareTo(tenantCounter.getJsonNumber("cost").bigDecimalValue()));
        assertEquals("key", counter(stats, "team/main").getString("scope"));
        assertEquals(2, expect(200, admin.get("/tenants/team")).getJsonObject("quota_used").getInt("requests"));

        // Stopping writes the counters to the store, not to the state file.
        gateway.close();
        gateway = null;
        assertEquals(List.of("key team/main 2 16", "tenant team 2 16"), rows());
        assertFalse(Files.exists(stateFile), "the state file is not used when there is a store");

        gateway = start();
        admin = new AdminClient(gateway, ADMIN_KEY);
        assertEquals(2, expect(200, admin.get("/tenants/team")).getJsonObject("quota_used").getInt("requests"));
        assertEquals(200, chat().statusCode());
        JsonObject exhausted = error(429, chat());
        assertEquals("insufficient_quota", exhausted.getString("code"));
        assertEquals(3, counter(expect(200, admin.get("/stats?" + RANGE)), "team").getInt("requests"));
    }

    private java.net.http.HttpResponse<String> chat() {
        return gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false));
    }

    /** Polls (bounded) until the asynchronous request log and settlement have caught up. */
    private static JsonObject await(AdminClient admin, String path, Predicate<JsonObject> done) throws InterruptedException {
        JsonObject last = null;
        for (int i = 0; i < 500; i++) {
            last = expect(200, admin.get(path));
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("never reached: " + last);
    }

    private static JsonObject counter(JsonObject stats, String subject) {
        return stats.getJsonArray("quota_counters").getValuesAs(JsonObject.class).stream()
                .filter(c -> c.getString("subject").equals(subject)).findFirst()
                .orElse(jakarta.json.Json.createObjectBuilder().add("tokens", -1).add("requests", -1).build());
    }

    private List<String> rows() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT scope, subject, requests, tokens FROM quota_counters ORDER BY scope, subject")) {
            List<String> rows = new ArrayList<>();
            while (r.next()) {
                rows.add(r.getString(1) + " " + r.getString(2) + " " + r.getLong(3) + " " + r.getLong(4));
            }
            return rows;
        }
    }
}

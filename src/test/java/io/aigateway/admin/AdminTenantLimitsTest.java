package io.aigateway.admin;

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

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;

import static io.aigateway.testing.AdminClient.error;
import static io.aigateway.testing.AdminClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tenants and keys created through the admin API carry the config file's limits, quotas, model limits and backend
 * groups: validated with the file's rules and field paths, stored, and enforced at once, on H2 and MariaDB.
 */
class AdminTenantLimitsTest {
    static final String ADMIN_KEY = "admin-tenant-limits";

    private final TestClock clock = new TestClock(Instant.parse("2026-05-01T10:00:00Z"));
    private FakeBackend a;
    private FakeBackend b;
    private TestDatabase db;
    private GatewayServer gateway;
    private AdminClient admin;

    private void start(TestDatabase.Kind kind) {
        a = FakeBackend.start("a");
        b = FakeBackend.start("b");
        db = TestDatabase.create(kind, "admin_tenant_limits");
        gateway = GatewayServer.start("""
            store: {url: "%s"}
            admin: {keys: [{key: %s, id: ops}]}
            tenants:
              - {name: file-team, keys: [{key: sk-file-limits, id: f, limits: {tpm: 900}}], models: ["*"],
                 limits: {rpm: 7}, quota: {tokens: 100}}
            backends:
              - {name: a, flavor: openai, endpoint: "%s/v1", models: [gpt-4o, gpt-4o-mini]}
              - {name: b, flavor: openai, endpoint: "%s/v1", models: [gpt-4o, gpt-4o-mini]}
            """.formatted(db.url(), ADMIN_KEY, a.url(), b.url()), clock);
        admin = new AdminClient(gateway, ADMIN_KEY);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {a, b, db}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // The next one still closes.
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void invalidLimitsAndQuotasAreRefusedWithTheFieldPathAndNothingIsStored(TestDatabase.Kind kind) {
        start(kind);
        JsonObject rpm = error(400, admin.post("/tenants",
                "{\"name\":\"acme\",\"models\":[\"*\"],\"limits\":{\"rpm\":0}}"));
        assertEquals("limits.rpm", rpm.getString("param"));
        assertTrue(rpm.getString("message").contains("limits.rpm: must be > 0"), rpm.getString("message"));
        error(404, admin.get("/tenants/acme"));

        JsonObject unknown = error(400, admin.post("/tenants",
                "{\"name\":\"acme\",\"models\":[\"*\"],\"limits\":{\"rpx\":5}}"));
        assertEquals("limits.rpx", unknown.getString("param"));
        JsonObject quota = error(400, admin.post("/tenants",
                "{\"name\":\"acme\",\"models\":[\"*\"],\"quota\":{\"requests\":10,\"reset\":\"every day\"}}"));
        assertEquals("quota.reset", quota.getString("param"));
        JsonObject zone = error(400, admin.post("/tenants",
                "{\"name\":\"acme\",\"models\":[\"*\"],\"quota\":{\"tokens\":10,\"time_zone\":\"Mars/Base\"}}"));
        assertEquals("quota.time_zone", zone.getString("param"));
        JsonObject modelLimit = error(400, admin.post("/tenants",
                "{\"name\":\"acme\",\"models\":[\"*\"],\"model_limits\":{\"gpt-4o\":{\"tpm\":-1}}}"));
        assertEquals("model_limits.gpt-4o.tpm", modelLimit.getString("param"));
        JsonObject groups = error(400, admin.post("/tenants",
                "{\"name\":\"acme\",\"models\":[\"*\"],\"backend_groups\":\"a\"}"));
        assertEquals("backend_groups", groups.getString("param"));
        JsonObject unserved = error(400, admin.post("/tenants",
                "{\"name\":\"acme\",\"models\":[\"*\"],\"model_limits\":{\"gpt-5\":{\"rpm\":1}}}"));
        assertEquals("model_limits.gpt-5", unserved.getString("param"));
        JsonObject noGroup = error(400, admin.post("/tenants",
                "{\"name\":\"acme\",\"models\":[\"*\"],\"backend_groups\":[\"b\",\"c\"]}"));
        assertEquals("backend_groups[1]", noGroup.getString("param"));
        assertTrue(noGroup.getString("message").contains("no backend is named 'c'"), noGroup.getString("message"));
        JsonObject keyLimit = error(400, admin.post("/tenants",
                "{\"name\":\"acme\",\"models\":[\"*\"],\"key\":{\"limits\":{\"concurrency\":0}}}"));
        assertEquals("key.limits.concurrency", keyLimit.getString("param"));
        assertTrue(keyLimit.getString("message").contains("key.limits.concurrency: must be > 0"));
        error(404, admin.get("/tenants/acme"));

        expect(201, admin.post("/tenants", "{\"name\":\"acme\",\"models\":[\"*\"],\"limits\":{\"rpm\":5}}"));
        JsonObject patch = error(400, admin.patch("/tenants/acme", "{\"limits\":{\"rpm\":5,\"tpm\":0}}"));
        assertEquals("limits.tpm", patch.getString("param"));
        JsonObject keyQuota = error(400, admin.post("/tenants/acme/keys", "{\"id\":\"k2\",\"quota\":{}}"));
        assertEquals("quota", keyQuota.getString("param"));
        JsonObject shown = expect(200, admin.get("/tenants/acme"));
        assertEquals(5, shown.getJsonObject("limits").getInt("rpm"));
        assertFalse(shown.getJsonObject("limits").containsKey("tpm"));
        assertEquals(1, shown.getJsonArray("keys").size());
        // A tenant of the file shows its limits in the same fields.
        JsonObject file = expect(200, admin.get("/tenants/file-team"));
        assertEquals(7, file.getJsonObject("limits").getInt("rpm"));
        assertEquals(100, file.getJsonObject("quota").getInt("tokens"));
        assertEquals("0 0 1 * *", file.getJsonObject("quota").getString("reset"));
        assertEquals(0, file.getJsonObject("quota_used").getInt("tokens"));
        assertEquals(900, file.getJsonArray("keys").getJsonObject(0).getJsonObject("limits").getInt("tpm"));
        // Only the one good change reached the store and its audit.
        List<String> actions = expect(200, admin.get("/audit")).getJsonArray("data").getValuesAs(JsonObject.class)
                .stream().map(e -> e.getString("action")).toList();
        assertEquals(List.of("create"), actions);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void limitsOfAnAdminCreatedTenantAreEnforcedAndPatchesApplyWithoutRestart(TestDatabase.Kind kind) {
        start(kind);
        JsonObject created = expect(201, admin.post("/tenants",
                "{\"name\":\"acme\",\"models\":[\"*\"],\"limits\":{\"rpm\":2}}"));
        String key = created.getJsonObject("key").getString("key");
        assertEquals(List.of(200, 200, 429), statuses(key, "gpt-4o", 3));
        JsonObject refused = error(429, chat(key, "gpt-4o"));
        assertEquals("rate_limit_exceeded", refused.getString("code"));

        JsonObject patched = expect(200, admin.patch("/tenants/acme", "{\"limits\":{\"rpm\":3}}"));
        assertEquals(3, patched.getJsonObject("limits").getInt("rpm"));
        // A changed limit starts afresh, within the same minute.
        assertEquals(List.of(200, 200, 200, 429), statuses(key, "gpt-4o", 4));

        expect(200, admin.patch("/tenants/acme", "{\"limits\":null}"));
        assertEquals(List.of(200, 200, 200, 200, 200), statuses(key, "gpt-4o", 5));
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void keyLimitsModelLimitsBackendGroupsAndQuotasOfTheBodyAreEnforced(TestDatabase.Kind kind) {
        start(kind);
        JsonObject created = expect(201, admin.post("/tenants", """
                {"name": "acme", "models": ["*"], "limits": {"rpm": 100},
                 "model_limits": {"gpt-4o": {"rpm": 2}},
                 "quota": {"requests": 6, "reset": "0 0 * * *", "time_zone": "Europe/Berlin"},
                 "backend_groups": ["b"],
                 "key": {"id": "main"}}
                """));
        String main = created.getJsonObject("key").getString("key");
        JsonObject second = expect(201, admin.post("/tenants/acme/keys",
                "{\"id\":\"tight\",\"limits\":{\"rpm\":1},\"quota\":{\"requests\":3,\"reset\":\"0 0 * * *\"}}"));
        String tight = second.getString("key");

        // The key's own limit, on top of the tenant's.
        assertEquals(List.of(200, 429), statuses(tight, "gpt-4o-mini", 2));
        // The tenant's limit on one model; the other model is not limited by it.
        assertEquals(List.of(200, 200, 429), statuses(main, "gpt-4o", 3));
        assertEquals(200, chat(main, "gpt-4o-mini").statusCode());
        // Only backend b serves the tenant.
        assertEquals(0, a.requestCount());
        assertEquals(4, b.requestCount());

        JsonObject shown = expect(200, admin.get("/tenants/acme"));
        assertEquals(2, shown.getJsonObject("model_limits").getJsonObject("gpt-4o").getInt("rpm"));
        assertEquals("Europe/Berlin", shown.getJsonObject("quota").getString("time_zone"));
        assertEquals(List.of("b"), shown.getJsonArray("backend_groups").getValuesAs(jakarta.json.JsonString.class)
                .stream().map(jakarta.json.JsonString::getString).toList());
        // Counters of the current period (midnight in Berlin): a request a rate limit refused gives its quota back.
        JsonObject used = shown.getJsonObject("quota_used");
        assertEquals("2026-04-30T22:00:00Z", used.getString("period_start"));
        assertEquals(4, used.getInt("requests"), used.toString());
        JsonObject tightKey = shown.getJsonArray("keys").getValuesAs(JsonObject.class).stream()
                .filter(k -> k.getString("id").equals("tight")).findFirst().orElseThrow();
        assertEquals(1, tightKey.getJsonObject("limits").getInt("rpm"));
        assertEquals(3, tightKey.getJsonObject("quota").getInt("requests"));
        assertFalse(tightKey.isNull("quota_used"));

        // Exhaust the tenant's quota: 429 insufficient_quota until the reset.
        expect(200, admin.patch("/tenants/acme", "{\"model_limits\":null,\"limits\":null}"));
        int left = 6 - expect(200, admin.get("/tenants/acme")).getJsonObject("quota_used").getInt("requests");
        for (int i = 0; i < left; i++) {
            assertEquals(200, chat(main, "gpt-4o").statusCode());
        }
        assertEquals("insufficient_quota", error(429, chat(main, "gpt-4o")).getString("code"));
        assertEquals(6, expect(200, admin.get("/tenants/acme")).getJsonObject("quota_used").getInt("requests"));
    }

    private List<Integer> statuses(String key, String model, int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> chat(key, model).statusCode()).toList();
    }

    private HttpResponse<String> chat(String key, String model) {
        return gateway.post("/v1/chat/completions", key, Json.chat(model, false));
    }
}

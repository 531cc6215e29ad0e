package io.aigateway.security;

import io.aigateway.testing.AdminClient;
import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.aigateway.testing.AdminClient.error;
import static io.aigateway.testing.AdminClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Who reaches the admin API and the metrics: tenant keys never (403), admin keys only where {@code admin.path}
 * puts the API, nobody at all without {@code admin.keys} (404, as for a path that does not exist), and admin keys
 * are not gateway keys for model traffic.
 */
class AdminSurfaceTest {
    static final String ADMIN_KEY = "admin-surface-key";
    static final String TENANT_KEY = "sk-admin-surface-tenant";

    static FakeBackend backend;
    static TestDatabase db;

    @BeforeAll
    static void start() {
        backend = FakeBackend.start("a");
        db = TestDatabase.h2();
    }

    @AfterAll
    static void stop() {
        backend.close();
        db.close();
    }

    private static GatewayServer gateway(String admin, String metrics) {
        return GatewayServer.start("""
            store: {url: "%s"}
            admin: %s
            metrics: %s
            tenants: [{name: team, keys: ["%s"], models: ["*"]}]
            backends: [{name: a, flavor: openai, endpoint: "%s/v1", models: [gpt-4o]}]
            """.formatted(db.url(), admin, metrics, TENANT_KEY, backend.url()));
    }

    @Test
    void tenantKeysAreRefusedByTheAdminApiAndTheMetricsAndAdminKeysCarryNoTraffic() {
        try (GatewayServer gateway = gateway("{path: /ops, keys: [\"" + ADMIN_KEY + "\"]}", "{access: admin}")) {
            AdminClient asTenant = new AdminClient(gateway, TENANT_KEY, "/ops");
            for (var response : List.of(asTenant.get("/status"), asTenant.get("/tenants"),
                    asTenant.post("/tenants", "{\"name\":\"x\",\"models\":[\"*\"]}"), asTenant.post("/reload", null))) {
                assertEquals("tenant_key_not_admin", error(403, response).getString("code"));
            }
            assertEquals("tenant_key_not_admin", error(403, gateway.get("/metrics", TENANT_KEY)).getString("code"));
            assertEquals("missing_api_key", error(401, gateway.get("/metrics", null)).getString("code"));
            assertEquals("invalid_api_key", error(401, gateway.get("/metrics", "nope")).getString("code"));
            assertEquals(200, gateway.get("/metrics", ADMIN_KEY).statusCode());

            expect(200, new AdminClient(gateway, ADMIN_KEY, "/ops").get("/status"));
            // The API moved: its default path is unknown, whatever the key.
            assertEquals("unknown_url", error(404, new AdminClient(gateway, ADMIN_KEY).get("/status"))
                    .getString("code"));
            assertEquals(401, gateway.post("/v1/chat/completions", ADMIN_KEY, Json.chat("gpt-4o", false)).statusCode(),
                    "an admin key is not a gateway key");
            assertEquals(200, gateway.post("/v1/chat/completions", TENANT_KEY, Json.chat("gpt-4o", false))
                    .statusCode());
        }
    }

    @Test
    void withoutAdminKeysTheAdminApiDoesNotExist() {
        try (GatewayServer gateway = gateway("{}", "{access: disabled}")) {
            for (String key : new String[] {null, TENANT_KEY, ADMIN_KEY}) {
                AdminClient client = new AdminClient(gateway, key);
                for (var response : List.of(client.get("/status"), client.get("/tenants"),
                        client.post("/tenants", "{\"name\":\"x\",\"models\":[\"*\"]}"), client.delete("/backends/a"))) {
                    assertEquals("unknown_url", error(404, response).getString("code"));
                }
            }
            assertEquals("unknown_url", error(404, gateway.get("/metrics", TENANT_KEY)).getString("code"));
            assertEquals(200, gateway.post("/v1/chat/completions", TENANT_KEY, Json.chat("gpt-4o", false))
                    .statusCode());
        }
    }

    @Test
    void openMetricsNeedNoKeyAndAdminMetricsNeedAdminKeys() {
        try (GatewayServer gateway = gateway("{keys: [\"" + ADMIN_KEY + "\"]}", "{access: open}")) {
            assertEquals(200, gateway.get("/metrics", null).statusCode(), "open: restrict it at the network");
        }
        IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> gateway("{}", "{access: admin}"));
        StringBuilder causes = new StringBuilder();
        for (Throwable t = refused; t != null; t = t.getCause()) {
            causes.append(t.getMessage()).append(" / ");
        }
        org.junit.jupiter.api.Assertions.assertTrue(causes.toString()
                .contains("metrics.access: 'admin' needs admin keys (admin.keys is empty)"), causes.toString());
    }
}

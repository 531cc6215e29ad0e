package io.aigateway.admin;

import io.aigateway.testing.AdminClient;
import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.TestDatabase;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;

import static io.aigateway.testing.AdminClient.error;
import static io.aigateway.testing.AdminClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Backends and deployments through the admin API; status and providers from the live health. */
class AdminBackendsTest {
    static final String ADMIN_KEY = "admin-backends-key";
    static final String TENANT_KEY = "sk-backends-tenant";
    static final String UPSTREAM_KEY = "sk-upstream-created-by-admin";
    static final String MASTER_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    static FakeBackend fileBackend;
    static FakeBackend storeBackend;
    static TestDatabase db;
    static GatewayServer gateway;
    static AdminClient admin;

    @BeforeAll
    static void start() {
        fileBackend = FakeBackend.start("file");
        storeBackend = FakeBackend.start("stored");
        db = TestDatabase.h2();
        gateway = GatewayServer.start("""
            store: {url: "%s", master_key: "%s"}
            admin: {path: /ops, keys: ["%s"]}
            tenants:
              - {name: team, keys: ["%s"], models: ["*"]}
            backends:
              - {name: file, flavor: openai, endpoint: "%s/v1", models: [gpt-4o]}
            """.formatted(db.url(), MASTER_KEY, ADMIN_KEY, TENANT_KEY, fileBackend.url()));
        admin = new AdminClient(gateway, ADMIN_KEY, "/ops");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        fileBackend.close();
        storeBackend.close();
        db.close();
    }

    private static String backendJson(String name, String model) {
        return """
            {"name":"%s","flavor":"openai","endpoint":"%s/v1","keys":["%s"],
             "deployments":[{"name":"%s-upstream","model":"%s"}]}""".formatted(name, storeBackend.url(), UPSTREAM_KEY,
                model, model);
    }

    @Test
    void createdBackendServesAtOnceWithItsKeySealedInTheStore() throws Exception {
        JsonObject created = expect(201, admin.post("/backends", backendJson("stored", "llama-3")));
        assertEquals(List.of("[REDACTED]"), created.getJsonArray("keys").getValuesAs(jakarta.json.JsonString.class)
                .stream().map(jakarta.json.JsonString::getString).toList());
        assertFalse(created.toString().contains(UPSTREAM_KEY));

        storeBackend.clearRequests();
        assertEquals(200, gateway.post("/v1/chat/completions", TENANT_KEY, Json.chat("llama-3", false)).statusCode());
        io.aigateway.testing.RecordedRequest upstream = storeBackend.takeRequest();
        assertEquals("Bearer " + UPSTREAM_KEY, upstream.header("Authorization"));
        assertEquals("llama-3-upstream", upstream.json().getString("model"));

        try (Connection connection = db.connect()) {
            ResultSet rows = connection.createStatement().executeQuery("SELECT spec_json, keys_sealed FROM backends");
            while (rows.next()) {
                assertFalse(rows.getString(1).contains(UPSTREAM_KEY));
                assertFalse(rows.getString(2).contains(UPSTREAM_KEY));
            }
        }

        JsonObject patched = expect(200, admin.patch("/backends/stored", "{\"weight\":3}"));
        assertEquals(3, patched.getInt("weight"));
        // Keys not in the patch stay.
        storeBackend.clearRequests();
        assertEquals(200, gateway.post("/v1/chat/completions", TENANT_KEY, Json.chat("llama-3", false)).statusCode());
        assertEquals("Bearer " + UPSTREAM_KEY, storeBackend.takeRequest().header("Authorization"));

        JsonObject providers = expect(200, admin.get("/providers/llama-3"));
        assertEquals("stored/llama-3-upstream", providers.getJsonArray("candidates").getJsonObject(0).getString("id"));

        expect(204, admin.delete("/backends/stored"));
        error(404, admin.get("/backends/stored"));
        assertEquals(404, gateway.post("/v1/chat/completions", TENANT_KEY, Json.chat("llama-3", false)).statusCode());
    }

    @Test
    void invalidBackendsAre400WithTheFieldPath() {
        assertEquals("endpoint", error(400, admin.post("/backends",
                "{\"name\":\"b\",\"flavor\":\"openai\",\"endpoint\":\"ftp://x\",\"models\":[\"m\"]}")).getString("param"));
        assertEquals("flavor", error(400, admin.post("/backends",
                "{\"name\":\"b\",\"flavor\":\"bedrock\",\"endpoint\":\"https://x\",\"models\":[\"m\"]}")).getString("param"));
        assertEquals("deployments[0].model", error(400, admin.post("/backends",
                "{\"name\":\"b\",\"flavor\":\"openai\",\"endpoint\":\"https://x\",\"deployments\":[{\"name\":\"d\"}]}"))
                .getString("param"));
        expect(201, admin.post("/backends", backendJson("renamed", "renamed-model")));
        assertEquals("name", error(400, admin.patch("/backends/renamed", "{\"name\":\"other\"}")).getString("param"));
        expect(204, admin.delete("/backends/renamed"));
    }

    @Test
    void fileBackendsAreReadOnlyAndDuplicatesConflict() {
        assertEquals("file", expect(200, admin.get("/backends/file")).getString("source"));
        for (var response : List.of(admin.post("/backends", backendJson("file", "x")),
                admin.patch("/backends/file", "{\"weight\":2}"), admin.delete("/backends/file"))) {
            assertEquals("defined_in_config_file", error(409, response).getString("code"));
        }
        expect(201, admin.post("/backends", backendJson("dup", "dup-model")));
        assertEquals("backend_exists", error(409, admin.post("/backends", backendJson("dup", "dup-model"))).getString("code"));
        expect(204, admin.delete("/backends/dup"));
        error(404, admin.delete("/backends/dup"));
        error(404, admin.patch("/backends/dup", "{\"weight\":2}"));
    }

    @Test
    void disableDrainAndEnableShowInStatus() {
        JsonObject disabled = expect(200, admin.post("/backends/file/disable", null));
        assertEquals("disabled", disabled.getJsonArray("deployments").getJsonObject(0).getString("operator_state"));
        assertEquals(503, gateway.post("/v1/chat/completions", TENANT_KEY, Json.chat("gpt-4o", false)).statusCode());
        JsonObject status = expect(200, admin.get("/status"));
        JsonObject deployment = status.getJsonArray("backends").getValuesAs(JsonObject.class).stream()
                .filter(b -> b.getString("name").equals("file")).findFirst().orElseThrow()
                .getJsonArray("deployments").getJsonObject(0);
        assertFalse(deployment.getBoolean("available"));
        assertEquals("disabled", deployment.getString("operator_state"));
        assertTrue(deployment.containsKey("circuit_state") && deployment.containsKey("in_flight")
                && deployment.containsKey("error_rate") && deployment.containsKey("cooldown_until"));

        assertEquals("draining", expect(200, admin.post("/backends/file/deployments/gpt-4o/drain", null))
                .getJsonArray("deployments").getJsonObject(0).getString("operator_state"));
        expect(200, admin.post("/backends/file/enable", null));
        assertEquals(200, gateway.post("/v1/chat/completions", TENANT_KEY, Json.chat("gpt-4o", false)).statusCode());
        error(404, admin.post("/backends/nobody/disable", null));
        error(404, admin.post("/backends/file/deployments/nope/disable", null));
        error(404, admin.get("/providers/no-such-model"));

        List<String> actions = expect(200, admin.get("/audit?limit=3")).getJsonArray("data")
                .getValuesAs(JsonObject.class).stream().map(a -> a.getString("action")).toList();
        assertEquals(List.of("enable", "drain", "disable"), actions);
    }
}

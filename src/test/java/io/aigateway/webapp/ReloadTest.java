package io.aigateway.webapp;

import io.aigateway.testing.AdminClient;
import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.TestDatabase;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static io.aigateway.testing.AdminClient.error;
import static io.aigateway.testing.AdminClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hot reload of the config file: a valid file takes effect, an invalid one is refused and the running config stays. */
class ReloadTest {
    static final String ADMIN_KEY = "admin-reload";
    static final String OLD_KEY = "sk-reload-old";
    static final String NEW_KEY = "sk-reload-new";

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

    private static String config(String tenants, String endpoint) {
        return """
            store: {url: "%s"}
            admin: {keys: ["%s"]}
            reload: {watch: true, poll_interval: 1s}
            tenants:
            %s
            backends:
              - {name: a, flavor: openai, endpoint: "%s", models: [gpt-4o]}
            """.formatted(db.url(), ADMIN_KEY, tenants, endpoint);
    }

    @Test
    void aValidFileTakesEffectAndAnInvalidOneIsRefusedWithItsFieldPath() throws Exception {
        String oldTenants = "  - {name: old, keys: [\"" + OLD_KEY + "\"], models: [\"*\"]}";
        String bothTenants = oldTenants + "\n  - {name: new, keys: [\"" + NEW_KEY + "\"], models: [\"*\"]}";
        try (GatewayServer gateway = GatewayServer.start(config(oldTenants, backend.url() + "/v1"))) {
            LiveConfig live = (LiveConfig)gateway.contextAttribute(LiveConfig.ATTRIBUTE);
            AdminClient admin = new AdminClient(gateway, ADMIN_KEY);
            assertEquals(401, gateway.post("/v1/chat/completions", NEW_KEY, Json.chat("gpt-4o", false)).statusCode());
            expect(200, admin.post("/backends/a/disable", null));
            assertFalse(live.checkFile(), "nothing changed");

            Files.writeString(gateway.configFile(), config(bothTenants, backend.url() + "/v1"));
            assertTrue(live.checkFile());
            assertTrue(live.lastReload().ok());
            assertEquals("file", live.lastReload().trigger());
            // Operator and health state outlive the swap: the backend is still disabled.
            assertEquals(503, gateway.post("/v1/chat/completions", NEW_KEY, Json.chat("gpt-4o", false)).statusCode());
            expect(200, admin.post("/backends/a/enable", null));
            assertEquals(200, gateway.post("/v1/chat/completions", NEW_KEY, Json.chat("gpt-4o", false)).statusCode());

            Files.writeString(gateway.configFile(), config(oldTenants, "ftp://nowhere"));
            assertTrue(live.checkFile());
            assertFalse(live.lastReload().ok());
            assertTrue(live.lastReload().error().contains("backends[0].endpoint"), live.lastReload().error());
            assertEquals(200, gateway.post("/v1/chat/completions", NEW_KEY, Json.chat("gpt-4o", false)).statusCode(),
                    "the running config stays");
            JsonObject reload = expect(200, admin.get("/status")).getJsonObject("config").getJsonObject("last_reload");
            assertFalse(reload.getBoolean("ok"));
            assertTrue(reload.getString("error").contains("backends[0].endpoint"));

            JsonObject refused = error(400, admin.post("/reload", null));
            assertTrue(refused.getString("message").contains("backends[0].endpoint"), refused.toString());

            Files.writeString(gateway.configFile(), config(oldTenants, backend.url() + "/v1"));
            assertEquals(true, expect(200, admin.post("/reload", null)).getBoolean("reloaded"));
            assertEquals(401, gateway.post("/v1/chat/completions", NEW_KEY, Json.chat("gpt-4o", false)).statusCode());
            assertTrue(expect(200, admin.get("/status")).getJsonObject("config").getJsonObject("last_reload").getBoolean("ok"));
        }
    }

    @Test
    void aNameInBothTheFileAndTheStoreIsRefusedNamingBothPlaces() throws Exception {
        String tenants = "  - {name: old, keys: [\"" + OLD_KEY + "\"], models: [\"*\"]}";
        try (GatewayServer gateway = GatewayServer.start(config(tenants, backend.url() + "/v1"))) {
            AdminClient admin = new AdminClient(gateway, ADMIN_KEY);
            expect(201, admin.post("/tenants", "{\"name\":\"clash\",\"models\":[\"*\"]}"));
            LiveConfig live = (LiveConfig)gateway.contextAttribute(LiveConfig.ATTRIBUTE);
            Files.writeString(gateway.configFile(), config(tenants
                    + "\n  - {name: clash, keys: [sk-clash], models: [\"*\"]}", backend.url() + "/v1"));
            assertTrue(live.checkFile());
            assertTrue(live.lastReload().error().contains("tenants[1].name: tenant 'clash' is defined both in the config"
                    + " file and in the store"), live.lastReload().error());
        }
        // At startup the same is an error: nothing starts half-configured.
        Exception failure = assertThrows(IllegalStateException.class, () -> GatewayServer.start(config(
                "  - {name: clash, keys: [sk-clash], models: [\"*\"]}", backend.url() + "/v1")));
        String message = causes(failure);
        assertTrue(message.contains("tenant 'clash' is defined both in the config file and in the store"), message);
    }

    private static String causes(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append(" / ");
        }
        return messages.toString();
    }
}

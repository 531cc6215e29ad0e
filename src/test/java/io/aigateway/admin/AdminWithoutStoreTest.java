package io.aigateway.admin;

import io.aigateway.testing.AdminClient;
import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import org.junit.jupiter.api.Test;

import static io.aigateway.testing.AdminClient.error;
import static io.aigateway.testing.AdminClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A WAR with no store: status and reload work, changes are refused; without admin keys there is no admin API. */
class AdminWithoutStoreTest {

    @Test
    void withoutAStoreChangesAre409AndStatusStillAnswers() {
        try (FakeBackend backend = FakeBackend.start("a"); GatewayServer gateway = GatewayServer.start("""
                admin: {keys: [admin-nostore]}
                tenants: [{name: t, keys: [sk-nostore], models: ["*"]}]
                backends: [{name: a, flavor: openai, endpoint: "%s/v1", models: [gpt-4o]}]
                """.formatted(backend.url()))) {
            AdminClient admin = new AdminClient(gateway, "admin-nostore");
            assertEquals("no_store", error(409, admin.post("/tenants", "{\"name\":\"x\",\"models\":[\"*\"]}")).getString("code"));
            assertEquals("no_store", error(409, admin.get("/requests")).getString("code"));
            assertEquals("no_store", error(409, admin.get("/audit")).getString("code"));
            assertTrue(expect(200, admin.get("/status")).getJsonObject("config").isNull("store"));
            assertEquals(1, expect(200, admin.get("/tenants")).getJsonArray("data").size());
            assertEquals(true, expect(200, admin.post("/reload", null)).getBoolean("reloaded"));
            expect(200, admin.post("/backends/a/drain", null));
        }
    }

    @Test
    void withoutAdminKeysTheAdminApiIsNotThere() {
        try (FakeBackend backend = FakeBackend.start("a"); GatewayServer gateway = GatewayServer.start("""
                tenants: [{name: t, keys: [sk-nokeys], models: ["*"]}]
                backends: [{name: a, flavor: openai, endpoint: "%s/v1", models: [gpt-4o]}]
                """.formatted(backend.url()))) {
            assertEquals("unknown_url", error(404, new AdminClient(gateway, "sk-nokeys").get("/status")).getString("code"));
            assertEquals("unknown_url", error(404, new AdminClient(gateway, null).get("/tenants")).getString("code"));
        }
    }
}

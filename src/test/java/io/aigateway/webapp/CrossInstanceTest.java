package io.aigateway.webapp;

import io.aigateway.testing.AdminClient;
import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import static io.aigateway.testing.AdminClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two gateway instances on one MariaDB database: what one changes through its admin API, the other serves after its
 * next poll of the config version, without a restart. The poll is triggered directly instead of waited for.
 */
class CrossInstanceTest {
    static final String ADMIN_KEY = "admin-cross";
    static final String MASTER_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    @Test
    void twoInstancesSeeEachOthersAdminChangesAfterAPoll() {
        try (TestDatabase db = TestDatabase.mariadb("cross_instance"); FakeBackend backend = FakeBackend.start("up")) {
            String yaml = """
                store: {url: "%s", master_key: "%s"}
                admin: {keys: ["%s"]}
                reload: {poll_interval: 1h}
                tenants: []
                backends:
                  - {name: file, flavor: openai, endpoint: "%s/v1", models: [gpt-4o]}
                """.formatted(db.url(), MASTER_KEY, ADMIN_KEY, backend.url());
            try (GatewayServer one = GatewayServer.start(yaml); GatewayServer two = GatewayServer.start(yaml)) {
                LiveConfig liveOne = (LiveConfig)one.contextAttribute(LiveConfig.ATTRIBUTE);
                LiveConfig liveTwo = (LiveConfig)two.contextAttribute(LiveConfig.ATTRIBUTE);

                String key = expect(201, new AdminClient(one, ADMIN_KEY).post("/tenants",
                        "{\"name\":\"shared\",\"models\":[\"*\"]}")).getJsonObject("key").getString("key");
                assertEquals(200, one.post("/v1/chat/completions", key, Json.chat("gpt-4o", false)).statusCode());
                assertEquals(401, two.post("/v1/chat/completions", key, Json.chat("gpt-4o", false)).statusCode(),
                        "not yet polled");
                assertTrue(liveTwo.pollStore());
                assertFalse(liveTwo.pollStore(), "nothing new");
                assertEquals(200, two.post("/v1/chat/completions", key, Json.chat("gpt-4o", false)).statusCode());

                // The other way round: a backend created on two, and a key revoked on two.
                expect(201, new AdminClient(two, ADMIN_KEY).post("/backends", """
                    {"name":"stored","flavor":"openai","endpoint":"%s/v1","keys":["sk-up"],"models":["llama-3"]}"""
                        .formatted(backend.url())));
                expect(204, new AdminClient(two, ADMIN_KEY).delete("/tenants/shared/keys/"
                        + expect(200, new AdminClient(two, ADMIN_KEY).get("/tenants/shared")).getJsonArray("keys")
                                .getJsonObject(0).getString("id")));
                expect(201, new AdminClient(two, ADMIN_KEY).post("/tenants/shared/keys", "{\"id\":\"next\"}"));
                assertEquals(200, one.post("/v1/chat/completions", key, Json.chat("gpt-4o", false)).statusCode(),
                        "not yet polled");
                liveOne.poll();
                assertEquals(401, one.post("/v1/chat/completions", key, Json.chat("gpt-4o", false)).statusCode());
                assertEquals(liveOne.storeVersion(), liveTwo.storeVersion());
                assertTrue(one.gateway().registry().publicModels().contains("llama-3"));
            }
        }
    }
}

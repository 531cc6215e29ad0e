package io.aigateway.admin;

import io.aigateway.testing.AdminClient;
import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.TestDatabase;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.aigateway.testing.AdminClient.error;
import static io.aigateway.testing.AdminClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tenants and keys through the admin API, on a gateway with an embedded store: every operation and error. */
class AdminTenantsTest {
    static final String ADMIN_KEY = "admin-tenants-key";
    static final String FILE_KEY = "sk-file-tenant";

    static FakeBackend backend;
    static TestDatabase db;
    static GatewayServer gateway;
    static AdminClient admin;

    @BeforeAll
    static void start() {
        backend = FakeBackend.start("openai");
        db = TestDatabase.h2();
        gateway = GatewayServer.start("""
            store: {url: "%s"}
            admin: {keys: [{key: %s, id: ops}]}
            tenants:
              - {name: file-team, keys: ["%s"], models: ["*"]}
            backends:
              - {name: openai, flavor: openai, endpoint: "%s/v1", models: [gpt-4o, gpt-4o-mini]}
            """.formatted(db.url(), ADMIN_KEY, FILE_KEY, backend.url()));
        admin = new AdminClient(gateway, ADMIN_KEY);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
        db.close();
    }

    @Test
    void tenantLifecycleFromCreationToDeletion() {
        JsonObject created = expect(201, admin.post("/tenants",
                "{\"name\":\"acme\",\"models\":[\"gpt-4o\"],\"limits\":{\"rpm\":60},\"key\":{\"id\":\"first\"}}"));
        assertEquals("store", created.getString("source"));
        JsonObject key = created.getJsonObject("key");
        assertEquals("first", key.getString("id"));
        String raw = key.getString("key");
        assertTrue(raw.startsWith(key.getString("prefix")));
        assertEquals(60, created.getJsonObject("limits").getInt("rpm"));

        // The key works at once, for the models the tenant may use only.
        assertEquals(200, gateway.post("/v1/chat/completions", raw, Json.chat("gpt-4o", false)).statusCode());
        assertEquals(403, gateway.post("/v1/chat/completions", raw, Json.chat("gpt-4o-mini", false)).statusCode());

        JsonObject shown = expect(200, admin.get("/tenants/acme"));
        assertFalse(shown.toString().contains(raw), "the key is shown once, at creation");
        assertEquals("first", shown.getJsonArray("keys").getJsonObject(0).getString("id"));
        List<String> names = expect(200, admin.get("/tenants")).getJsonArray("data").getValuesAs(JsonObject.class)
                .stream().map(t -> t.getString("name")).toList();
        assertEquals(List.of("file-team", "acme"), names);

        expect(200, admin.patch("/tenants/acme", "{\"models\":[\"*\"]}"));
        assertEquals(200, gateway.post("/v1/chat/completions", raw, Json.chat("gpt-4o-mini", false)).statusCode());

        JsonObject second = expect(201, admin.post("/tenants/acme/keys", "{\"id\":\"second\",\"limits\":{\"rpm\":5}}"));
        assertEquals(5, expect(200, admin.get("/tenants/acme")).getJsonArray("keys").getValuesAs(JsonObject.class)
                .stream().filter(k -> k.getString("id").equals("second")).findFirst().orElseThrow()
                .getJsonObject("limits").getInt("rpm"));
        String secondRaw = second.getString("key");
        assertEquals(200, gateway.post("/v1/chat/completions", secondRaw, Json.chat("gpt-4o", false)).statusCode());

        JsonObject rotated = expect(201, admin.post("/tenants/acme/keys/first/rotate", "{\"id\":\"third\"}"));
        assertEquals(401, gateway.post("/v1/chat/completions", raw, Json.chat("gpt-4o", false)).statusCode());
        assertEquals(200, gateway.post("/v1/chat/completions", rotated.getString("key"), Json.chat("gpt-4o", false)).statusCode());

        expect(204, admin.delete("/tenants/acme/keys/second"));
        assertEquals(401, gateway.post("/v1/chat/completions", secondRaw, Json.chat("gpt-4o", false)).statusCode());
        JsonObject revoked = expect(200, admin.get("/tenants/acme")).getJsonArray("keys").getValuesAs(JsonObject.class)
                .stream().filter(k -> k.getString("id").equals("second")).findFirst().orElseThrow();
        assertFalse(revoked.isNull("revoked"));

        expect(204, admin.delete("/tenants/acme"));
        error(404, admin.get("/tenants/acme"));
        assertEquals(401, gateway.post("/v1/chat/completions", rotated.getString("key"), Json.chat("gpt-4o", false)).statusCode());

        // Every change is audited by the admin key's id, without a key in sight.
        List<JsonObject> audit = expect(200, admin.get("/audit")).getJsonArray("data").getValuesAs(JsonObject.class);
        List<String> actions = audit.stream().filter(a -> a.getString("name").startsWith("acme"))
                .map(a -> a.getString("action")).toList();
        assertEquals(List.of("delete", "revoke_key", "create_key", "rotate_key", "create_key", "update", "create"), actions);
        assertTrue(audit.stream().allMatch(a -> a.getString("actor").equals("ops")));
        String auditText = audit.toString();
        for (String secret : List.of(raw, secondRaw, rotated.getString("key"))) {
            assertFalse(auditText.contains(secret));
        }
    }

    @Test
    void adminApiRefusesMissingWrongAndTenantKeys() {
        error(401, new AdminClient(gateway, null).get("/tenants"));
        error(401, new AdminClient(gateway, "not-a-key").get("/tenants"));
        JsonObject tenantKey = error(403, new AdminClient(gateway, FILE_KEY).get("/tenants"));
        assertEquals("tenant_key_not_admin", tenantKey.getString("code"));
    }

    @Test
    void invalidBodiesAre400WithTheFieldPath() {
        assertEquals("models[1]", error(400, admin.post("/tenants",
                "{\"name\":\"bad\",\"models\":[\"gpt-4o\",\"no-such-model\"]}")).getString("param"));
        assertEquals("name", error(400, admin.post("/tenants", "{\"models\":[\"gpt-4o\"]}")).getString("param"));
        assertEquals("colour", error(400, admin.post("/tenants",
                "{\"name\":\"bad\",\"models\":[\"*\"],\"colour\":\"red\"}")).getString("param"));
        assertEquals("models", error(400, admin.post("/tenants", "{\"name\":\"bad\",\"models\":[]}")).getString("param"));
        assertEquals("key.expires", error(400, admin.post("/tenants",
                "{\"name\":\"bad\",\"models\":[\"*\"],\"key\":{\"expires\":\"soon\"}}")).getString("param"));
        error(400, admin.post("/tenants", "{not json"));
        assertEquals("key.colour", error(400, admin.post("/tenants",
                "{\"name\":\"bad\",\"models\":[\"*\"],\"key\":{\"colour\":\"red\"}}")).getString("param"));
        assertEquals("key", error(400, admin.post("/tenants",
                "{\"name\":\"bad\",\"models\":[\"*\"],\"key\":\"sk-mine\"}")).getString("param"));
        expect(201, admin.post("/tenants", "{\"name\":\"ids\",\"models\":[\"*\"]}"));
        assertEquals("id", error(400, admin.post("/tenants/ids/keys", "{\"id\":\"has space\"}")).getString("param"));
        assertEquals("key.id", error(400, admin.post("/tenants",
                "{\"name\":\"bad\",\"models\":[\"*\"],\"key\":{\"id\":\"a/b\"}}")).getString("param"));
    }

    @Test
    void unknownTenantsAndKeysAre404() {
        error(404, admin.get("/tenants/nobody"));
        error(404, admin.patch("/tenants/nobody", "{\"models\":[\"*\"]}"));
        error(404, admin.delete("/tenants/nobody"));
        error(404, admin.post("/tenants/nobody/keys", "{}"));
        expect(201, admin.post("/tenants", "{\"name\":\"keyless\",\"models\":[\"*\"]}"));
        error(404, admin.delete("/tenants/keyless/keys/nope"));
        error(404, admin.get("/no-such-route"));
    }

    @Test
    void duplicatesAndFileTenantsAre409() {
        expect(201, admin.post("/tenants", "{\"name\":\"twice\",\"models\":[\"*\"]}"));
        assertEquals("tenant_exists", error(409, admin.post("/tenants", "{\"name\":\"twice\",\"models\":[\"*\"]}")).getString("code"));
        expect(201, admin.post("/tenants/twice/keys", "{\"id\":\"k\"}"));
        assertEquals("key_exists", error(409, admin.post("/tenants/twice/keys", "{\"id\":\"k\"}")).getString("code"));
        expect(204, admin.delete("/tenants/twice/keys/k"));
        assertEquals("key_revoked", error(409, admin.delete("/tenants/twice/keys/k")).getString("code"));

        for (var response : List.of(admin.post("/tenants", "{\"name\":\"file-team\",\"models\":[\"*\"]}"),
                admin.patch("/tenants/file-team", "{\"models\":[\"gpt-4o\"]}"), admin.delete("/tenants/file-team"),
                admin.post("/tenants/file-team/keys", "{}"))) {
            assertEquals("defined_in_config_file", error(409, response).getString("code"));
        }
        JsonObject file = expect(200, admin.get("/tenants/file-team"));
        assertEquals("file", file.getString("source"));
        assertEquals(JsonValue.ValueType.ARRAY, file.get("keys").getValueType());
    }
}

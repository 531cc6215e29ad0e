package io.aigateway.requestlog;

import io.aigateway.testing.AdminClient;
import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.Reply;
import io.aigateway.testing.TestClock;
import io.aigateway.testing.TestDatabase;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.aigateway.testing.AdminClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code request_log.capture_bodies}, on H2 and MariaDB: the request body and what the client got (the assembled
 * text of a stream) are stored, capped and redacted, for the tenants that capture, and nothing for the others.
 */
class BodyCaptureTest {
    static final String LOUD_KEY = "sk-capture-loud";
    static final String QUIET_KEY = "sk-capture-quiet";
    static final String PLAIN_KEY = "sk-capture-plain";
    static final String ADMIN_KEY = "admin-capture";
    static final String BACKEND_KEY = "backend-secret-7f3a9c21";
    static final String CANARY = "sk-canary0123456789abcdef";

    private FakeBackend backend;
    private TestDatabase db;
    private GatewayServer gateway;
    private final TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (backend != null) {
            backend.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private AdminClient start(TestDatabase.Kind kind, String requestLog, String name) {
        backend = FakeBackend.start("a");
        db = TestDatabase.create(kind, name);
        gateway = GatewayServer.start(config(requestLog), clock);
        return new AdminClient(gateway, ADMIN_KEY);
    }

    private String config(String requestLog) {
        return """
            store: {url: "%s"}
            admin: {keys: ["%s"]}
            request_log: %s
            reload: {watch: false}
            tenants:
              - {name: loud, keys: ["%s"], models: ["*"], capture_bodies: true}
              - {name: quiet, keys: ["%s"], models: ["*"], capture_bodies: false}
              - {name: plain, keys: ["%s"], models: ["*"]}
            backends:
              - {name: a, flavor: openai, endpoint: "%s/v1", keys: ["%s"], models: [gpt-4o]}
              - {name: b, flavor: openai, endpoint: "%s/v1", deployments: [{name: gpt-json, model: gpt-json, stream: false}]}
            """.formatted(db.url(), ADMIN_KEY, requestLog, LOUD_KEY, QUIET_KEY, PLAIN_KEY, backend.url(), BACKEND_KEY,
                backend.url());
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void capturesJsonStreamsCapsAndRedactsForTenantsThatCapture(TestDatabase.Kind kind) throws Exception {
        AdminClient admin = start(kind, "{capture_bodies: true, max_body_bytes: 2000}", "capture_on");

        // A JSON reply: the request as sent, the reply as the client got it.
        String chat = Json.chat("gpt-4o", false);
        assertEquals(200, gateway.post("/v1/chat/completions", PLAIN_KEY, chat).statusCode());
        JsonObject json = awaitRows(admin, "plain", 1).get(0);
        assertEquals(chat, json.getString("request_body"));
        assertEquals("hello from a", Json.parse(json.getString("response_body")).getJsonArray("choices")
            .getJsonObject(0).getJsonObject("message").getString("content"));
        assertFalse(json.getBoolean("bodies_truncated"));

        // A stream: the assembled text, for chat completions and for the Responses API.
        assertEquals(200, gateway.post("/v1/chat/completions", PLAIN_KEY, Json.chat("gpt-4o", true)).statusCode());
        JsonObject stream = awaitRows(admin, "plain", 2).get(0);
        assertTrue(stream.getBoolean("stream"));
        assertEquals("hello from a", stream.getString("response_body"));
        assertEquals(200, gateway.post("/v1/responses", PLAIN_KEY, Json.response("gpt-4o", true)).statusCode());
        assertEquals("hello from a", awaitRows(admin, "plain", 3).get(0).getString("response_body"));
        // A JSON reply turned into a stream for the client: the text of the stream the client got.
        assertEquals(200, gateway.post("/v1/chat/completions", LOUD_KEY, Json.chat("gpt-json", true)).statusCode());
        assertEquals("hello from a", awaitRows(admin, "loud", 1).get(0).getString("response_body"));

        // The cap: UTF-8 bytes, never a character cut in half, and marked.
        String longPrompt = "é".repeat(3000);
        String longChat = Json.object().add("model", "gpt-4o").add("messages", jakarta.json.Json.createArrayBuilder()
            .add(Json.object().add("role", "user").add("content", longPrompt))).build().toString();
        assertEquals(200, gateway.post("/v1/chat/completions", PLAIN_KEY, longChat).statusCode());
        JsonObject capped = awaitRows(admin, "plain", 4).get(0);
        String cappedBody = capped.getString("request_body");
        assertTrue(cappedBody.getBytes(StandardCharsets.UTF_8).length <= 2000, cappedBody);
        assertTrue(cappedBody.getBytes(StandardCharsets.UTF_8).length >= 1999, cappedBody);
        assertTrue(longChat.startsWith(cappedBody), cappedBody);
        assertTrue(capped.getBoolean("bodies_truncated"));
        // And of a reply: its first bytes as the client got them.
        String longReply = "{\"id\":\"c2\",\"object\":\"chat.completion\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
            + "\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\",\"content\":\"" + "x".repeat(5000) + "\"}}]}";
        backend.enqueue(Reply.json(200, longReply));
        assertEquals(200, gateway.post("/v1/chat/completions", PLAIN_KEY, chat).statusCode());
        JsonObject cappedReply = awaitRows(admin, "plain", 5).get(0);
        assertEquals(longReply.substring(0, 2000), cappedReply.getString("response_body"));
        assertTrue(cappedReply.getBoolean("bodies_truncated"));

        // Secrets in a prompt or a reply are masked: an sk- key and the backend's own key.
        String leaky = Json.object().add("model", "gpt-4o").add("messages", jakarta.json.Json.createArrayBuilder()
            .add(Json.object().add("role", "user").add("content", "mine is " + CANARY + " and " + BACKEND_KEY)))
            .build().toString();
        backend.enqueue(Reply.json(200, """
            {"id":"c1","object":"chat.completion","model":"gpt-4o","choices":[{"index":0,"finish_reason":"stop",
             "message":{"role":"assistant","content":"yours is %s"}}]}""".formatted(BACKEND_KEY)));
        assertEquals(200, gateway.post("/v1/chat/completions", LOUD_KEY, leaky).statusCode());
        JsonObject redacted = awaitRows(admin, "loud", 2).get(0);
        assertFalse(redacted.getString("request_body").contains(CANARY), redacted.toString());
        assertFalse(redacted.getString("request_body").contains(BACKEND_KEY), redacted.toString());
        assertTrue(redacted.getString("request_body").contains("[REDACTED]"), redacted.toString());
        assertFalse(redacted.getString("response_body").contains(BACKEND_KEY), redacted.toString());
        assertTrue(redacted.getString("response_body").contains("yours is [REDACTED]"), redacted.toString());

        // capture_bodies: false of the tenant wins over the global true.
        assertEquals(200, gateway.post("/v1/chat/completions", QUIET_KEY, chat).statusCode());
        assertEquals(200, gateway.post("/v1/chat/completions", QUIET_KEY, Json.chat("gpt-4o", true)).statusCode());
        for (JsonObject row : awaitRows(admin, "quiet", 2)) {
            assertFalse(row.containsKey("request_body"), row.toString());
            assertFalse(row.containsKey("response_body"), row.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void offByDefaultUnlessTheTenantCaptures(TestDatabase.Kind kind) throws Exception {
        AdminClient admin = start(kind, "{retention_days: 30}", "capture_off");

        assertEquals(200, gateway.post("/v1/chat/completions", PLAIN_KEY, Json.chat("gpt-4o", false)).statusCode());
        assertEquals(200, gateway.post("/v1/chat/completions", PLAIN_KEY, Json.chat("gpt-4o", true)).statusCode());
        for (JsonObject row : awaitRows(admin, "plain", 2)) {
            assertFalse(row.containsKey("request_body"), row.toString());
            assertFalse(row.containsKey("response_body"), row.toString());
        }

        // A tenant's own capture_bodies: true turns it on for that tenant alone, with the default cap.
        assertEquals(200, gateway.post("/v1/chat/completions", LOUD_KEY, Json.chat("gpt-4o", true)).statusCode());
        JsonObject loud = awaitRows(admin, "loud", 1).get(0);
        assertEquals(Json.chat("gpt-4o", true), loud.getString("request_body"));
        assertEquals("hello from a", loud.getString("response_body"));
        assertFalse(loud.getBoolean("bodies_truncated"));

        // capture_bodies and max_body_bytes follow a reload of the file.
        java.nio.file.Files.writeString(gateway.configFile(), config("{capture_bodies: true, max_body_bytes: 10}"));
        assertTrue(expect(200, admin.post("/reload", null)).getBoolean("reloaded"));
        assertEquals(200, gateway.post("/v1/chat/completions", PLAIN_KEY, Json.chat("gpt-4o", true)).statusCode());
        JsonObject reloaded = awaitRows(admin, "plain", 3).get(0);
        assertEquals(Json.chat("gpt-4o", true).substring(0, 10), reloaded.getString("request_body"));
        assertEquals("hello from", reloaded.getString("response_body"));
        assertTrue(reloaded.getBoolean("bodies_truncated"));
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aTenantOfTheAdminApiCapturesWhenItsCaptureBodiesSaysSo(TestDatabase.Kind kind) throws Exception {
        AdminClient admin = start(kind, "{retention_days: 30}", "capture_admin");

        JsonObject wrong = AdminClient.error(400, admin.post("/tenants",
            "{\"name\":\"acme\",\"models\":[\"*\"],\"capture_bodies\":\"yes\"}"));
        assertEquals("capture_bodies", wrong.getString("param"));
        AdminClient.error(404, admin.get("/tenants/acme"));

        JsonObject created = expect(201, admin.post("/tenants",
            "{\"name\":\"acme\",\"models\":[\"*\"],\"capture_bodies\":true}"));
        assertTrue(created.getBoolean("capture_bodies"));
        String key = created.getJsonObject("key").getString("key");
        assertEquals(200, gateway.post("/v1/chat/completions", key, Json.chat("gpt-4o", false)).statusCode());
        JsonObject captured = awaitRows(admin, "acme", 1).get(0);
        assertEquals(Json.chat("gpt-4o", false), captured.getString("request_body"));

        // A patch turns it off without a restart; the file's tenants show their own setting.
        assertFalse(expect(200, admin.patch("/tenants/acme", "{\"capture_bodies\":false}")).getBoolean("capture_bodies"));
        assertEquals(200, gateway.post("/v1/chat/completions", key, Json.chat("gpt-4o", false)).statusCode());
        assertFalse(awaitRows(admin, "acme", 2).get(0).containsKey("request_body"));
        assertTrue(expect(200, admin.get("/tenants/loud")).getBoolean("capture_bodies"));
        assertTrue(expect(200, admin.get("/tenants/plain")).isNull("capture_bodies"));
    }

    private static List<JsonObject> rows(AdminClient admin, String tenant) {
        return expect(200, admin.get("/requests?tenant=" + tenant)).getJsonArray("data").getValuesAs(JsonObject.class);
    }

    /** The tenant's rows once there are {@code count} (the writer is asynchronous), newest first. */
    private static List<JsonObject> awaitRows(AdminClient admin, String tenant, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<JsonObject> last = rows(admin, tenant);
        while (last.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + count + " rows of " + tenant + "; last: " + last);
            }
            Thread.sleep(20);
            last = rows(admin, tenant);
        }
        return last;
    }
}

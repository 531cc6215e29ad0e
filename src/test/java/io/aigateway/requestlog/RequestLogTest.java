package io.aigateway.requestlog;

import io.aigateway.testing.AdminClient;
import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.Reply;
import io.aigateway.testing.StreamGate;
import io.aigateway.testing.TestClock;
import io.aigateway.testing.TestDatabase;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

import static io.aigateway.testing.AdminClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One row per request in the store, on H2 and MariaDB: success, failover, stream, cancel; queried and purged. */
class RequestLogTest {
    static final String KEY = "sk-request-log";
    static final String ADMIN_KEY = "admin-request-log";

    private FakeBackend a;
    private FakeBackend b;
    private TestDatabase db;
    private GatewayServer gateway;
    private final TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        a.close();
        b.close();
        db.close();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void rowsForSuccessFailoverStreamAndCancel(TestDatabase.Kind kind) throws Exception {
        a = FakeBackend.start("a");
        b = FakeBackend.start("b");
        db = TestDatabase.create(kind, "request_log");
        gateway = GatewayServer.start("""
            store: {url: "%s"}
            admin: {keys: ["%s"]}
            request_log: {retention_days: 30}
            tenants: [{name: team, keys: [{key: "%s", id: main}], models: ["*"]}]
            backends:
              - {name: a, flavor: openai, endpoint: "%s/v1", models: [gpt-4o], priority: 0}
              - {name: b, flavor: openai, endpoint: "%s/v1", models: [gpt-4o], priority: 1}
            """.formatted(db.url(), ADMIN_KEY, KEY, a.url(), b.url()), clock);
        AdminClient admin = new AdminClient(gateway, ADMIN_KEY);

        assertEquals(200, gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false)).statusCode());
        JsonObject success = awaitRows(admin, 1).get(0);
        assertEquals("team", success.getString("tenant"));
        assertEquals("main", success.getString("key_id"));
        assertEquals("127.0.0.1", success.getString("client_ip"));
        assertEquals("/v1/chat/completions", success.getString("endpoint"));
        assertEquals("gpt-4o", success.getString("model"));
        assertEquals("a", success.getString("backend"));
        assertEquals("a/gpt-4o", success.getString("deployment"));
        assertEquals(200, success.getInt("status"));
        assertEquals(1, success.getInt("attempts"));
        assertFalse(success.getBoolean("stream"));
        assertFalse(success.getBoolean("cancelled"));
        assertEquals("2026-03-01T10:00:00Z", success.getString("time"));
        assertFalse(success.getString("request_id").isBlank());
        // The fake backend reports 5 prompt and 3 completion tokens.
        assertEquals(5, success.getInt("prompt_tokens"));
        assertEquals(3, success.getInt("completion_tokens"));
        assertFalse(success.getBoolean("tokens_estimated"));

        a.enqueue(Reply.error(503, "server_error", null, "blip"));
        assertEquals(200, gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false)).statusCode());
        JsonObject failover = awaitRows(admin, 2).get(0);
        assertEquals("b", failover.getString("backend"));
        assertEquals(2, failover.getInt("attempts"));
        assertEquals("SERVER_ERROR", failover.getString("failures"));

        assertEquals(200, gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", true)).statusCode());
        JsonObject stream = awaitRows(admin, 3).get(0);
        assertTrue(stream.getBoolean("stream"));
        assertFalse(stream.isNull("first_byte_ms"));

        cancelAStream();
        JsonObject cancelled = awaitRows(admin, 4).get(0);
        assertTrue(cancelled.getBoolean("cancelled"));

        // Filters and paging: a cursor walks the pages newest first.
        assertEquals(List.of("b"), rows(admin, "?backend=b").stream().map(r -> r.getString("backend")).toList());
        JsonObject page = expect(200, admin.get("/requests?limit=3"));
        assertEquals(3, page.getJsonArray("data").size());
        JsonObject rest = expect(200, admin.get("/requests?limit=3&cursor=" + page.getString("next_cursor")));
        assertEquals(1, rest.getJsonArray("data").size());
        assertTrue(rest.isNull("next_cursor"));
        assertEquals(0, rows(admin, "?tenant=nobody").size());

        JsonObject stats = expect(200, admin.get("/stats?group_by=backend&from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z"));
        JsonObject ofA = stats.getJsonArray("data").getValuesAs(JsonObject.class).stream()
                .filter(s -> s.getString("backend").equals("a")).findFirst().orElseThrow();
        assertEquals(3, ofA.getInt("requests"));
        assertEquals("invalid_field", AdminClient.error(400, admin.get("/stats?group_by=colour")).getString("code"));
        assertEquals("from", AdminClient.error(400, admin.get("/requests?from=yesterday")).getString("param"));

        // Retention: rows older than retention_days go.
        RequestLog log = (RequestLog)gateway.contextAttribute(RequestLog.class.getName());
        clock.advance(Duration.ofDays(29));
        assertEquals(0, log.purge());
        clock.advance(Duration.ofDays(2));
        assertEquals(4, log.purge());
        assertEquals(0, rows(admin, "").size());

        String metrics = gateway.get("/metrics", null).body();
        assertTrue(metrics.contains("aigateway_request_log_dropped_total 0.0"), metrics);
        assertTrue(metrics.contains("aigateway_request_log_queue_depth 0.0"), metrics);
        assertTrue(metrics.contains("aigateway_request_line_dropped_total 0.0"), metrics);
    }

    /** A client that reads the first chunk of a stream and goes away. */
    private void cancelAStream() throws Exception {
        StreamGate gate = new StreamGate();
        gate.release(0);
        a.enqueue(Reply.defaultReply().gatedBy(gate));
        String body = Json.chat("gpt-4o", true);
        try (Socket client = new Socket(gateway.url().getHost(), gateway.url().getPort())) {
            client.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer "
                + KEY + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8));
            InputStream in = client.getInputStream();
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("hello")) {
                int c = in.read();
                assertTrue(c >= 0, "stream ended early: " + seen);
                seen.append((char)c);
            }
        }
        gate.releaseAll();
    }

    private static List<JsonObject> rows(AdminClient admin, String query) {
        return expect(200, admin.get("/requests" + query)).getJsonArray("data").getValuesAs(JsonObject.class);
    }

    /** The rows once there are {@code count} (the writer is asynchronous), newest first. */
    private static List<JsonObject> awaitRows(AdminClient admin, int count) throws InterruptedException {
        return await(() -> rows(admin, ""), list -> list.size() >= count, "request log rows: " + count);
    }

    private static <T> T await(java.util.function.Supplier<T> value, Predicate<T> done, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        T last = value.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; last: " + last);
            }
            Thread.sleep(20);
            last = value.get();
        }
        return last;
    }
}

package io.aigateway.security;

import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.RecordedRequest;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.aigateway.security.OpenAiErrorShape.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Request bodies a client should not send: each is refused with a 400/413 in OpenAI's shape before anything goes
 * upstream, or, when the gateway has no business judging it, reaches the backend byte for byte.
 */
class HostileBodyTest {
    static final String KEY = "sk-hostile-body";
    static final int LIMIT = 1024 * 1024;

    static FakeBackend backend;
    static GatewayServer gateway;

    @BeforeAll
    static void start() {
        backend = FakeBackend.start("oai");
        gateway = GatewayServer.start("""
            server: {max_request_bytes: %d}
            tenants:
              - {name: team, keys: ["%s"], models: ["*"]}
            backends:
              - {name: oai, flavor: openai, endpoint: "%s/v1", keys: [sk-backend], models: [gpt-4o]}
            """.formatted(LIMIT, KEY, backend.url()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
    }

    @BeforeEach
    void clear() {
        backend.clearRequests();
    }

    private static HttpResponse<String> postBytes(byte[] body) {
        return gateway.send(gateway.request("/v1/chat/completions", KEY).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private static void assertNothingUpstream() {
        assertEquals(0, backend.requestCount(), () -> "the backend received " + backend.requests());
    }

    /** The body reached the backend exactly as the client sent it. */
    private static void assertRelayedIntact(HttpResponse<String> response, String body) {
        assertEquals(200, response.statusCode(), response.body());
        RecordedRequest seen = backend.takeRequest();
        assertEquals("/v1/chat/completions", seen.path());
        assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), seen.body(), "body changed on the way");
        assertEquals(1, backend.requestCount());
    }

    @Test
    void bodyThatIsNotJsonIs400InvalidJson() {
        assertError(gateway.post("/v1/chat/completions", KEY, "model=gpt-4o&messages=hi"), 400, "invalid_json");
        assertError(gateway.post("/v1/chat/completions", KEY, "<xml/>"), 400, "invalid_json");
        assertNothingUpstream();
    }

    @Test
    void jsonArrayIs400InvalidJson() {
        assertError(gateway.post("/v1/chat/completions", KEY, "[{\"model\":\"gpt-4o\"}]"), 400, "invalid_json");
        assertError(gateway.post("/v1/chat/completions", KEY, "\"gpt-4o\""), 400, "invalid_json");
        assertNothingUpstream();
    }

    @Test
    void trailingContentAfterTheObjectIs400() {
        assertError(gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false) + "{\"model\":\"x\"}"), 400, "invalid_json");
        assertNothingUpstream();
    }

    /**
     * 10,000 levels inside a field: the parser's depth limit turns it into a 400, quickly, on a bounded stack (no
     * StackOverflowError, no 500, no hang).
     */
    @Test
    void deeplyNestedJsonIs400NotAStackOverflow() {
        String deep = "{\"model\":\"gpt-4o\",\"messages\":[],\"metadata\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        String deepObjects = "{\"model\":\"gpt-4o\",\"metadata\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000) + "}";
        HttpResponse<String> arrays = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> gateway.post("/v1/chat/completions", KEY, deep));
        assertError(arrays, 400, "invalid_json");
        HttpResponse<String> objects = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> gateway.post("/v1/chat/completions", KEY, deepObjects));
        assertError(objects, 400, "invalid_json");
        assertNothingUpstream();
    }

    @Test
    void hugeStringWithinTheLimitPassesThroughIntact() {
        StringBuilder huge = new StringBuilder(900_000);
        for (int i = 0; huge.length() < 900_000; i++)
            huge.append("line ").append(i).append(" caf\u00e9 \\n \\u00e9 \\\" ");
        String body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + huge + "\"}]}";
        assertTrue(body.getBytes(StandardCharsets.UTF_8).length < LIMIT);
        assertRelayedIntact(gateway.post("/v1/chat/completions", KEY, body), body);
    }

    @Test
    void modelOfTheWrongTypeIs400InvalidValue() {
        for (String model : new String[]{"42", "{\"name\":\"gpt-4o\"}", "null", "[\"gpt-4o\"]", "true"}) {
            JsonObject error = assertError(gateway.post("/v1/chat/completions", KEY, "{\"model\":" + model + ",\"messages\":[]}"),
                400, "invalid_value");
            assertEquals("model", error.getString("param"), model);
        }
        assertNothingUpstream();
    }

    @Test
    void streamAsAStringIs400InvalidValue() {
        for (String stream : new String[]{"\"true\"", "1", "{}"}) {
            JsonObject error = assertError(gateway.post("/v1/chat/completions", KEY, "{\"model\":\"gpt-4o\",\"stream\":" + stream + "}"),
                400, "invalid_value");
            assertEquals("stream", error.getString("param"));
        }
        assertNothingUpstream();
    }

    /** The gateway does not validate {@code messages}: whatever it holds is the backend's to judge, and arrives unchanged. */
    @Test
    void messagesOfAnyShapePassThroughUnchanged() {
        for (String messages : new String[]{"\"hello\"", "42", "null", "{\"role\":\"user\"}", "[1,[2,{\"x\":null}],\"\\u0000\"]"}) {
            String body = "{ \"messages\" : " + messages + " , \"model\":\"gpt-4o\" }";
            assertRelayedIntact(gateway.post("/v1/chat/completions", KEY, body), body);
            backend.clearRequests();
        }
    }

    @Test
    void duplicateModelKeysAre400() {
        JsonObject error = assertError(gateway.post("/v1/chat/completions", KEY, "{\"model\":\"gpt-4o\",\"messages\":[],\"model\":\"other\"}"),
            400, "invalid_value");
        assertEquals("model", error.getString("param"));
        // The same key spelled with an escape is still the same key.
        assertError(gateway.post("/v1/chat/completions", KEY, "{\"model\":\"gpt-4o\",\"mod\\u0065l\":\"other\"}"), 400, "invalid_value");
        assertError(gateway.post("/v1/chat/completions", KEY, "{\"model\":\"gpt-4o\",\"stream\":false,\"stream\":true}"), 400, "invalid_value");
        assertNothingUpstream();
    }

    @Test
    void invalidUtf8Is400() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"".getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(new byte[]{(byte)0xC3, (byte)0x28, (byte)0xFF, (byte)0xED, (byte)0xA0, (byte)0x80}); // bad sequence, 0xFF, a surrogate
        body.writeBytes("\"}]}".getBytes(StandardCharsets.US_ASCII));
        assertError(postBytes(body.toByteArray()), 400, "invalid_json");
        // An overlong encoding of '"' must not close the string early either.
        assertError(postBytes(new byte[]{'{', '"', 'm', 'o', 'd', 'e', 'l', '"', ':', '"', 'g', (byte)0xC0, (byte)0xA2, '"', '}'}),
            400, "invalid_json");
        assertNothingUpstream();
    }

    /**
     * A chunked body is refused as soon as it crosses {@code server.max_request_bytes}: the 413 arrives while the
     * client is still sending, and the connection is closed, so the rest is never read.
     */
    @Test
    void chunkedBodyOverTheLimitIs413AsSoonAsTheLimitIsCrossed() {
        try (RawHttp http = RawHttp.connect(gateway.url())) {
            http.write(RawHttp.head("POST", "/v1/chat/completions", "Authorization: Bearer " + KEY,
                "Content-Type: application/json", "Transfer-Encoding: chunked"));
            http.write(chunk("{\"model\":\"gpt-4o\",\"input\":\""));
            String piece = "x".repeat(64 * 1024);
            for (int sent = 0; sent <= LIMIT; sent += piece.length())
                http.write(chunk(piece));
            // No last chunk: the body never ends. The gateway must answer anyway.
            RawHttp.Response response = http.read();
            assertError(response, 413, "request_too_large");
            assertTrue(http.closedWithin(Duration.ofSeconds(5)), "the connection stays open after the 413");
            assertEquals("close", response.header("connection"), "the 413 does not say the connection closes");
        }
        assertNothingUpstream();
    }

    private static String chunk(String data) {
        return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + data + "\r\n";
    }

    @Test
    void contentLengthOverTheLimitIs413BeforeReading() {
        try (RawHttp http = RawHttp.connect(gateway.url())) {
            http.write(RawHttp.head("POST", "/v1/chat/completions", "Authorization: Bearer " + KEY,
                "Content-Type: application/json", "Content-Length: " + (LIMIT + 1)));
            RawHttp.Response response = http.read();
            assertError(response, 413, "request_too_large");
            assertTrue(http.closedWithin(Duration.ofSeconds(5)), "the connection stays open after the 413");
            assertEquals("close", response.header("connection"), "the 413 does not say the connection closes");
        }
        assertNothingUpstream();
    }

    /**
     * {@code Content-Length} promises more than is sent: the gateway waits for the rest until the connection's idle
     * timeout, then ends the exchange without contacting the backend, and the connection is closed. The container's
     * idle timeout is the only bound (the gateway's async context has none), so the test sets a short one.
     */
    @Test
    void contentLengthLargerThanTheBodyEndsAtTheIdleTimeout() {
        RawHttp.Response response = sendShortBody(Duration.ofSeconds(2), http -> {
            assertTrue(http.closedWithin(Duration.ofSeconds(5)), "the connection stays open after the timeout");
        });
        assertTrue(response == null || response.status() == 200 || response.status() == 408, () -> String.valueOf(response));
        assertNothingUpstream();
    }

    /**
     * What the client should get when its body stops short: a 408 in OpenAI's shape. Today it gets a 200 with an
     * empty body, because GatewayServlet's BodyReader callback treats every read failure, the idle timeout included,
     * as a client that went away and completes the response untouched.
     */
    @Test
    void contentLengthLargerThanTheBodyIsAnswered408() {
        RawHttp.Response response = sendShortBody(Duration.ofSeconds(2), http -> {
        });
        assertNotNull(response, "no response before the connection closed");
        assertError(response, 408, null);
        assertNothingUpstream();
    }

    /** Sends a body 100 bytes shorter than its Content-Length; returns the response (null if the connection just closed). */
    private static RawHttp.Response sendShortBody(Duration idleTimeout, java.util.function.Consumer<RawHttp> after) {
        GatewayConnector.idleTimeout(gateway, idleTimeout);
        try (RawHttp http = RawHttp.connect(gateway.url())) {
            String body = Json.chat("gpt-4o", false);
            http.write(RawHttp.head("POST", "/v1/chat/completions", "Authorization: Bearer " + KEY,
                "Content-Type: application/json", "Content-Length: " + (body.length() + 100)) + body);
            http.timeout(idleTimeout.multipliedBy(4));
            long start = System.nanoTime();
            RawHttp.Response response = assertTimeoutPreemptively(idleTimeout.multipliedBy(5), http::readOrNull);
            assertTrue(System.nanoTime() - start >= idleTimeout.toNanos() / 2, "answered before the idle timeout: " + response);
            after.accept(http);
            return response;
        } finally {
            GatewayConnector.idleTimeout(gateway, Duration.ofSeconds(30));
        }
    }

    /**
     * {@code Content-Length} promises less than is sent: the body is cut where the client said, and the bytes after it
     * are a request of their own, which must authenticate by itself: the smuggled payload never reaches the backend.
     */
    @Test
    void bytesAfterContentLengthAreANewRequestThatMustAuthenticate() {
        String first = Json.chat("gpt-4o", false);
        String smuggled = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: 36\r\n\r\n{\"model\":\"gpt-4o\",\"smuggled\":true}";
        try (RawHttp http = RawHttp.connect(gateway.url())) {
            http.write(RawHttp.head("POST", "/v1/chat/completions", "Authorization: Bearer " + KEY,
                "Content-Type: application/json", "Content-Length: " + first.length()) + first + smuggled);
            assertEquals(200, http.read().status());
            assertError(http.read(), 401, "invalid_api_key");
        }
        RecordedRequest seen = backend.takeRequest();
        assertEquals(first, seen.bodyText());
        assertEquals(1, backend.requestCount(), () -> "smuggled: " + backend.requests());
    }

    /** Garbage after the declared length is not a request at all: Jetty answers 400 and closes; nothing goes upstream twice. */
    @Test
    void garbageAfterContentLengthNeverReachesTheBackend() {
        String first = Json.chat("gpt-4o", false);
        try (RawHttp http = RawHttp.connect(gateway.url())) {
            http.write(RawHttp.head("POST", "/v1/chat/completions", "Authorization: Bearer " + KEY,
                "Content-Type: application/json", "Content-Length: " + first.length()) + first + "{\"model\":\"gpt-4o\",\"smuggled\":true}\r\n\r\n");
            assertEquals(200, http.read().status());
            RawHttp.Response second = http.read();
            assertEquals(400, second.status(), second::toString);
            assertTrue(http.closedWithin(Duration.ofSeconds(5)));
        }
        assertEquals(first, backend.takeRequest().bodyText());
        assertEquals(1, backend.requestCount(), () -> "smuggled: " + backend.requests());
    }

    /** Both framings at once is the classic smuggling vector: refused outright. */
    @Test
    void contentLengthWithTransferEncodingIs400() {
        String body = Json.chat("gpt-4o", false);
        RawHttp.Response response = RawHttp.exchange(gateway.url(), RawHttp.head("POST", "/v1/chat/completions",
            "Authorization: Bearer " + KEY, "Content-Type: application/json", "Content-Length: 4", "Transfer-Encoding: chunked")
            + chunk(body) + "0\r\n\r\n");
        assertEquals(400, response.status(), response::toString);
        assertNothingUpstream();
    }
}

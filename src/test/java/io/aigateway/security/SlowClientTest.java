package io.aigateway.security;

import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that send slowly or stop sending. Jetty parses headers and the gateway reads bodies without holding a
 * thread, so stalled connections cost a socket each, not a thread; the connector's idle timeout ends them. The test
 * gateway's idle timeout is shortened (only for connections opened by the test that needs it) so that the suite
 * stays fast.
 */
class SlowClientTest {
    static final String KEY = "sk-slow-client";
    static final Duration IDLE = Duration.ofSeconds(2);
    static final int SLOW_CONNECTIONS = 50;

    static FakeBackend backend;
    static GatewayServer gateway;
    final List<RawHttp> slow = new ArrayList<>();

    @BeforeAll
    static void start() {
        backend = FakeBackend.start("oai");
        gateway = GatewayServer.start("""
            tenants:
              - {name: team, keys: ["%s"], models: ["*"]}
            backends:
              - {name: oai, flavor: openai, endpoint: "%s/v1", keys: [sk-backend], models: [gpt-4o]}
            """.formatted(KEY, backend.url()));
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

    @AfterEach
    void closeSlowConnections() {
        slow.forEach(RawHttp::close);
        slow.clear();
        GatewayConnector.idleTimeout(gateway, Duration.ofSeconds(30));
    }

    /** Opens a connection that sends the first byte of a request line and then nothing. */
    private RawHttp stalledInHeaders() {
        RawHttp http = RawHttp.connect(gateway.url());
        slow.add(http);
        http.write("P");
        return http;
    }

    /** Opens a connection that sends its headers and one byte of a 1,000-byte body, then nothing. */
    private RawHttp stalledInBody() {
        RawHttp http = RawHttp.connect(gateway.url());
        slow.add(http);
        http.write(RawHttp.head("POST", "/v1/chat/completions", "Authorization: Bearer " + KEY,
            "Content-Type: application/json", "Content-Length: 1000") + "{");
        return http;
    }

    @Test
    void connectionStalledInItsHeadersIsClosedAtTheIdleTimeout() {
        GatewayConnector.idleTimeout(gateway, IDLE);
        RawHttp http = stalledInHeaders();
        long start = System.nanoTime();
        assertTrue(http.closedWithin(IDLE.multipliedBy(4)), "a stalled connection was kept open");
        assertTrue(System.nanoTime() - start >= IDLE.toNanos() / 2, "closed before the idle timeout");
        assertEquals(0, backend.requestCount());
    }

    @Test
    void connectionStalledInItsBodyIsClosedAtTheIdleTimeoutWithoutReachingTheBackend() {
        GatewayConnector.idleTimeout(gateway, IDLE);
        RawHttp http = stalledInBody();
        assertTrue(http.closedWithin(IDLE.multipliedBy(4)), "a stalled body was waited for beyond the idle timeout");
        assertEquals(0, backend.requestCount());
    }

    /**
     * The idle timeout bounds the client's silence only: a request waiting for a slow backend (no I/O on the client
     * connection) outlives it. So a launcher can keep it short without cutting long generations.
     */
    @Test
    void slowBackendIsNotCutOffByTheClientIdleTimeout() {
        GatewayConnector.idleTimeout(gateway, Duration.ofSeconds(1));
        Reply.Hang hang = Reply.hang();
        backend.enqueue(hang);
        CompletableFuture.runAsync(() -> {
            hang.awaitHeld();
            CompletableFuture.delayedExecutor(3, TimeUnit.SECONDS).execute(hang::release);
        });
        try (RawHttp http = RawHttp.connect(gateway.url())) {
            http.write(RawHttp.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false)));
            assertEquals(200, http.read().status());
        }
    }

    /** Stalled connections, in headers and in bodies, do not starve real traffic. */
    @Test
    void realTrafficIsServedWhileSlowConnectionsAreOpen() {
        for (int i = 0; i < SLOW_CONNECTIONS; i++) {
            stalledInHeaders();
            stalledInBody();
        }
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                requests.add(gateway.client().sendAsync(gateway.request("/v1/chat/completions", KEY)
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Json.chat("gpt-4o", i % 2 == 0))).build(),
                    HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> request : requests)
                assertEquals(200, request.get(10, TimeUnit.SECONDS).statusCode());
        });
        // The stalled bodies never became upstream requests.
        assertEquals(40, backend.requestCount());
    }
}

package io.aigateway.limits;

import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.LogCapture;
import io.aigateway.testing.RedisAvailable;
import io.aigateway.testing.TcpProxy;
import io.aigateway.testing.TestClock;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis goes away and comes back (the real server keeps running; a forwarder the test controls is cut and
 * restored on the same port): the configured failure mode holds while it is away, then the limits are shared
 * again, and the gateway says so in its log and its metrics. {@link RedisClusterLimitsTest} covers the failure
 * modes alone. Mandatory in CI.
 */
class RedisOutageRecoveryTest {
    /** This class's own Redis database, emptied before each test. */
    static final int DB = 14;
    static final String KEY = "sk-redis-recovery";

    private final TestClock clock = new TestClock(Instant.parse("2026-03-01T12:00:00Z"));
    private FakeBackend backend;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        RedisAvailable.require(DB);
        backend = FakeBackend.start("openai");
    }

    @AfterEach
    void stop() {
        if (backend != null)
            backend.close();
    }

    private GatewayServer gateway(int redisPort, String onFailure, String name) {
        return GatewayServer.start("""
            tenants: [{name: team, keys: ["%s"], models: ["*"], limits: {rpm: 10}}]
            backends: [{name: oai, flavor: openai, endpoint: "%s/v1", models: [gpt-4o]}]
            limits:
              store: redis
              redis: {url: "redis://%s:%d/%d"}
              on_store_failure: %s
              state_file: "%s"
            """.formatted(KEY, backend.url(), RedisAvailable.HOST, redisPort, DB, onFailure,
            dir.resolve("quota-" + name + ".json")), clock);
    }

    private static int chat(GatewayServer gateway) {
        return gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false)).statusCode();
    }

    private static String metrics(GatewayServer gateway) {
        return gateway.get("/metrics", null).body();
    }

    private static boolean has(String metrics, String regex) {
        return Pattern.compile("(?m)^" + regex).matcher(metrics).find();
    }

    /** Sends until one is not 503 (the client reconnects on its own, lazily): bounded, for an asynchronous event. */
    private static int firstAnswerAfterRecovery(GatewayServer gateway) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int status;
        while ((status = chat(gateway)) == 503 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return status;
    }

    @Test
    void failClosedWhileAwayThenSharedAgainOnReturn() throws Exception {
        TcpProxy redis = TcpProxy.start(RedisAvailable.HOST, RedisAvailable.PORT);
        int port = redis.port();
        try (LogCapture log = LogCapture.start(Level.WARN);
             GatewayServer proxied = gateway(port, "fail-closed", "proxied");
             GatewayServer direct = gateway(RedisAvailable.PORT, "fail-closed", "direct")) {
            assertEquals(200, chat(proxied));
            assertTrue(has(metrics(proxied), "aigateway_limit_store_up 1"));

            redis.close();
            HttpResponse<String> refused = proxied.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false));
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("limit_store_unavailable",
                    Json.parse(refused.body()).getJsonObject("error").getString("code"));
            assertTrue(has(metrics(proxied), "aigateway_limit_store_up 0"));
            assertTrue(log.contains("Limit store unreachable, refusing requests with 503"), log.lines().toString());
            // The other instance, still connected, counts one more against the shared limit meanwhile.
            assertEquals(200, chat(direct));

            try (TcpProxy back = TcpProxy.start(RedisAvailable.HOST, RedisAvailable.PORT, port)) {
                assertEquals(200, firstAnswerAfterRecovery(proxied));
                assertTrue(has(metrics(proxied), "aigateway_limit_store_up 1"), "the recovery is in the metrics");
                assertTrue(log.contains("Limit store reachable again: limits are shared again"),
                        "the recovery is logged: " + log.lines());
                // Three of ten spent (one before, one on the other instance, one now): seven left between the two.
                int ok = 0;
                for (int i = 0; i < 20; i++) {
                    if (chat(i % 2 == 0 ? proxied : direct) == 200)
                        ok++;
                }
                assertEquals(7, ok, "one shared limit again, the other instance's requests counted");
                assertEquals(10, backend.requestCount(), "nothing reached the backend while Redis was away");
            }
        } finally {
            redis.close();
        }
    }

    @Test
    void failOpenWhileAwayThenSharedAgainOnReturn() throws Exception {
        TcpProxy redis = TcpProxy.start(RedisAvailable.HOST, RedisAvailable.PORT);
        int port = redis.port();
        try (GatewayServer proxied = gateway(port, "fail-open", "proxied");
             GatewayServer direct = gateway(RedisAvailable.PORT, "fail-open", "direct")) {
            assertEquals(200, chat(proxied));
            redis.close();
            // Local limits meanwhile: this instance's own ten, whatever Redis counted.
            int local = 0;
            for (int i = 0; i < 15; i++) {
                if (chat(proxied) == 200)
                    local++;
            }
            assertEquals(10, local, "fail-open admits under this instance's local limit");
            assertTrue(has(metrics(proxied), "aigateway_limit_store_up 0"));
            assertTrue(has(metrics(proxied), "aigateway_limit_store_failures_total [1-9]"));

            try (TcpProxy back = TcpProxy.start(RedisAvailable.HOST, RedisAvailable.PORT, port)) {
                // While away, this instance's local limit is spent (429); back on Redis, which counted one request
                // only, it admits again. The client reconnects lazily: a bounded wait for that.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                int status;
                while ((status = chat(proxied)) == 429 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertEquals(200, status, "back on the shared limit");
                assertTrue(has(metrics(proxied), "aigateway_limit_store_up 1"), "the recovery is in the metrics");
                // Two of ten spent in Redis: eight left between the two instances.
                int ok = 0;
                for (int i = 0; i < 20; i++) {
                    if (chat(i % 2 == 0 ? proxied : direct) == 200)
                        ok++;
                }
                assertEquals(8, ok, "one shared limit again");
            }
        } finally {
            redis.close();
        }
    }
}

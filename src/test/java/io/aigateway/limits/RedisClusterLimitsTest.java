package io.aigateway.limits;

import io.aigateway.log.RequestRecord;
import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.RedisAvailable;
import io.aigateway.testing.TcpProxy;
import io.aigateway.testing.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two gateway instances on one real Redis enforce one limit, not two; when Redis goes away they follow
 * {@code limits.on_store_failure}. Mandatory in CI.
 */
class RedisClusterLimitsTest {
    /** This class's own Redis database, emptied before each test. */
    static final int DB = 11;
    static final String KEY = "sk-redis-cluster";

    private final TestClock clock = new TestClock(Instant.parse("2026-03-01T12:00:00Z"));
    private FakeBackend backend;

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

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    private GatewayServer gateway(int redisPort, String limits, String onFailure) {
        return gateway(redisPort, limits, onFailure, "{requests: 1000000}");
    }

    private GatewayServer gateway(int redisPort, String limits, String onFailure, String quota) {
        return GatewayServer.start("""
            tenants: [{name: team, keys: ["%s"], models: ["*"], limits: %s, quota: %s}]
            backends: [{name: oai, flavor: openai, endpoint: "%s/v1", models: [gpt-4o]}]
            limits:
              store: redis
              redis: {url: "redis://%s:%d/%d"}
              on_store_failure: %s
              default_max_tokens: 100
              state_file: "%s"
            """.formatted(KEY, limits, quota, backend.url(), RedisAvailable.HOST, redisPort, DB, onFailure,
            dir.resolve("quota-" + redisPort + ".json")), clock);
    }

    private static int chat(GatewayServer gateway, boolean stream) {
        return gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", stream)).statusCode();
    }

    @Test
    void twoInstancesShareOneRequestLimitExactly() {
        try (GatewayServer one = gateway(RedisAvailable.PORT, "{rpm: 10}", "fail-closed");
             GatewayServer two = gateway(RedisAvailable.PORT, "{rpm: 10}", "fail-closed")) {
            int ok = 0;
            for (int i = 0; i < 30; i++) {
                if (chat(i % 2 == 0 ? one : two, false) == 200)
                    ok++;
            }
            assertEquals(10, ok, "one limit of 10, not 10 per instance");
            assertEquals(10, backend.requestCount());

            clock.advance(Duration.ofSeconds(6));
            assertEquals(200, chat(two, false));
            assertEquals(429, chat(one, false));
        }
    }

    @Test
    void twoInstancesShareOneQuota() {
        String quota = "{requests: 5, reset: \"0 0 * * *\"}";
        try (GatewayServer one = gateway(RedisAvailable.PORT, "{rpm: 1000}", "fail-closed", quota);
             GatewayServer two = gateway(RedisAvailable.PORT, "{rpm: 1000}", "fail-closed", quota)) {
            int ok = 0;
            for (int i = 0; i < 12; i++) {
                if (chat(i % 2 == 0 ? one : two, false) == 200)
                    ok++;
            }
            assertEquals(5, ok, "one quota of 5, not 5 per instance");
            HttpResponse<String> refused = two.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false));
            assertEquals("insufficient_quota", Json.parse(refused.body()).getJsonObject("error").getString("code"));
            // 12:00 UTC: the daily period ends at midnight.
            assertEquals(String.valueOf(12 * 3600), refused.headers().firstValue("Retry-After").orElseThrow());
            clock.advance(Duration.ofHours(12));
            assertEquals(200, chat(one, false));
        }
    }

    @Test
    void concurrentRequestsOnTwoInstancesNeverOvershootTheSharedLimit() throws Exception {
        try (GatewayServer one = gateway(RedisAvailable.PORT, "{rpm: 50}", "fail-closed");
             GatewayServer two = gateway(RedisAvailable.PORT, "{rpm: 50}", "fail-closed")) {
            List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> responses = new java.util.ArrayList<>();
            for (int i = 0; i < 120; i++) {
                GatewayServer target = i % 2 == 0 ? one : two;
                responses.add(target.client().sendAsync(target.request("/v1/chat/completions", KEY)
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Json.chat("gpt-4o", false))).build(),
                    HttpResponse.BodyHandlers.ofString()));
            }
            int ok = 0;
            for (var response : responses)
                ok += response.get().statusCode() == 200 ? 1 : 0;
            assertEquals(50, ok);
            assertEquals(50, backend.requestCount());
        }
    }

    @Test
    void twoInstancesShareTokenReservationsAndSettlements() throws Exception {
        try (GatewayServer one = gateway(RedisAvailable.PORT, "{tpm: 5000}", "fail-closed");
             GatewayServer two = gateway(RedisAvailable.PORT, "{tpm: 5000}", "fail-closed")) {
            List<RequestRecord> records = new CopyOnWriteArrayList<>();
            one.gateway().addRequestListener(records::add);
            HttpResponse<String> first = one.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", true));
            long reserved = 5000 - Long.parseLong(first.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow());
            for (int i = 0; i < 500 && records.isEmpty(); i++)
                Thread.sleep(10);
            assertEquals(8, records.get(0).usage().totalTokens());
            // The settlement is sent without waiting for it: wait until Redis has it (8 tokens of 12 ms each).
            String tat = "aigw:{limits}:tenant:team:tokens:5000";
            io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(
                "redis://" + RedisAvailable.HOST + ":" + RedisAvailable.PORT + "/" + DB);
            try (var connection = client.connect()) {
                String expected = String.format(java.util.Locale.ROOT, "%.4f", clock.millis() + 8 * 12.0);
                for (int i = 0; i < 200 && !expected.equals(connection.sync().get(tat)); i++)
                    Thread.sleep(10);
                assertEquals(expected, connection.sync().get(tat));
            } finally {
                client.shutdown();
            }
            HttpResponse<String> second = two.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", true));
            assertEquals(5000 - 8 - reserved, Long.parseLong(second.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow()));
        }
    }

    @Test
    void redisStoppedMidTestFailsClosedWith503() throws Exception {
        try (TcpProxy redis = TcpProxy.start(RedisAvailable.HOST, RedisAvailable.PORT);
             GatewayServer gateway = gateway(redis.port(), "{rpm: 100}", "fail-closed")) {
            assertEquals(200, chat(gateway, false));
            redis.close();
            HttpResponse<String> refused = gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false));
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("limit_store_unavailable", Json.parse(refused.body()).getJsonObject("error").getString("code"));
            assertEquals(1, backend.requestCount());
            assertTrue(java.util.regex.Pattern.compile("(?m)^aigateway_limit_store_failures_total [1-9]")
                .matcher(gateway.get("/metrics", null).body()).find(), "the failure is counted");
        }
    }

    @Test
    void redisStoppedMidTestFailsOpenUnderLocalLimits() throws Exception {
        try (TcpProxy redis = TcpProxy.start(RedisAvailable.HOST, RedisAvailable.PORT);
             GatewayServer gateway = gateway(redis.port(), "{rpm: 3}", "fail-open")) {
            assertEquals(200, chat(gateway, false));
            redis.close();
            // The local limiter knows nothing of the request Redis counted: three more, then the local limit.
            assertEquals(200, chat(gateway, false));
            assertEquals(200, chat(gateway, false));
            assertEquals(200, chat(gateway, false));
            assertEquals(429, chat(gateway, false));
        }
    }

    @Test
    void anUnreachableRedisAtStartupFollowsTheFailureMode() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (GatewayServer closed = gateway(closedPort, "{rpm: 100}", "fail-closed")) {
            assertEquals(503, chat(closed, false));
        }
        try (GatewayServer open = gateway(closedPort, "{rpm: 1}", "fail-open")) {
            assertEquals(200, chat(open, false));
            assertEquals(429, chat(open, false));
        }
        assertTrue(backend.requestCount() == 1);
    }
}

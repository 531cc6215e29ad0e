package io.aigateway.quota;

import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Quotas through the real gateway: used up, reset at the cron boundary of their time zone, kept across restarts. */
class QuotaGatewayTest {
    static final String KEY = "sk-quota-test";

    @TempDir
    Path dir;
    // 23:58 in Berlin: the daily quota resets in two minutes.
    private final TestClock clock = new TestClock(Instant.parse("2026-01-10T22:58:00Z"));
    private FakeBackend backend;

    @BeforeEach
    void startBackend() {
        backend = FakeBackend.start("openai");
    }

    @AfterEach
    void stopBackend() {
        backend.close();
    }

    private GatewayServer start(String quota) {
        return GatewayServer.start("""
            tenants:
              - {name: team, keys: ["%s"], models: ["*"], quota: %s}
            backends:
              - {name: oai, flavor: openai, endpoint: "%s/v1", models: [gpt-4o]}
            prices:
              gpt-4o: {input: 2.5, output: 10, cached_input: 1.25}
            limits: {state_file: "%s"}
            """.formatted(KEY, quota, backend.url(), dir.resolve("quota.json")), clock);
    }

    private static int chat(GatewayServer gateway) {
        return gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false)).statusCode();
    }

    @Test
    void anExhaustedQuotaRefusesUntilTheCronBoundaryInItsTimeZone() {
        try (GatewayServer gateway = start("{requests: 3, reset: \"0 0 * * *\", time_zone: Europe/Berlin}")) {
            for (int i = 0; i < 3; i++)
                assertEquals(200, chat(gateway));
            HttpResponse<String> refused = gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false));
            assertEquals(429, refused.statusCode());
            assertEquals("insufficient_quota", Json.parse(refused.body()).getJsonObject("error").getString("code"));
            assertEquals("120", refused.headers().firstValue("Retry-After").orElseThrow());

            clock.advance(Duration.ofSeconds(119));
            assertEquals(429, chat(gateway));
            clock.advance(Duration.ofSeconds(1));
            assertEquals(200, chat(gateway), "a new day in Berlin");
        }
    }

    @Test
    void theTenantMBeanShowsTheQuotaAndResetsIt() throws Exception {
        try (GatewayServer gateway = start("{requests: 2, tokens: 1000000, reset: \"0 0 * * *\", time_zone: Europe/Berlin}")) {
            assertEquals(200, chat(gateway));
            assertEquals(200, chat(gateway));
            assertEquals(429, chat(gateway));
            javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            javax.management.ObjectName tenant = io.aigateway.admin.jmx.GatewayMBeans.tenantName("team");
            assertEquals(2L, server.getAttribute(tenant, "QuotaRequestsUsed"));
            assertEquals(0L, server.getAttribute(tenant, "QuotaRequestsRemaining"));
            assertEquals(1_000_000L - 16, server.getAttribute(tenant, "QuotaTokensRemaining"));
            assertEquals("2026-01-10T23:00:00Z", server.getAttribute(tenant, "QuotaResetsAt"));

            server.invoke(tenant, "resetQuota", new Object[0], new String[0]);

            assertEquals(0L, server.getAttribute(tenant, "QuotaRequestsUsed"));
            assertEquals(200, chat(gateway));
        }
    }

    @Test
    void aKeyHasAQuotaOfItsOwnWithinItsTenants() {
        try (GatewayServer gateway = GatewayServer.start("""
            tenants:
              - name: team
                keys: [{key: "%s", id: trial, quota: {requests: 1, reset: "0 0 * * *"}}, sk-quota-other]
                models: ["*"]
                quota: {requests: 3}
            backends:
              - {name: oai, flavor: openai, endpoint: "%s/v1", models: [gpt-4o]}
            limits: {state_file: "%s"}
            """.formatted(KEY, backend.url(), dir.resolve("quota.json")), clock)) {
            assertEquals(200, chat(gateway));
            assertEquals(429, chat(gateway), "the key's quota");
            assertEquals(200, gateway.post("/v1/chat/completions", "sk-quota-other", Json.chat("gpt-4o", false)).statusCode());
            assertEquals(200, gateway.post("/v1/chat/completions", "sk-quota-other", Json.chat("gpt-4o", false)).statusCode());
            // The refused request was taken back from the tenant's quota: 3 admitted, the 4th is refused.
            HttpResponse<String> refused = gateway.post("/v1/chat/completions", "sk-quota-other", Json.chat("gpt-4o", false));
            assertEquals(429, refused.statusCode());
            assertEquals("insufficient_quota", Json.parse(refused.body()).getJsonObject("error").getString("code"));
        }
    }

    @Test
    void countersSurviveARestart() throws Exception {
        String quota = "{requests: 3, reset: \"0 0 1 * *\"}";
        try (GatewayServer gateway = start(quota)) {
            assertEquals(200, chat(gateway));
            assertEquals(200, chat(gateway));
        }
        assertTrue(Files.readString(dir.resolve("quota.json")).contains("\"requests\":2"));
        try (GatewayServer gateway = start(quota)) {
            assertEquals(200, chat(gateway));
            assertEquals(429, chat(gateway));
        }
    }

    @Test
    void costIsPricedFromThePriceTableAndEndsTheQuota() {
        // The fake backend reports 5 prompt and 3 completion tokens: 5 * 2.5 + 3 * 10 = 42.5 per million.
        try (GatewayServer gateway = start("{cost: 0.0001, reset: \"0 0 1 * *\"}")) {
            java.util.List<io.aigateway.log.RequestRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
            gateway.gateway().addRequestListener(records::add);
            int ok = 0;
            while (chat(gateway) == 200)
                ok++;
            assertEquals(new java.math.BigDecimal("0.0000425"), records.get(0).usage().cost());
            // 0.0001 / 0.0000425: the third request is admitted with 0.0000850 used, the fourth is not.
            assertEquals(3, ok);
        }
    }
}

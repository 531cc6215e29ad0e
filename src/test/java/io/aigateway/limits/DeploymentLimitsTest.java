package io.aigateway.limits;

import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.TestClock;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A deployment's own limit and a tenant's backend groups decide where requests may go. */
class DeploymentLimitsTest {
    static final String KEY = "sk-deployment-limits";
    static final String ISOLATED_KEY = "sk-isolated-tenant";

    @Test
    void aDeploymentAtItsLimitIsSkippedAndWhenAllAreTheClientGets429() {
        TestClock clock = new TestClock(Instant.parse("2026-03-01T12:00:00Z"));
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start("""
                 tenants: [{name: team, keys: ["%s"], models: ["*"]}]
                 backends:
                   - {name: a, flavor: openai, endpoint: "%s/v1", deployments: [{name: gpt-4o, model: gpt-4o, limits: {rpm: 2}}]}
                   - {name: b, flavor: openai, endpoint: "%s/v1", deployments: [{name: gpt-4o, model: gpt-4o, limits: {rpm: 1}}]}
                 """.formatted(KEY, a.url(), b.url()), clock)) {
            for (int i = 0; i < 3; i++)
                assertEquals(200, gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false)).statusCode());
            assertEquals(2, a.requestCount());
            assertEquals(1, b.requestCount());

            HttpResponse<String> refused = gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false));
            assertEquals(429, refused.statusCode(), refused.body());
            assertEquals("rate_limit_exceeded", Json.parse(refused.body()).getJsonObject("error").getString("code"));
            assertEquals("30", refused.headers().firstValue("Retry-After").orElseThrow(), "a's next request in 30 s");
            assertEquals(3, a.requestCount() + b.requestCount());

            clock.advance(Duration.ofSeconds(30));
            assertEquals(200, gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false)).statusCode());
            assertEquals(3, a.requestCount());
        }
    }

    @Test
    void aTenantWithBackendGroupsOnlyReachesItsOwnBackends() {
        try (FakeBackend shared = FakeBackend.start("shared"); FakeBackend own = FakeBackend.start("own");
             GatewayServer gateway = GatewayServer.start("""
                 tenants:
                   - {name: isolated, keys: ["%s"], models: ["*"], backend_groups: [dedicated]}
                   - {name: team, keys: ["%s"], models: ["*"]}
                 backends:
                   - {name: shared, flavor: openai, endpoint: "%s/v1", models: [gpt-4o, gpt-4o-mini]}
                   - {name: own, flavor: openai, endpoint: "%s/v1", models: [gpt-4o], quota_group: dedicated}
                 """.formatted(ISOLATED_KEY, KEY, shared.url(), own.url()))) {
            for (int i = 0; i < 4; i++)
                assertEquals(200, gateway.post("/v1/chat/completions", ISOLATED_KEY, Json.chat("gpt-4o", false)).statusCode());
            assertEquals(4, own.requestCount());
            assertEquals(0, shared.requestCount());

            HttpResponse<String> notServed = gateway.post("/v1/chat/completions", ISOLATED_KEY, Json.chat("gpt-4o-mini", false));
            assertEquals(403, notServed.statusCode(), notServed.body());
            assertEquals(0, shared.requestCount());
            assertEquals(java.util.List.of("gpt-4o"), Json.parse(gateway.get("/v1/models", ISOLATED_KEY).body())
                .getJsonArray("data").stream().map(m -> m.asJsonObject().getString("id")).toList());

            for (int i = 0; i < 4; i++)
                gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false));
            assertEquals(2, shared.requestCount(), "the other tenant still uses every backend");
        }
    }
}

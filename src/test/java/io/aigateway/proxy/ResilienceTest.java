package io.aigateway.proxy;

import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.RecordedRequest;
import io.aigateway.testing.Reply;
import io.aigateway.testing.TestClock;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the gateway reacts to each class of upstream failure: rate limits, spent quotas, refused keys, missing
 * deployments, transient errors, caller faults, deadlines. Time moves on a test clock.
 */
class ResilienceTest {
    static final String KEY = "sk-resilience";

    private static String config(String routing, String... backends) {
        return "tenants: [{name: team, keys: [\"" + KEY + "\"], models: [\"*\"]}]\n"
            + (routing.isEmpty() ? "" : routing + "\n")
            + "backends:\n" + String.join("", backends);
    }

    private static String backend(String name, FakeBackend fake, String extra) {
        return "  - {name: " + name + ", flavor: openai, endpoint: \"" + fake.url() + "/v1\", models: [gpt-4o]"
            + (extra.isEmpty() ? "" : ", " + extra) + "}\n";
    }

    private static HttpResponse<String> chat(GatewayServer gateway) {
        return gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false));
    }

    private static String servedBy(HttpResponse<String> response) {
        return response.headers().firstValue(FakeBackend.BACKEND_HEADER).orElse("?");
    }

    @Test
    void rateLimitedDeploymentRestsUntilItsRetryAfterThenTakesTrafficAgain() throws Exception {
        TestClock clock = new TestClock();
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config("", backend("a", a, "priority: 0"), backend("b", b, "priority: 1")), clock)) {
            a.enqueue(Reply.error(429, "requests", "rate_limit_exceeded", "slow down").withHeader("retry-after-ms", "2000"));

            HttpResponse<String> first = chat(gateway);
            assertEquals(200, first.statusCode(), "moved to b: " + first.body());
            assertEquals("b", servedBy(first));
            assertEquals("b", servedBy(chat(gateway)), "a rests");

            clock.advance(Duration.ofMillis(2001));
            assertEquals("a", servedBy(chat(gateway)), "a is readmitted after its retry-after-ms");
            assertEquals(2, a.requestCount());
        }
    }

    @Test
    void aDeploymentThatSaysItsWindowIsSpentIsSteeredAwayFromBeforeItAnswers429() throws Exception {
        TestClock clock = new TestClock();
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config("", backend("a", a, "priority: 0"), backend("b", b, "priority: 1")), clock)) {
            a.enqueue(Reply.defaultReply().withHeader("x-ratelimit-remaining-requests", "0").withHeader("x-ratelimit-reset-requests", "5s"));

            assertEquals("a", servedBy(chat(gateway)), "the last request of a's window is served");
            assertEquals("b", servedBy(chat(gateway)), "then a is left alone until its window resets");
            clock.advance(Duration.ofSeconds(5));
            assertEquals("a", servedBy(chat(gateway)));
        }
    }

    @Test
    void aRateLimitCoolsDownTheWholeQuotaGroup() throws Exception {
        try (FakeBackend a1 = FakeBackend.start("a1"); FakeBackend a2 = FakeBackend.start("a2"); FakeBackend c = FakeBackend.start("c");
             GatewayServer gateway = GatewayServer.start(config("",
                 backend("a1", a1, "quota_group: shared"), backend("a2", a2, "quota_group: shared"), backend("c", c, "priority: 1")))) {
            a1.always(Reply.error(429, "requests", "rate_limit_exceeded", "slow down").withHeader("Retry-After", "30"));
            a2.always(Reply.error(429, "requests", "rate_limit_exceeded", "slow down").withHeader("Retry-After", "30"));

            for (int i = 0; i < 6; i++)
                assertEquals("c", servedBy(chat(gateway)));
            assertEquals(1, a1.requestCount() + a2.requestCount(), "one 429 benched both members of the group");
        }
    }

    @Test
    void everyDeploymentResting503WithRetryAfterOfTheSoonestReturn() throws Exception {
        try (FakeBackend a = FakeBackend.start("a");
             GatewayServer gateway = GatewayServer.start(config("", backend("a", a, "")))) {
            a.enqueue(Reply.error(429, "requests", "rate_limit_exceeded", "slow down").withHeader("Retry-After", "20"));

            HttpResponse<String> relayed = chat(gateway);
            assertEquals(429, relayed.statusCode(), "the only deployment's own answer is relayed");
            assertEquals("20", relayed.headers().firstValue("Retry-After").orElse(null));

            HttpResponse<String> refused = chat(gateway);
            assertEquals(503, refused.statusCode());
            assertEquals("no_healthy_backend", Json.parse(refused.body()).getJsonObject("error").getString("code"));
            long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 19 && retryAfter <= 20, "Retry-After " + retryAfter);
            assertEquals(1, a.requestCount());
        }
    }

    @Test
    void aRefusedKeyIsDisabledAndTheRequestRetriesTheSameDeploymentWithTheNextKey() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config("",
                 backend("a", a, "keys: [revoked-key-000, good-key-111], priority: 0"), backend("b", b, "priority: 1")))) {
            a.enqueue(Reply.error(401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided"));

            HttpResponse<String> response = chat(gateway);

            assertEquals(200, response.statusCode(), response.body());
            assertEquals("a", servedBy(response), "same deployment, next key");
            for (int i = 0; i < 4; i++)
                chat(gateway);
            List<String> keys = a.requests().stream().map(r -> r.header("Authorization")).toList();
            assertEquals("Bearer revoked-key-000", keys.get(0));
            assertTrue(keys.subList(1, keys.size()).stream().allMatch("Bearer good-key-111"::equals), keys.toString());
            assertEquals(0, b.requestCount());
        }
    }

    @Test
    void aDeploymentThatDoesNotExistUpstreamIsTakenOutOfRotation() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config("", backend("a", a, ""), backend("b", b, "")))) {
            a.always(Reply.azureError(404, "DeploymentNotFound", "The API deployment for this resource does not exist."));

            for (int i = 0; i < 10; i++)
                assertEquals(200, chat(gateway).statusCode());
            assertEquals(1, a.requestCount());
            assertEquals(10, b.requestCount());
        }
    }

    @Test
    void aThousandCallerFaultsEjectNothing() throws Exception {
        try (FakeBackend a = FakeBackend.start("a");
             GatewayServer gateway = GatewayServer.start(config("", backend("a", a, "circuit_breaker: {consecutive_failures: 1}")))) {
            a.always(Reply.error(400, "invalid_request_error", "context_length_exceeded", "too long"));
            for (int i = 0; i < 1000; i++)
                assertEquals(400, chat(gateway).statusCode());
            a.reset();
            assertEquals(200, chat(gateway).statusCode());
            assertEquals(1001, a.requestCount());
        }
    }

    @Test
    void theBreakerOpensAfterConsecutiveFailuresAndAdmitsATrialAfterItsOpenPeriod() throws Exception {
        TestClock clock = new TestClock();
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config("",
                 backend("a", a, "priority: 0, circuit_breaker: {consecutive_failures: 3, open_for: 30s}"),
                 backend("b", b, "priority: 1")), clock)) {
            a.always(Reply.error(500, "server_error", null, "boom"));

            for (int i = 0; i < 6; i++)
                assertEquals("b", servedBy(chat(gateway)));
            assertEquals(3, a.requestCount(), "three failures opened the breaker");

            clock.advance(Duration.ofSeconds(31));
            a.reset();
            assertEquals("a", servedBy(chat(gateway)), "half-open: a trial request, which succeeds and closes it");
            assertEquals("a", servedBy(chat(gateway)));
        }
    }

    @Test
    void theDeadlineCoversEveryAttempt() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config("routing: {request_timeout: 500ms, max_attempts: 3}",
                 backend("a", a, "timeouts: {first_byte: 20s}"), backend("b", b, "timeouts: {first_byte: 20s}")))) {
            Reply.Hang hangA = Reply.hang();
            Reply.Hang hangB = Reply.hang();
            a.always(hangA);
            b.always(hangB);

            HttpResponse<String> response = chat(gateway);

            assertEquals(504, response.statusCode(), response.body());
            assertEquals("backend_timeout", Json.parse(response.body()).getJsonObject("error").getString("code"));
            assertEquals(1, a.requestCount() + b.requestCount(), "the deadline ended the request, not the first-byte timeout");
            hangA.release();
            hangB.release();
        }
    }

    @Test
    void aTransientFailureIsRetriedOnTheSameDeploymentWhenRetriesPerBackendAllows() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config("",
                 backend("a", a, "priority: 0, retries_per_backend: 1"), backend("b", b, "priority: 1")))) {
            a.enqueue(Reply.error(503, "server_error", null, "blip"));

            HttpResponse<String> response = chat(gateway);

            assertEquals(200, response.statusCode());
            assertEquals("a", servedBy(response));
            assertEquals(2, a.requestCount());
            assertEquals(0, b.requestCount());
        }
    }

    @Test
    void attemptsAreBoundedByMaxAttempts() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b"); FakeBackend c = FakeBackend.start("c");
             GatewayServer gateway = GatewayServer.start(config("routing: {max_attempts: 2}",
                 backend("a", a, ""), backend("b", b, ""), backend("c", c, "")))) {
            for (FakeBackend fake : List.of(a, b, c))
                fake.always(Reply.error(503, "server_error", null, "down"));

            assertEquals(503, chat(gateway).statusCode());
            assertEquals(2, a.requestCount() + b.requestCount() + c.requestCount());
        }
    }

    @Test
    void aStreamRequestToAJsonOnlyDeploymentGetsAStream() throws Exception {
        try (FakeBackend a = FakeBackend.start("a");
             GatewayServer gateway = GatewayServer.start(config("",
                 "  - {name: a, flavor: openai, endpoint: \"" + a.url() + "/v1\", deployments: [{name: gpt-4o, model: gpt-4o, stream: false}]}\n"))) {
            HttpResponse<String> response = gateway.post("/v1/chat/completions", KEY, Json.chatWithUsage("gpt-4o"));

            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            assertTrue(response.body().contains("\"content\":\"hello from a\""), response.body());
            assertTrue(response.body().contains("\"usage\""), "the client asked for the usage chunk");
            assertTrue(response.body().endsWith("data: [DONE]\n\n"));
            JsonObject upstream = a.takeRequest().json();
            assertFalse(upstream.getBoolean("stream"));
            assertFalse(upstream.containsKey("stream_options"));
        }
    }

    @Test
    void aJsonRequestToAStreamOnlyDeploymentGetsJson() throws Exception {
        try (FakeBackend a = FakeBackend.start("a");
             GatewayServer gateway = GatewayServer.start(config("",
                 "  - {name: a, flavor: openai, endpoint: \"" + a.url() + "/v1\", deployments: [{name: gpt-4o, model: gpt-4o, non_stream: false}]}\n"))) {
            HttpResponse<String> response = chat(gateway);

            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            JsonObject reply = Json.parse(response.body());
            assertEquals("chat.completion", reply.getString("object"));
            assertEquals("hello from a", reply.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"));
            assertEquals(8, reply.getJsonObject("usage").getInt("total_tokens"));
            RecordedRequest upstream = a.takeRequest();
            assertTrue(upstream.json().getBoolean("stream"));
            assertTrue(upstream.json().getJsonObject("stream_options").getBoolean("include_usage"));
        }
    }

    @Test
    void aPromptLargerThanADeploymentsContextWindowSkipsIt() throws Exception {
        try (FakeBackend small = FakeBackend.start("small"); FakeBackend large = FakeBackend.start("large");
             GatewayServer gateway = GatewayServer.start(config("",
                 "  - {name: small, flavor: openai, endpoint: \"" + small.url() + "/v1\", deployments: [{name: m, model: gpt-4o, max_context_tokens: 100}]}\n",
                 "  - {name: large, flavor: openai, endpoint: \"" + large.url() + "/v1\", deployments: [{name: m, model: gpt-4o, max_context_tokens: 100000}]}\n"))) {
            String bigPrompt = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "word ".repeat(400) + "\"}]}";
            for (int i = 0; i < 4; i++)
                assertEquals("large", servedBy(gateway.post("/v1/chat/completions", KEY, bigPrompt)));
            int smallBefore = small.requestCount();
            for (int i = 0; i < 4; i++)
                chat(gateway);
            assertTrue(small.requestCount() > smallBefore, "small prompts still use the small deployment");
            assertEquals(0, smallBefore);
        }
    }

    @Test
    void perModelStrategiesAreConfigurable() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config("routing: {strategy: least-busy, per_model: {gpt-4o: priority}}",
                 backend("a", a, ""), backend("b", b, "")))) {
            for (int i = 0; i < 5; i++)
                assertEquals("a", servedBy(chat(gateway)), "priority: the first in config order while it is healthy");
        }
    }

    @Test
    void anActiveHealthCheckTakesAnUnhealthyDeploymentOutAndBringsItBack() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config("",
                 backend("a", a, "priority: 0, health_check: {enabled: true, interval: 1h, unhealthy_threshold: 1, healthy_threshold: 1}"),
                 backend("b", b, "priority: 1")))) {
            gateway.healthChecker().probeNow().get();
            a.always(Reply.error(500, "server_error", null, "models endpoint down"));
            gateway.healthChecker().probeNow().get();

            for (int i = 0; i < 3; i++)
                assertEquals("b", servedBy(chat(gateway)));

            a.reset();
            gateway.healthChecker().probeNow().get();
            assertEquals("a", servedBy(chat(gateway)));
        }
    }
}

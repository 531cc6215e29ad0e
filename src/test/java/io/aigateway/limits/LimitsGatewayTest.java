package io.aigateway.limits;

import io.aigateway.log.RequestRecord;
import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.RecordedRequest;
import io.aigateway.testing.Reply;
import io.aigateway.testing.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rate limits through the real gateway: counts, headers, token reservations and their settlement. */
class LimitsGatewayTest {
    static final String KEY = "sk-limits-test";
    static final String PROBE_KEY = "sk-limits-probe";

    private final TestClock clock = new TestClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final List<RequestRecord> records = new CopyOnWriteArrayList<>();
    private FakeBackend backend;
    private GatewayServer gateway;

    @BeforeEach
    void startBackend() {
        backend = FakeBackend.start("openai");
    }

    @AfterEach
    void stop() {
        if (gateway != null)
            gateway.close();
        backend.close();
    }

    private void start(String tenantLimits) {
        gateway = GatewayServer.start("""
            tenants:
              - {name: team, keys: ["%s"], models: ["*"], %s}
              - {name: probe, keys: ["%s"], models: ["*"], limits: {rpm: 1000000, tpm: 1000000}}
            backends:
              - {name: oai, flavor: openai, endpoint: "%s/v1", models: [gpt-4o]}
            limits: {default_max_tokens: 100}
            """.formatted(KEY, tenantLimits, PROBE_KEY, backend.url()), clock);
        gateway.gateway().addRequestListener(records::add);
    }

    private RequestRecord awaitRecord(int count) throws InterruptedException {
        for (int i = 0; i < 500 && records.size() < count; i++)
            Thread.sleep(10);
        assertTrue(records.size() >= count, "request records: " + records.size());
        return records.get(count - 1);
    }

    @Test
    void aTenantAtSixtyRpmGetsExactlySixtyOfAHundredRequestsInAMinute() {
        start("limits: {rpm: 60}");
        int ok = 0;
        int limited = 0;
        HttpResponse<String> refused = null;
        HttpResponse<String> last = null;
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> response = gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false));
            if (response.statusCode() == 200) {
                ok++;
                last = response;
            } else {
                assertEquals(429, response.statusCode());
                limited++;
                refused = response;
            }
        }
        assertEquals(60, ok);
        assertEquals(40, limited);
        assertEquals(60, backend.requestCount());
        assertEquals("60", last.headers().firstValue("x-ratelimit-limit-requests").orElseThrow());
        assertEquals("0", last.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
        assertEquals("1m0s", last.headers().firstValue("x-ratelimit-reset-requests").orElseThrow());
        assertEquals("rate_limit_exceeded", Json.parse(refused.body()).getJsonObject("error").getString("code"));
        assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());
        assertEquals("0", refused.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());

        // One request comes back every second: no new burst of 60.
        clock.advance(Duration.ofSeconds(1));
        assertEquals(200, gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false)).statusCode());
        assertEquals(429, gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false)).statusCode());
    }

    @Test
    void streamedRepliesAreSettledWithTheUsageTheGatewayAskedForAndTheClientDoesNotSeeIt() throws Exception {
        start("limits: {tpm: 10000}");
        HttpResponse<String> first = gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", true));

        assertEquals(200, first.statusCode());
        RecordedRequest upstream = backend.takeRequest();
        assertTrue(upstream.json().getJsonObject("stream_options").getBoolean("include_usage"),
            "the backend was asked for usage: " + upstream.bodyText());
        assertFalse(first.body().contains("\"usage\":{"), "no usage chunk reached the client: " + first.body());
        assertTrue(first.body().contains("hello") && first.body().endsWith("data: [DONE]\n\n"));
        RequestRecord record = awaitRecord(1);
        assertEquals(5, record.usage().promptTokens());
        assertEquals(3, record.usage().completionTokens());
        assertFalse(record.usage().estimated());

        long reserved = 10000 - Long.parseLong(first.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow());
        assertTrue(reserved > 100, "prompt estimate plus default_max_tokens: " + reserved);
        HttpResponse<String> second = gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", true));
        // The first request's reservation was replaced by its 8 real tokens.
        assertEquals(10000 - 8 - reserved, Long.parseLong(second.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow()));
    }

    @Test
    void theCallersLimitHeadersReplaceTheBackends() {
        start("limits: {rpm: 60}");
        backend.enqueue(Reply.defaultReply().withHeader("x-ratelimit-remaining-requests", "9999")
            .withHeader("x-ratelimit-remaining-tokens", "8888"));
        HttpResponse<String> response = gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false));
        assertEquals(List.of("59"), response.headers().allValues("x-ratelimit-remaining-requests"));
        assertEquals(List.of(), response.headers().allValues("x-ratelimit-remaining-tokens"));
    }

    @Test
    void aClientThatAskedForUsageGetsTheUsageChunk() {
        start("limits: {tpm: 10000}");
        HttpResponse<String> response = gateway.post("/v1/chat/completions", KEY, Json.chatWithUsage("gpt-4o"));
        assertTrue(response.body().contains("\"usage\":{\"prompt_tokens\":5"), response.body());
    }

    @Test
    void twoHundredConcurrentRequestsDoNotOvershootATightTokenLimit() throws Exception {
        start("limits: {tpm: 2000}");
        String body = "{\"model\":\"gpt-4o\",\"max_tokens\":150,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
        HttpResponse<String> probe = gateway.post("/v1/chat/completions", PROBE_KEY, body);
        long reservation = 1_000_000 - Long.parseLong(probe.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow());
        backend.clearRequests();
        Reply.Hang hang = Reply.hang();
        backend.always(hang);

        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        HttpRequest request = gateway.request("/v1/chat/completions", KEY).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        for (int i = 0; i < 200; i++)
            responses.add(gateway.client().sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        int refused = 0;
        for (int i = 0; i < 1000; i++) {
            refused = (int)responses.stream().filter(f -> f.isDone() && f.join().statusCode() == 429).count();
            if (refused + backend.requestCount() == 200)
                break;
            Thread.sleep(10);
        }
        int admitted = backend.requestCount();
        assertEquals(200, refused + admitted);
        assertEquals(2000 / reservation, admitted, "reservation " + reservation);
        assertTrue(admitted * reservation <= 2000 + reservation);
        hang.release();
        for (CompletableFuture<HttpResponse<String>> response : responses)
            assertTrue(List.of(200, 429).contains(response.get().statusCode()));
    }

    @Test
    void aCancelledStreamIsBilledForWhatWasGenerated() throws Exception {
        start("limits: {tpm: 10000}");
        io.aigateway.testing.StreamGate gate = new io.aigateway.testing.StreamGate();
        backend.enqueue(Reply.sse(List.of(
            "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"one two three\"}}]}\n\n",
            "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" four\"}}]}\n\n",
            "data: [DONE]\n\n")).gatedBy(gate));
        gate.release(0);
        HttpResponse<java.io.InputStream> response = gateway.open(gateway.request("/v1/chat/completions", KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.chat("gpt-4o", true))).build());
        try (io.aigateway.testing.Sse events = new io.aigateway.testing.Sse(response.body())) {
            assertTrue(events.next().data().contains("one two three"));
        }
        // The client is gone; the backend goes on until its next write fails.
        gate.releaseAll();

        RequestRecord record = awaitRecord(1);
        assertTrue(record.usage().completionTokens() >= 3, "billed for what was generated: " + record.usage());
        assertTrue(record.usage().estimated());
        assertTrue(record.usage().promptTokens() > 0);
    }

    @Test
    void concurrencyOverTheLimitIsRefusedAtOnceAndComesBackWhenARequestEnds() throws Exception {
        start("limits: {concurrency: 2}");
        Reply.Hang hang = Reply.hang();
        backend.enqueue(hang, hang);
        HttpRequest request = gateway.request("/v1/chat/completions", KEY).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.chat("gpt-4o", false))).build();
        CompletableFuture<HttpResponse<String>> first = gateway.client().sendAsync(request, HttpResponse.BodyHandlers.ofString());
        CompletableFuture<HttpResponse<String>> second = gateway.client().sendAsync(request, HttpResponse.BodyHandlers.ofString());
        hang.awaitHeld();
        hang.awaitHeld();

        HttpResponse<String> third = gateway.send(request);
        assertEquals(429, third.statusCode());
        assertTrue(third.body().contains("concurrent requests"), third.body());

        hang.release();
        assertEquals(200, first.get().statusCode());
        assertEquals(200, second.get().statusCode());
        awaitRecord(3);
        assertEquals(200, gateway.send(request).statusCode());
    }

    @Test
    void aKeyHasItsOwnLimitWithinItsTenants() {
        gateway = GatewayServer.start("""
            tenants:
              - name: team
                keys: [{key: "%s", id: ci, limits: {rpm: 2}}, {key: "%s", id: prod}]
                models: ["*"]
                limits: {rpm: 3}
            backends:
              - {name: oai, flavor: openai, endpoint: "%s/v1", models: [gpt-4o]}
            """.formatted(KEY, PROBE_KEY, backend.url()), clock);
        assertEquals(200, gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false)).statusCode());
        assertEquals(200, gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false)).statusCode());
        HttpResponse<String> keyLimited = gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false));
        assertEquals(429, keyLimited.statusCode());
        assertTrue(keyLimited.body().contains("(key limit)"), keyLimited.body());
        assertEquals(200, gateway.post("/v1/chat/completions", PROBE_KEY, Json.chat("gpt-4o", false)).statusCode());
        HttpResponse<String> tenantLimited = gateway.post("/v1/chat/completions", PROBE_KEY, Json.chat("gpt-4o", false));
        assertTrue(tenantLimited.body().contains("(tenant limit)"), tenantLimited.body());
    }

    @Test
    void strippingTheUsageChunkHoldsNothingBack() throws Exception {
        start("limits: {tpm: 10000}");
        io.aigateway.testing.StreamGate gate = new io.aigateway.testing.StreamGate();
        backend.enqueue(Reply.defaultReply().gatedBy(gate));
        // The role chunk and the first content chunk may be sent; the next waits.
        gate.release(0);
        HttpResponse<java.io.InputStream> response = gateway.open(gateway.request("/v1/chat/completions", KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.chat("gpt-4o", true))).build());
        try (io.aigateway.testing.Sse events = new io.aigateway.testing.Sse(response.body())) {
            assertTrue(events.next().data().contains("assistant"));
            assertTrue(events.next().data().contains("hello"));
            assertFalse(gate.isSent(2), "the client has the first content before the backend sends more");
            gate.releaseAll();
            List<String> rest = new ArrayList<>();
            for (io.aigateway.testing.Sse.Event event = events.next(); event != null; event = events.next()) {
                rest.add(event.data());
                if (event.isDone())
                    break;
            }
            assertEquals("[DONE]", rest.get(rest.size() - 1));
            assertTrue(rest.stream().noneMatch(data -> data.contains("\"usage\":{")), rest.toString());
        }
        assertEquals(8, awaitRecord(1).usage().totalTokens());
    }

    @Test
    void azureApiVersionsThatRefuseStreamOptionsAreNotAskedForUsage() throws Exception {
        try (FakeBackend old = FakeBackend.start("old"); FakeBackend current = FakeBackend.start("current")) {
            gateway = GatewayServer.start("""
                tenants: [{name: team, keys: ["%s"], models: ["*"]}]
                backends:
                  - {name: old, flavor: azure, endpoint: "%s", api_version: 2024-06-01, deployments: [{name: d, model: old-4o}]}
                  - {name: current, flavor: azure, endpoint: "%s", deployments: [{name: d, model: new-4o}]}
                """.formatted(KEY, old.url(), current.url()), clock);
            gateway.gateway().addRequestListener(records::add);
            assertEquals(200, gateway.post("/v1/chat/completions", KEY, Json.chat("old-4o", true)).statusCode());
            assertFalse(old.takeRequest().json().containsKey("stream_options"));
            RequestRecord record = awaitRecord(1);
            assertTrue(record.usage().estimated(), "no usage came back: counted by the tokenizer");
            assertEquals(3, record.usage().completionTokens(), "'hello from old'");
            assertEquals(200, gateway.post("/v1/chat/completions", KEY, Json.chat("new-4o", true)).statusCode());
            assertTrue(current.takeRequest().json().getJsonObject("stream_options").getBoolean("include_usage"));
        }
    }
}

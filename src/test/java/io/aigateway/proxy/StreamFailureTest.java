package io.aigateway.proxy;

import io.aigateway.routing.DeploymentStats;
import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.Reply;
import io.aigateway.testing.Sse;
import io.aigateway.testing.StreamGate;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Streams that break after they started: honest endings, counted failures, nothing leaked. */
class StreamFailureTest {
    static final String KEY = "sk-stream-failure";

    private static String config(FakeBackend a, FakeBackend b, String extra) {
        return """
            tenants: [{name: team, keys: ["%s"], models: ["*"]}]
            backends:
              - {name: a, flavor: openai, endpoint: "%s/v1", models: [gpt-4o], priority: 0, circuit_breaker: {consecutive_failures: 1}%s}
              - {name: b, flavor: openai, endpoint: "%s/v1", models: [gpt-4o], priority: 1}
            """.formatted(KEY, a.url(), extra, b.url());
    }

    private static String chunk(String content) {
        return "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\",\"choices\":"
            + "[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}]}\n\n";
    }

    private static HttpRequest streamRequest(GatewayServer gateway) {
        return gateway.request("/v1/chat/completions", KEY).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.chat("gpt-4o", true))).build();
    }

    /** Waits for something the gateway does asynchronously; fails after 10 s. Waits for an event, not for time. */
    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline)
                throw new AssertionError("not within 10 s: " + what);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private static DeploymentStats statsOf(GatewayServer gateway, String deploymentId) {
        return gateway.gateway().registry().backends().stream().flatMap(b -> b.deployments().stream())
            .filter(d -> d.id().equals(deploymentId)).findFirst()
            .map(d -> gateway.gateway().stats().stats(d)).orElseThrow();
    }

    @Test
    void aStreamResetAfterThreeChunksEndsWithAnErrorEventAndNoDoneAndCountsAgainstTheDeployment() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config(a, b, ""))) {
            a.enqueue(Reply.sseThenDrop(List.of(chunk("one"), chunk(" two"), chunk(" three"))));

            HttpResponse<InputStream> response = gateway.open(streamRequest(gateway));

            assertEquals(200, response.statusCode());
            List<String> contents = new ArrayList<>();
            Sse.Event last;
            try (Sse events = new Sse(response.body())) {
                List<Sse.Event> all = events.remaining();
                last = all.get(all.size() - 1);
                for (Sse.Event event : all.subList(0, all.size() - 1)) {
                    assertFalse(event.isDone(), "no [DONE] after a failure");
                    contents.add(event.json().getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("content"));
                }
            }
            assertEquals(List.of("one", " two", " three"), contents);
            assertEquals("error", last.event());
            assertEquals("backend_stream_failed", last.json().getJsonObject("error").getString("code"));

            HttpResponse<String> next = gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false));
            assertEquals("b", next.headers().firstValue(FakeBackend.BACKEND_HEADER).orElse(null), "a's breaker opened");
        }
    }

    @Test
    void aStreamThatGoesSilentLongerThanTheIdleTimeoutEndsWithAnErrorEvent() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config(a, b, ", timeouts: {idle: 300ms}"))) {
            StreamGate gate = new StreamGate();
            gate.release(0);
            a.enqueue(Reply.defaultReply().gatedBy(gate)); // role, "hello", then waits for a release that never comes

            HttpResponse<InputStream> response = gateway.open(streamRequest(gateway));
            try (Sse events = new Sse(response.body())) {
                List<Sse.Event> all = events.remaining();
                Sse.Event last = all.get(all.size() - 1);
                assertEquals("error", last.event());
                assertTrue(all.stream().noneMatch(Sse.Event::isDone));
            }
            gate.releaseAll();
        }
    }

    @Test
    void aClientThatGoesAwayAbortsTheUpstreamRequestAndIsNotABackendFailure() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config(a, b, ""))) {
            StreamGate gate = new StreamGate();
            gate.release(0);
            a.enqueue(Reply.defaultReply().gatedBy(gate));

            String body = Json.chat("gpt-4o", true);
            java.net.Socket client = new java.net.Socket(gateway.url().getHost(), gateway.url().getPort());
            client.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer " + KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            InputStream in = client.getInputStream();
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("hello")) {
                int c = in.read();
                assertTrue(c >= 0, "stream ended early: " + seen);
                seen.append((char)c);
            }
            DeploymentStats stats = statsOf(gateway, "a/gpt-4o");
            assertEquals(1, stats.inFlight());
            client.close(); // the client goes away

            gate.releaseAll(); // the backend keeps writing: the gateway's next write to the client fails
            await(() -> stats.inFlight() == 0, "the upstream request ended");
            assertEquals(0, stats.failed(), "cancelled, not failed");

            HttpResponse<String> next = gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false));
            assertEquals("a", next.headers().firstValue(FakeBackend.BACKEND_HEADER).orElse(null), "a's breaker is still closed");
            await(() -> gateway.gateway().retryBudget().requestsInFlight() == 0, "nothing left in flight");
        }
    }

    @Test
    void aThousandFailedStreamsLeaveNoThreadsNoRequestsInFlightAndNoConnectionsBehind() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config(a, b, "").replace("consecutive_failures: 1", "consecutive_failures: 100000, minimum_calls: 100000"))) {
            a.always(Reply.sseThenDrop(List.of(chunk("partial"))));
            long threadsBefore = upstreamThreads();

            for (int i = 0; i < 1000; i++) {
                HttpResponse<String> response = gateway.send(streamRequest(gateway));
                assertEquals(200, response.statusCode());
                // Cut after its content, or, when the cut arrives with the content before any of it was relayed,
                // failed over to b unseen: either way the client never gets a stream that looks whole but is not.
                String body = response.body();
                boolean cut = body.contains("backend_stream_failed");
                boolean failedOverUnseen = !body.contains("partial") && body.contains(" from b") && body.contains("[DONE]");
                assertTrue(cut || failedOverUnseen, "request " + i + ": " + body);
            }

            DeploymentStats stats = statsOf(gateway, "a/gpt-4o");
            await(() -> stats.inFlight() == 0 && gateway.gateway().retryBudget().requestsInFlight() == 0, "nothing in flight");
            assertEquals(1000, stats.failed());
            assertTrue(upstreamThreads() <= Math.max(threadsBefore, 8) + 4, "upstream threads " + upstreamThreads() + " (before: " + threadsBefore + ")");
            assertEquals(0, gateway.gateway().retryBudget().retriesInFlight());
        }
    }

    @Test
    void underATotalOutageTheRetryBudgetStopsRetriesMultiplyingTheLoad() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b"); FakeBackend c = FakeBackend.start("c");
             GatewayServer gateway = GatewayServer.start("""
                 tenants: [{name: team, keys: ["%s"], models: ["*"]}]
                 routing: {max_attempts: 3, retry_budget: {percent: 10, min_concurrent: 0}}
                 backends:
                   - {name: a, flavor: openai, endpoint: "%s/v1", models: [gpt-4o], circuit_breaker: {consecutive_failures: 100000, minimum_calls: 100000}}
                   - {name: b, flavor: openai, endpoint: "%s/v1", models: [gpt-4o], circuit_breaker: {consecutive_failures: 100000, minimum_calls: 100000}}
                   - {name: c, flavor: openai, endpoint: "%s/v1", models: [gpt-4o], circuit_breaker: {consecutive_failures: 100000, minimum_calls: 100000}}
                 """.formatted(KEY, a.url(), b.url(), c.url()))) {
            for (FakeBackend fake : List.of(a, b, c))
                fake.always(Reply.error(503, "server_error", null, "outage"));

            for (int i = 0; i < 50; i++)
                assertEquals(503, gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false)).statusCode());

            // One request in flight at a time: 10% of one is zero retries. Without a budget this would be 150.
            assertEquals(50, a.requestCount() + b.requestCount() + c.requestCount());
        }
    }

    private static long upstreamThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("aigateway-upstream")).count();
    }
}

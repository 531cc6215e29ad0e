package io.aigateway.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeBackendTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    private FakeBackend backend;

    @BeforeEach
    void start() {
        backend = FakeBackend.start("alpha");
    }

    @AfterEach
    void stop() {
        backend.close();
    }

    @Test
    void answersChatCompletionLikeOpenAi() throws Exception {
        HttpResponse<String> response = send(post("/v1/chat/completions", Json.chat("gpt-4o", false)));

        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        assertEquals("alpha", response.headers().firstValue(FakeBackend.BACKEND_HEADER).orElseThrow());
        JsonObject body = Json.parse(response.body());
        assertEquals("chatcmpl-alpha-1", body.getString("id"));
        assertEquals("chat.completion", body.getString("object"));
        assertEquals("gpt-4o", body.getString("model"));
        JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
        assertEquals("hello from alpha", choice.getJsonObject("message").getString("content"));
        assertEquals("stop", choice.getString("finish_reason"));
        assertEquals(8, body.getJsonObject("usage").getInt("total_tokens"));
    }

    @Test
    void recordsMethodPathQueryHeadersAndBody() throws Exception {
        String body = Json.chat("gpt-4o", false);
        send(post("/v1/chat/completions?trace=1", body).header("X-Custom", "one").build());

        RecordedRequest seen = backend.takeRequest();
        assertEquals("POST", seen.method());
        assertEquals("/v1/chat/completions", seen.path());
        assertEquals("trace=1", seen.query());
        assertEquals("1", seen.queryParam("trace"));
        assertEquals("one", seen.header("x-custom"));
        assertEquals("one", seen.headers().get("x-custom").get(0));
        assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), seen.body());
        assertEquals("gpt-4o", seen.json().getString("model"));
        assertEquals(1, backend.requestCount());
    }

    @Test
    void streamsChatOneEventAtATimeWhenGated() throws Exception {
        StreamGate gate = new StreamGate();
        backend.enqueue(Reply.defaultReply().gatedBy(gate));

        HttpResponse<InputStream> response = stream(post("/chat/completions", Json.chat("gpt-4o", true)));
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        try (Sse sse = new Sse(response.body())) {
            JsonObject role = sse.next().json();
            assertEquals("chat.completion.chunk", role.getString("object"));
            assertEquals("assistant", delta(role).getString("role"));
            assertFalse(gate.isSent(1), "the second event must wait for the gate");

            assertEquals(0, gate.releaseNext());
            assertEquals("hello", delta(sse.next().json()).getString("content"));
            gate.awaitSent(1);
            assertEquals(2, gate.sentCount());

            gate.releaseAll();
            List<Sse.Event> rest = sse.remaining();
            assertEquals(" from", delta(rest.get(0).json()).getString("content"));
            assertEquals(" alpha", delta(rest.get(1).json()).getString("content"));
            assertEquals("stop", rest.get(2).json().getJsonArray("choices").getJsonObject(0).getString("finish_reason"));
            assertTrue(rest.get(3).isDone());
            assertEquals(4, rest.size(), "no usage chunk unless asked for");
        }
    }

    @Test
    void sendsUsageChunkBeforeDoneWhenIncludeUsageIsSet() throws Exception {
        try (Sse sse = new Sse(stream(post("/v1/chat/completions", Json.chatWithUsage("gpt-4o"))).body())) {
            List<Sse.Event> events = sse.remaining();

            assertEquals(7, events.size());
            assertTrue(events.get(0).json().isNull("usage"));
            JsonObject usage = events.get(5).json();
            assertTrue(usage.getJsonArray("choices").isEmpty());
            assertEquals(8, usage.getJsonObject("usage").getInt("total_tokens"));
            assertTrue(events.get(6).isDone());
        }
    }

    @Test
    void rejectsAzureDatedPathWithoutApiVersion() throws Exception {
        HttpResponse<String> response = send(post("/openai/deployments/gpt4o-prod/chat/completions",
                Json.chat(null, false)));

        assertEquals(400, response.statusCode());
        assertEquals("MissingApiVersionParameter", Json.parse(response.body()).getJsonObject("error").getString("code"));
    }

    @Test
    void answersAzureDeploymentWithTheDeploymentAsModel() throws Exception {
        HttpResponse<String> response = send(post(
                "/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21", Json.chat(null, false)));

        assertEquals(200, response.statusCode());
        assertEquals("gpt4o-prod", Json.parse(response.body()).getString("model"));
        assertEquals("2024-10-21", backend.takeRequest().queryParam("api-version"));
    }

    @Test
    void createsRetrievesAndDeletesResponses() throws Exception {
        JsonObject created = Json.parse(send(post("/v1/responses", Json.response("gpt-4o", false))).body());
        String id = created.getString("id");
        assertEquals("resp_alpha_1", id);
        assertEquals("hello from alpha", created.getJsonArray("output").getJsonObject(0)
                .getJsonArray("content").getJsonObject(0).getString("text"));

        HttpResponse<String> retrieved = send(request("/v1/responses/" + id).GET().build());
        assertEquals(200, retrieved.statusCode());
        assertEquals(created, Json.parse(retrieved.body()));

        HttpResponse<String> deleted = send(request("/v1/responses/" + id).DELETE().build());
        assertEquals(200, deleted.statusCode());
        assertTrue(Json.parse(deleted.body()).getBoolean("deleted"));

        assertEquals(404, send(request("/v1/responses/" + id).GET().build()).statusCode());
    }

    @Test
    void streamsResponsesEventsWithoutDone() throws Exception {
        try (Sse sse = new Sse(stream(post("/openai/v1/responses", Json.response("gpt-4o", true))).body())) {
            List<Sse.Event> events = sse.remaining();

            assertEquals("response.created", events.get(0).event());
            assertEquals("response.output_text.delta", events.get(1).event());
            assertEquals("hello", events.get(1).json().getString("delta"));
            Sse.Event completed = events.get(events.size() - 1);
            assertEquals("response.completed", completed.event());
            assertEquals("completed", completed.json().getJsonObject("response").getString("status"));
        }
    }

    @Test
    void repliesWithEnqueuedErrorAndHeaderThenFallsBackToDefault() throws Exception {
        backend.enqueue(Reply.error(429, "requests", "rate_limit_exceeded", "Slow down")
                .withHeader("Retry-After", "7"));

        HttpResponse<String> limited = send(post("/v1/chat/completions", Json.chat("gpt-4o", false)));
        assertEquals(429, limited.statusCode());
        assertEquals("7", limited.headers().firstValue("retry-after").orElseThrow());
        JsonObject error = Json.parse(limited.body()).getJsonObject("error");
        assertEquals("rate_limit_exceeded", error.getString("code"));
        assertTrue(error.isNull("param"));

        assertEquals(200, send(post("/v1/chat/completions", Json.chat("gpt-4o", false))).statusCode());
    }

    @Test
    void droppedConnectionFailsTheClient() {
        backend.enqueue(Reply.dropConnection());

        assertThrows(IOException.class, () -> send(post("/v1/chat/completions", Json.chat("gpt-4o", false))));
        assertEquals(1, backend.requestCount());
    }

    @Test
    void sseThenDropCutsTheStreamAfterItsEvents() throws Exception {
        backend.enqueue(Reply.sseThenDrop(List.of("data: {\"n\":1}\n\n")));

        try (Sse sse = new Sse(stream(post("/v1/chat/completions", Json.chat("gpt-4o", true))).body())) {
            assertEquals(1, sse.next().json().getInt("n"));
            assertThrows(UncheckedIOException.class, sse::next);
        }
    }

    @Test
    void hungRequestIsAnsweredWhenReleased() throws Exception {
        Reply.Hang hang = Reply.hang();
        backend.enqueue(hang);

        CompletableFuture<HttpResponse<String>> pending = CLIENT.sendAsync(
                post("/v1/chat/completions", Json.chat("gpt-4o", false)).build(), BodyHandlers.ofString());
        hang.awaitHeld();
        assertFalse(pending.isDone());

        hang.release();
        assertEquals(200, pending.get(5, TimeUnit.SECONDS).statusCode());
    }

    @Test
    void closingTheBackendCutsAHungRequest() {
        Reply.Hang hang = Reply.hang();
        backend.enqueue(hang);

        CompletableFuture<HttpResponse<String>> pending = CLIENT.sendAsync(
                post("/v1/chat/completions", Json.chat("gpt-4o", false)).build(), BodyHandlers.ofString());
        hang.awaitHeld();
        backend.close();

        ExecutionException failure = assertThrows(ExecutionException.class, () -> pending.get(5, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, failure.getCause());
    }

    @Test
    void closingTheBackendCutsAGatedStream() throws Exception {
        StreamGate gate = new StreamGate();
        backend.enqueue(Reply.defaultReply().gatedBy(gate));

        try (Sse sse = new Sse(stream(post("/v1/chat/completions", Json.chat("gpt-4o", true))).body())) {
            sse.next();
            backend.close();
            assertThrows(UncheckedIOException.class, sse::next);
        }
    }

    @Test
    void refusedUrlRefusesConnections() {
        HttpRequest request = HttpRequest.newBuilder(FakeBackend.refusedUrl().resolve("/v1/models")).timeout(TIMEOUT).build();

        assertThrows(ConnectException.class, () -> CLIENT.send(request, BodyHandlers.ofString()));
    }

    @Test
    void answersUnknownPathWithOpenAiNotFound() throws Exception {
        HttpResponse<String> response = send(request("/v1/nope").GET().build());

        assertEquals(404, response.statusCode());
        assertEquals("invalid_request_error",
                Json.parse(response.body()).getJsonObject("error").getString("type"));
    }

    private static JsonObject delta(JsonObject chunk) {
        return chunk.getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
    }

    private HttpRequest.Builder request(String target) {
        return HttpRequest.newBuilder(URI.create(backend.url() + target)).timeout(TIMEOUT);
    }

    private HttpRequest.Builder post(String target, String json) {
        return request(target).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return send(request.build());
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return CLIENT.send(request, BodyHandlers.ofString());
    }

    private static HttpResponse<InputStream> stream(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = CLIENT.send(request.build(), BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        return response;
    }
}

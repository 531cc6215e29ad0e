package io.aigateway.deploy;

import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.Json;
import io.aigateway.testing.RecordedRequest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every deployment test shares: the packaged artifacts, a config, and the chat request that proves it works. */
final class Deployments {
    static final String KEY = "sk-deploy-test";
    static final String UPSTREAM_THREADS = "aigateway-upstream";

    private Deployments() {
    }

    static Path war() {
        return artifact("aigateway.war", "target/ai-gateway.war");
    }

    static Path standaloneJar() {
        return artifact("aigateway.standaloneJar", "target/ai-gateway-standalone.jar");
    }

    private static Path artifact(String property, String fallback) {
        Path path = Path.of(System.getProperty(property, fallback)).toAbsolutePath();
        assertTrue(Files.isRegularFile(path), path + " is missing: run 'mvn verify', which packages it first");
        return path;
    }

    static Path writeConfig(FakeBackend backend, int port) throws IOException {
        Path file = Files.createTempFile("deploy-", ".yaml");
        Files.writeString(file, """
            server: {port: %d, host: 127.0.0.1}
            tenants: [{name: deploy, keys: ["%s"], models: ["*"]}]
            backends:
              - {name: az, flavor: azure, endpoint: "%s", keys: [az-key], deployments: [{name: dep, model: gpt-4o}]}
            """.formatted(port, KEY, backend.url()));
        return file;
    }

    /** A plain and a streamed chat request through the deployed gateway reach the backend as Azure requests. */
    static void assertServesChat(URI gateway, FakeBackend backend) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> plain = client.send(chat(gateway, false), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, plain.statusCode(), plain.body());
        assertEquals("hello from " + backend.name(),
            Json.parse(plain.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"));
        RecordedRequest upstream = backend.takeRequest();
        assertEquals("/openai/deployments/dep/chat/completions", upstream.path());
        assertEquals("az-key", upstream.header("api-key"));

        HttpResponse<String> streamed = client.send(chat(gateway, true), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, streamed.statusCode());
        assertTrue(streamed.body().contains("data: [DONE]"), streamed.body());

        HttpResponse<String> unauthorized = client.send(HttpRequest.newBuilder(gateway.resolve("/v1/models")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(401, unauthorized.statusCode());
        assertTrue(unauthorized.body().contains("invalid_api_key"));
    }

    private static HttpRequest chat(URI gateway, boolean stream) {
        return HttpRequest.newBuilder(gateway.resolve("/v1/chat/completions"))
            .header("Authorization", "Bearer " + KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.chat("gpt-4o", stream)))
            .build();
    }

    /** Waits for the gateway's upstream threads to end (joining them, not sleeping) and returns any still alive. */
    static List<Thread> upstreamThreadsAfterJoin() throws InterruptedException {
        List<Thread> alive = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith(UPSTREAM_THREADS)) {
                thread.join(10_000);
                if (thread.isAlive())
                    alive.add(thread);
            }
        }
        return alive;
    }
}

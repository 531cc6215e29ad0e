package io.aigateway.security;

import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.aigateway.security.OpenAiErrorShape.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Traversal, encoded slashes, empty segments, path parameters and odd characters in the request path: each request
 * either gets the gateway's own 400/404 JSON error, or reaches the backend at exactly the documented upstream path,
 * never outside the endpoint's base path ({@code /v1} for the OpenAI backend, {@code /openai/deployments/...} for Azure).
 * Requests go over a raw socket so that no client normalizes the target first.
 */
class PathTraversalTest {
    static final String KEY = "sk-paths-test";

    static FakeBackend openai;
    static FakeBackend azure;
    static GatewayServer gateway;

    @BeforeAll
    static void start() {
        openai = FakeBackend.start("oai");
        azure = FakeBackend.start("azure");
        gateway = GatewayServer.start("""
            tenants:
              - {name: team, keys: ["%s"], models: ["*"]}
            backends:
              - {name: oai, flavor: openai, endpoint: "%s/v1", keys: [sk-backend], models: [gpt-4o]}
              - name: az
                flavor: azure
                endpoint: "%s"
                api_version: 2024-10-21
                keys: [az-backend]
                deployments:
                  - {name: prod-gpt4o, model: az-chat}
            """.formatted(KEY, openai.url(), azure.url()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        openai.close();
        azure.close();
    }

    @BeforeEach
    void clear() {
        openai.clearRequests();
        azure.clearRequests();
    }

    private static RawHttp.Response post(String target, String model) {
        return RawHttp.exchange(gateway.url(), RawHttp.post(target, KEY, Json.chat(model, false), "Connection: close"));
    }

    private static void assertNothingUpstream() {
        assertEquals(0, openai.requestCount() + azure.requestCount(),
            () -> "reached a backend: " + openai.requests() + " " + azure.requests());
    }

    /**
     * Refused by Jetty's URI compliance rules (ambiguous separators, segments, parameters; suspicious or illegal
     * characters; a path above the root) before the webapp sees the request: 400, nothing upstream. Jetty's own error
     * handler writes that answer (HTML), not the gateway: a finding for the launcher, which could install a
     * server-level error handler that renders OpenAI's shape.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "/v1/%2e%2e/x",
        "/v1/%2E%2E/%2E%2E/admin",
        "/v1/chat%2Fcompletions",
        "/v1/chat%2fcompletions",
        "/v1//chat/completions",
        "/v1/images//generations",
        "/v1/images/%2e%2e%2f%2e%2e%2fadmin",
        "/v1/images/..%2F..%2Fadmin",
        "/v1/images/generations%00",
        "/v1/images/gener%0d%0aX-Injected:%20yes",
        "/v1/images/%0d%0a",
        "/v1/images%5Cgenerations",
        "/v1/images/..;/..;/admin",
        "/openai/deployments/..%2Fgpt-4o/chat/completions",
        "/openai/deployments/az-chat%2F..%2F..%2Fadmin/chat/completions",
        "/openai/deployments/%2e%2e/chat/completions",
        "/v1/responses/..%2F..%2Fadmin",
        "/../../etc/passwd",
        "/v1/im\u00e4ges/generations",
        "/v1/\u30e2\u30c7\u30eb",
    })
    void trickPathIsRefusedByTheContainer(String target) {
        RawHttp.Response response = post(target, "gpt-4o");
        assertEquals(400, response.status(), () -> target + " -> " + response);
        assertNothingUpstream();
    }

    /** Paths that reach the webapp but no route: the gateway's own 404 in OpenAI's shape, nothing upstream. */
    @ParameterizedTest
    @ValueSource(strings = {
        "/v1/../admin",
        "/admin",
        "/openai/deployments/az-chat/chat/completions/../../../../admin",
        "/openai/deployments/az-chat/chat/completions/extra",
        "/openai/admin",
        "/v1/responses/resp_1%3Fx=1",
        "/v1/responses/resp%20x",
        "/v1/responses/resp_1%23frag",
        "/v1/im%C3%A4ges/generations",
        "/v1/images/g%E2%80%AEenerations",
        "/v1/%F0%9F%98%80",
        "/v1/images/%20",
        "/v1/models/../../admin",
    })
    void trickPathIsRefusedByTheGatewayWithA404(String target) {
        assertError(post(target, "gpt-4o"), 404, "unknown_url");
        assertNothingUpstream();
    }

    /** A model path segment that normalizes to another name is just an unknown model: 404 model_not_found. */
    @ParameterizedTest
    @ValueSource(strings = {
        "/openai/deployments/az-chat;x=../../admin/chat/completions?api-version=2024-10-21",
        "/openai/deployments/az-chat/../admin/chat/completions",
    })
    void azureModelSegmentThatNormalizesToAnotherNameIsAnUnknownModel(String target) {
        assertError(post(target, null), 404, "model_not_found");
        assertNothingUpstream();
    }

    /**
     * Paths the container normalizes or strips to a documented route reach the backend at exactly that route's
     * upstream path, inside the endpoint's base path.
     */
    @ParameterizedTest
    @CsvSource({
        "/v1/chat/completions;jsessionid=ABC123,                 /v1/chat/completions",
        "/v1/chat;x=1/completions,                               /v1/chat/completions",
        "/v1/chat/completions/../../v1/chat/completions,         /v1/v1/chat/completions",
        "/v1/chat/completions/../../x,                           /v1/x",
        "/v1/images/./generations,                               /v1/images/generations",
        "/openai/v1/chat/completions;jsessionid=ABC,             /v1/chat/completions",
    })
    void normalizedPathReachesTheDocumentedUpstreamPath(String target, String upstreamPath) {
        RawHttp.Response response = post(target, "gpt-4o");
        // The fake answers what it does not serve with its own 404: what matters is that it, and only it, answered.
        assertEquals("oai", response.header(FakeBackend.BACKEND_HEADER), () -> target + " -> " + response);
        RecordedRequest seen = openai.takeRequest();
        assertEquals(upstreamPath, seen.path(), target);
        assertEquals(1, openai.requestCount());
        assertEquals(0, azure.requestCount());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/openai/deployments/az-chat/chat/completions;jsessionid=1?api-version=2024-10-21",
        "/openai/deployments/az-chat;v=1/chat/completions?api-version=2024-10-21",
        "/openai/deployments/az-chat/./chat/completions?api-version=2024-10-21",
    })
    void azurePathWithParametersReachesTheDeploymentPath(String target) {
        RawHttp.Response response = post(target, null);
        assertEquals(200, response.status(), () -> target + " -> " + response);
        RecordedRequest seen = azure.takeRequest();
        assertEquals("/openai/deployments/prod-gpt4o/chat/completions", seen.path());
        assertEquals("2024-10-21", seen.queryParam("api-version"));
        assertEquals(0, openai.requestCount());
    }

    /** An encoded CR LF in the query stays encoded: the upstream request line and headers are untouched. */
    @ParameterizedTest
    @ValueSource(strings = {"x=%0d%0a", "x=%0D%0AX-Injected:%20yes", "x=a%20b&y=%23%2F..%2F"})
    void queryWithEncodedControlCharactersPassesThroughStillEncoded(String query) {
        RawHttp.Response response = post("/v1/images/generations?" + query, "gpt-4o");
        assertEquals("oai", response.header(FakeBackend.BACKEND_HEADER), response::toString);
        RecordedRequest seen = openai.takeRequest();
        assertEquals("/v1/images/generations", seen.path());
        assertEquals(query, seen.query());
        assertEquals(null, seen.header("X-Injected"));
    }
}

package io.aigateway.routing.probe;

import io.aigateway.registry.Registry;
import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.RecordedRequest;
import io.aigateway.testing.Reply;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static io.aigateway.routing.probe.ProbeFixtures.AZURE_KEY;
import static io.aigateway.routing.probe.ProbeFixtures.OPENAI_KEY;
import static io.aigateway.routing.probe.ProbeFixtures.registry;
import static io.aigateway.routing.probe.ProbeFixtures.thresholds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request each flavor's default probe sends, as a real backend receives it. */
class FlavorProbesTest {
    private final HttpClient client = new HttpClient();
    private final RecordingListener listener = new RecordingListener();
    private FakeBackend backend;

    @BeforeEach
    void start() throws Exception {
        client.start();
        // Configured like the proxy's own client, which the checker shares.
        client.getProtocolHandlers().clear();
        backend = FakeBackend.start("probed");
    }

    @AfterEach
    void stop() throws Exception {
        backend.close();
        client.stop();
    }

    private RecordedRequest probeOnce(Registry registry) throws Exception {
        new HealthChecker(registry, client, client.getScheduler(), listener).probeNow().get(10, TimeUnit.SECONDS);
        assertEquals(1, backend.requestCount(), "one probe per backend");
        return backend.takeRequest();
    }

    @Test
    void openAiProbeListsModelsWithBearerKey() throws Exception {
        RecordedRequest probe = probeOnce(ProbeFixtures.openAi(backend.url(), thresholds("5s")));

        assertEquals("GET", probe.method());
        assertEquals("/v1/models", probe.path());
        assertNull(probe.query());
        assertEquals("Bearer " + OPENAI_KEY, probe.header("Authorization"));
        assertNull(probe.header("api-key"));
        assertEquals(0, probe.body().length);
        assertTrue(listener.lastResult().healthy(), listener.events().toString());
        assertEquals("HTTP 200", listener.lastResult().reason());
    }

    @Test
    void azureProbeListsModelsWithApiVersionAndApiKey() throws Exception {
        RecordedRequest probe = probeOnce(registry("""
              - name: azure
                flavor: azure
                endpoint: %s
                keys: [%s]
                health_check: {%s}
                deployments:
                  - {name: gpt4o-prod, model: gpt-4o}
            """.formatted(backend.url(), AZURE_KEY, thresholds("5s"))));

        assertEquals("GET", probe.method());
        assertEquals("/openai/models", probe.path());
        assertEquals("api-version=2024-10-21", probe.query());
        assertEquals(AZURE_KEY, probe.header("api-key"));
        assertNull(probe.header("Authorization"));
        assertTrue(listener.lastResult().healthy(), listener.events().toString());
    }

    @Test
    void azureProbeUsesTheConfiguredApiVersion() throws Exception {
        RecordedRequest probe = probeOnce(registry("""
              - name: azure
                flavor: azure
                endpoint: %s
                api_version: 2025-04-01-preview
                keys: [%s]
                health_check: {%s}
                deployments:
                  - {name: gpt4o-prod, model: gpt-4o}
            """.formatted(backend.url(), AZURE_KEY, thresholds("5s"))));

        assertEquals("2025-04-01-preview", probe.queryParam("api-version"));
    }

    @Test
    void azureV1ProbeListsModelsWithApiKey() throws Exception {
        RecordedRequest probe = probeOnce(registry("""
              - name: azure-v1
                flavor: azure-v1
                endpoint: %s
                keys: [%s]
                health_check: {%s}
                deployments:
                  - {name: gpt4o-prod, model: gpt-4o}
            """.formatted(backend.url(), AZURE_KEY, thresholds("5s"))));

        assertEquals("GET", probe.method());
        assertEquals("/openai/v1/models", probe.path());
        assertNull(probe.query());
        assertEquals(AZURE_KEY, probe.header("api-key"));
        assertNull(probe.header("Authorization"));
        assertTrue(listener.lastResult().healthy(), listener.events().toString());
    }

    @Test
    void probeCarriesTheBackendsExtraHeaders() throws Exception {
        RecordedRequest probe = probeOnce(registry("""
              - name: openai
                flavor: openai
                endpoint: %s/v1
                keys: [%s]
                headers: {OpenAI-Organization: org-probe}
                health_check: {%s}
                models: [gpt-4o-mini]
            """.formatted(backend.url(), OPENAI_KEY, thresholds("5s"))));

        assertEquals("org-probe", probe.header("OpenAI-Organization"));
    }

    @Test
    void backendWithoutKeysIsProbedWithoutAuthHeader() throws Exception {
        RecordedRequest probe = probeOnce(registry("""
              - name: local
                flavor: openai
                endpoint: %s/v1
                keys: []
                health_check: {%s}
                models: [llama]
            """.formatted(backend.url(), thresholds("5s"))));

        assertEquals("/v1/models", probe.path());
        assertNull(probe.header("Authorization"));
        assertNull(probe.header("api-key"));
    }

    @Test
    void azureModelsNotFoundIsUnhealthy() throws Exception {
        backend.always(Reply.azureError(404, "404", "Resource not found"));
        probeOnce(registry("""
              - name: azure
                flavor: azure
                endpoint: %s
                keys: [%s]
                health_check: {%s}
                deployments:
                  - {name: gpt4o-prod, model: gpt-4o}
            """.formatted(backend.url(), AZURE_KEY, thresholds("5s"))));

        assertFalse(listener.lastResult().healthy());
        assertEquals("HTTP 404: probe path not found", listener.lastResult().reason());
    }

    @Test
    void rejectedKeyIsUnhealthy() throws Exception {
        backend.always(Reply.error(401, "invalid_request_error", "invalid_api_key",
            "Incorrect API key provided: " + OPENAI_KEY));
        probeOnce(ProbeFixtures.openAi(backend.url(), thresholds("5s")));

        assertFalse(listener.lastResult().healthy());
        assertEquals("HTTP 401: key rejected", listener.lastResult().reason());
    }

    @Test
    void forbiddenIsUnhealthy() throws Exception {
        backend.always(Reply.azureError(403, "AuthenticationTypeDisabled", "Key based authentication is disabled"));
        probeOnce(ProbeFixtures.openAi(backend.url(), thresholds("5s")));

        assertFalse(listener.lastResult().healthy());
        assertEquals("HTTP 403: key rejected", listener.lastResult().reason());
    }
}

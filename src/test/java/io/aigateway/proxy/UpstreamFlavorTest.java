package io.aigateway.proxy;

import io.aigateway.config.ConfigLoader;
import io.aigateway.config.Flavor;
import io.aigateway.registry.Deployment;
import io.aigateway.registry.Registry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UpstreamFlavorTest {
    private static final Registry REGISTRY = Registry.of(new ConfigLoader(name -> null).parse("""
        backends:
          - name: oai
            flavor: openai
            endpoint: https://api.openai.com/v1/
            keys: []
            deployments:
              - {name: gpt-4o-2024-08-06, model: gpt-4o}
          - name: local
            flavor: openai
            endpoint: http://localhost:11434/v1
            keys: []
            deployments:
              - {name: "llama3.1:8b", model: llama}
          - name: az
            flavor: azure
            endpoint: https://eu.openai.azure.com
            api_version: 2025-03-01-preview
            keys: []
            deployments:
              - {name: gpt4o-eu, model: gpt-4o}
              - {name: "gpt 4o mini", model: mini}
              - {name: "team/gpt-4o", model: slash}
              - {name: "mod\u00e8le", model: accented}
          - name: az-default
            flavor: azure
            endpoint: https://us.openai.azure.com/
            keys: []
            deployments:
              - {name: gpt4o-us, model: gpt-4o}
          - name: azv1
            flavor: azure-v1
            endpoint: https://v1.openai.azure.com
            keys: []
            deployments:
              - {name: gpt4o-v1, model: gpt-4o}
        """, "test"));

    /** deployment id, method, client path, client query → the upstream URL. */
    static Stream<Arguments> urls() {
        return Stream.of(
            url("oai/gpt-4o-2024-08-06", "POST", "/v1/chat/completions", null,
                "https://api.openai.com/v1/chat/completions"),
            url("oai/gpt-4o-2024-08-06", "POST", "/v1/completions", null, "https://api.openai.com/v1/completions"),
            url("oai/gpt-4o-2024-08-06", "POST", "/v1/embeddings", null, "https://api.openai.com/v1/embeddings"),
            url("oai/gpt-4o-2024-08-06", "POST", "/v1/responses", null, "https://api.openai.com/v1/responses"),
            url("oai/gpt-4o-2024-08-06", "GET", "/v1/responses/resp_1", null,
                "https://api.openai.com/v1/responses/resp_1"),
            url("oai/gpt-4o-2024-08-06", "GET", "/v1/responses/resp_1/input_items", "limit=5&order=asc",
                "https://api.openai.com/v1/responses/resp_1/input_items?limit=5&order=asc"),
            url("oai/gpt-4o-2024-08-06", "POST", "/v1/images/generations", null,
                "https://api.openai.com/v1/images/generations"),
            url("oai/gpt-4o-2024-08-06", "GET", "/v1/files", "purpose=batch",
                "https://api.openai.com/v1/files?purpose=batch"),
            url("oai/gpt-4o-2024-08-06", "POST", "/openai/deployments/gpt-4o/chat/completions", null,
                "https://api.openai.com/v1/chat/completions"),
            url("oai/gpt-4o-2024-08-06", "POST", "/openai/v1/embeddings", null, "https://api.openai.com/v1/embeddings"),
            url("local/llama3.1:8b", "POST", "/v1/chat/completions", "x=1",
                "http://localhost:11434/v1/chat/completions?x=1"),
            url("az/gpt4o-eu", "POST", "/v1/chat/completions", null,
                "https://eu.openai.azure.com/openai/deployments/gpt4o-eu/chat/completions"
                    + "?api-version=2025-03-01-preview"),
            url("az/gpt4o-eu", "POST", "/v1/completions", null,
                "https://eu.openai.azure.com/openai/deployments/gpt4o-eu/completions?api-version=2025-03-01-preview"),
            url("az/gpt4o-eu", "POST", "/openai/deployments/gpt-4o/embeddings", null,
                "https://eu.openai.azure.com/openai/deployments/gpt4o-eu/embeddings?api-version=2025-03-01-preview"),
            url("az/gpt4o-eu", "POST", "/v1/responses", null,
                "https://eu.openai.azure.com/openai/responses?api-version=2025-03-01-preview"),
            url("az/gpt4o-eu", "DELETE", "/v1/responses/resp_1", null,
                "https://eu.openai.azure.com/openai/responses/resp_1?api-version=2025-03-01-preview"),
            url("az/gpt4o-eu", "GET", "/openai/responses/resp_1/input_items", "limit=5",
                "https://eu.openai.azure.com/openai/responses/resp_1/input_items?api-version=2025-03-01-preview"
                    + "&limit=5"),
            url("az/gpt 4o mini", "POST", "/v1/chat/completions", null,
                "https://eu.openai.azure.com/openai/deployments/gpt%204o%20mini/chat/completions"
                    + "?api-version=2025-03-01-preview"),
            url("az/team/gpt-4o", "POST", "/v1/embeddings", "x=1",
                "https://eu.openai.azure.com/openai/deployments/team%2Fgpt-4o/embeddings"
                    + "?api-version=2025-03-01-preview&x=1"),
            url("az/mod\u00e8le", "POST", "/v1/chat/completions", null,
                "https://eu.openai.azure.com/openai/deployments/mod%C3%A8le/chat/completions"
                    + "?api-version=2025-03-01-preview"),
            url("az-default/gpt4o-us", "POST", "/v1/chat/completions", null,
                "https://us.openai.azure.com/openai/deployments/gpt4o-us/chat/completions?api-version=2024-10-21"),
            url("azv1/gpt4o-v1", "POST", "/v1/chat/completions", null,
                "https://v1.openai.azure.com/openai/v1/chat/completions"),
            url("azv1/gpt4o-v1", "POST", "/v1/completions", null, "https://v1.openai.azure.com/openai/v1/completions"),
            url("azv1/gpt4o-v1", "POST", "/openai/deployments/gpt-4o/embeddings", "x=1",
                "https://v1.openai.azure.com/openai/v1/embeddings?x=1"),
            url("azv1/gpt4o-v1", "POST", "/openai/v1/responses", null,
                "https://v1.openai.azure.com/openai/v1/responses"),
            url("azv1/gpt4o-v1", "GET", "/v1/responses/resp_9/input_items", "after=item_1",
                "https://v1.openai.azure.com/openai/v1/responses/resp_9/input_items?after=item_1"));
    }

    @ParameterizedTest(name = "{0}: {1} {2}?{3}")
    @MethodSource("urls")
    void buildsTheExactUpstreamUrl(String deploymentId, String method, String path, String query, String expected) {
        Deployment deployment = deployment(deploymentId);
        UpstreamFlavor flavor = Flavors.of(deployment.backend().flavor());

        assertEquals(expected, flavor.url(deployment, inbound(method, path), query));
    }

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"AZURE", "AZURE_V1"})
    void azureFlavorsDoNotServePassThrough(Flavor flavor) {
        Deployment deployment = deployment(flavor == Flavor.AZURE ? "az/gpt4o-eu" : "azv1/gpt4o-v1");
        UpstreamFlavor upstream = Flavors.of(flavor);

        assertFalse(upstream.supports(Operation.PASSTHROUGH));
        assertNull(upstream.url(deployment, inbound("POST", "/v1/images/generations"), null));
        assertNull(upstream.url(deployment, inbound("GET", "/v1/files"), "purpose=batch"));
    }

    @ParameterizedTest
    @EnumSource(value = Operation.class, names = "PASSTHROUGH", mode = EnumSource.Mode.EXCLUDE)
    void everyFlavorServesEveryOtherOperation(Operation operation) {
        for (Flavor flavor : Flavor.values()) {
            assertTrue(Flavors.of(flavor).supports(operation), flavor + " " + operation);
        }
    }

    @Test
    void openAiFlavorServesPassThrough() {
        assertTrue(Flavors.of(Flavor.OPENAI).supports(Operation.PASSTHROUGH));
    }

    @Test
    void eachConfigFlavorHasItsUpstreamFlavor() {
        assertInstanceOf(OpenAiFlavor.class, Flavors.of(Flavor.OPENAI));
        assertInstanceOf(AzureFlavor.class, Flavors.of(Flavor.AZURE));
        assertInstanceOf(AzureV1Flavor.class, Flavors.of(Flavor.AZURE_V1));
    }

    private static Arguments url(String deploymentId, String method, String path, String query, String expected) {
        return Arguments.of(deploymentId, method, path, query, expected);
    }

    private static Inbound inbound(String method, String path) {
        Inbound inbound = Inbound.parse(method, path).inbound();
        assertNotNull(inbound, method + " " + path);
        return inbound;
    }

    private static Deployment deployment(String id) {
        return REGISTRY.backends().stream()
            .flatMap(backend -> backend.deployments().stream())
            .filter(deployment -> deployment.id().equals(id))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no deployment " + id));
    }
}

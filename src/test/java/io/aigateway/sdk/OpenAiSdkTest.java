package io.aigateway.sdk;

import com.openai.azure.AzureOpenAIServiceVersion;
import com.openai.azure.AzureUrlPathMode;
import com.openai.azure.credential.AzureApiKeyCredential;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The official OpenAI Java SDK, pointed at the gateway as an OpenAI base URL, as an Azure OpenAI resource (dated
 * deployment paths) and as an Azure v1 base URL, gets chat (plain and streamed), embeddings, responses and the model
 * list from OpenAI-flavor and Azure-flavor backends.
 */
class OpenAiSdkTest {
    static final String KEY = "sk-sdk-test-key";

    static FakeBackend openai;
    static FakeBackend azure;
    static GatewayServer gateway;

    @BeforeAll
    static void start() {
        openai = FakeBackend.start("openai");
        azure = FakeBackend.start("azure");
        gateway = GatewayServer.start("""
            tenants: [{name: sdk, keys: ["%s"], models: ["*"]}]
            backends:
              - {name: oai, flavor: openai, endpoint: "%s/v1", keys: [sk-upstream], models: [gpt-4o-mini, text-embedding-3-small]}
              - name: az
                flavor: azure
                endpoint: "%s"
                api_version: 2025-03-01-preview
                keys: [azure-upstream]
                deployments: [{name: chat-deployment, model: azure-chat}, {name: embed-deployment, model: azure-embed}]
            """.formatted(KEY, openai.url(), azure.url()));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        openai.close();
        azure.close();
    }

    static OpenAIClient openAiStyle() {
        return OpenAIOkHttpClient.builder().apiKey(KEY).baseUrl(gateway.url() + "/v1").maxRetries(0).build();
    }

    static OpenAIClient azureStyle() {
        return OpenAIOkHttpClient.builder()
            .baseUrl(gateway.url().toString())
            .credential(AzureApiKeyCredential.create(KEY))
            .azureServiceVersion(AzureOpenAIServiceVersion.getV2024_10_21())
            .azureUrlPathMode(AzureUrlPathMode.LEGACY)
            .maxRetries(0)
            .build();
    }

    static OpenAIClient azureV1Style() {
        return OpenAIOkHttpClient.builder().apiKey(KEY).baseUrl(gateway.url() + "/openai/v1").maxRetries(0).build();
    }

    @Test
    void chatPlainAndStreamedThroughEveryClientStyleToEveryBackendFlavor() {
        for (OpenAIClient client : List.of(openAiStyle(), azureStyle(), azureV1Style())) {
            for (String model : List.of("gpt-4o-mini", "azure-chat")) {
                String backend = model.startsWith("azure") ? "azure" : "openai";
                ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                    .model(model).addUserMessage("Say hello").build();

                ChatCompletion completion = client.chat().completions().create(params);
                assertEquals("hello from " + backend, completion.choices().get(0).message().content().orElseThrow());

                try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
                    String text = stream.stream()
                        .flatMap(chunk -> chunk.choices().stream())
                        .map(choice -> choice.delta().content().orElse(""))
                        .collect(Collectors.joining());
                    assertEquals("hello from " + backend, text);
                }
            }
            client.close();
        }
    }

    @Test
    void embeddingsFromBothFlavors() {
        for (OpenAIClient client : List.of(openAiStyle(), azureStyle())) {
            for (String model : List.of("text-embedding-3-small", "azure-embed")) {
                CreateEmbeddingResponse response = client.embeddings().create(
                    EmbeddingCreateParams.builder().model(model).input("hello").build());
                assertEquals(3, response.data().get(0).embedding().size());
            }
            client.close();
        }
    }

    @Test
    void responsesCreateAndRetrieveFromBothFlavors() {
        OpenAIClient client = openAiStyle();
        for (String model : List.of("gpt-4o-mini", "azure-chat")) {
            Response created = client.responses().create(ResponseCreateParams.builder().model(model).input("Say hello").build());
            Response fetched = client.responses().retrieve(created.id());
            assertEquals(created.id(), fetched.id());
            assertFalse(created.output().isEmpty());
        }
        client.close();
    }

    @Test
    void modelListShowsThePublicNames() {
        OpenAIClient client = openAiStyle();
        List<String> ids = client.models().list().data().stream().map(Model::id).sorted().toList();
        assertEquals(List.of("azure-chat", "azure-embed", "gpt-4o-mini", "text-embedding-3-small"), ids);
        client.close();
    }
}

package io.aigateway.proxy;

import io.aigateway.api.ApiError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.aigateway.proxy.Operation.CHAT_COMPLETIONS;
import static io.aigateway.proxy.Operation.COMPLETIONS;
import static io.aigateway.proxy.Operation.EMBEDDINGS;
import static io.aigateway.proxy.Operation.PASSTHROUGH;
import static io.aigateway.proxy.Operation.RESPONSES;
import static io.aigateway.proxy.Operation.RESPONSE_ITEM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class InboundTest {

    /** method, path → operation, path model, response id, sub-path. */
    static Stream<Arguments> understoodPaths() {
        return Stream.of(
            Arguments.of("POST", "/v1/chat/completions", CHAT_COMPLETIONS, null, null, ""),
            Arguments.of("POST", "/v1/completions", COMPLETIONS, null, null, ""),
            Arguments.of("POST", "/v1/embeddings", EMBEDDINGS, null, null, ""),
            Arguments.of("POST", "/v1/responses", RESPONSES, null, null, ""),
            Arguments.of("GET", "/v1/responses/resp_1", RESPONSE_ITEM, null, "resp_1", ""),
            Arguments.of("DELETE", "/v1/responses/resp_1", RESPONSE_ITEM, null, "resp_1", ""),
            Arguments.of("GET", "/v1/responses/resp_1/input_items", RESPONSE_ITEM, null, "resp_1", "/input_items"),
            Arguments.of("POST", "/v1/responses/resp_1/cancel", RESPONSE_ITEM, null, "resp_1", "/cancel"),
            Arguments.of("POST", "/v1/images/generations", PASSTHROUGH, null, null, "images/generations"),
            Arguments.of("GET", "/v1/files", PASSTHROUGH, null, null, "files"),
            Arguments.of("POST", "/v1/audio/transcriptions", PASSTHROUGH, null, null, "audio/transcriptions"),
            Arguments.of("POST", "/openai/v1/chat/completions", CHAT_COMPLETIONS, null, null, ""),
            Arguments.of("POST", "/openai/v1/embeddings", EMBEDDINGS, null, null, ""),
            Arguments.of("POST", "/openai/v1/responses", RESPONSES, null, null, ""),
            Arguments.of("GET", "/openai/v1/responses/resp_3/input_items", RESPONSE_ITEM, null, "resp_3",
                "/input_items"),
            Arguments.of("POST", "/openai/deployments/gpt-4o/chat/completions", CHAT_COMPLETIONS, "gpt-4o", null, ""),
            Arguments.of("POST", "/openai/deployments/gpt-4o/completions", COMPLETIONS, "gpt-4o", null, ""),
            Arguments.of("POST", "/openai/deployments/gpt-4o/embeddings", EMBEDDINGS, "gpt-4o", null, ""),
            Arguments.of("POST", "/openai/deployments/gpt-4o/responses", RESPONSES, "gpt-4o", null, ""),
            Arguments.of("POST", "/openai/responses", RESPONSES, null, null, ""),
            Arguments.of("GET", "/openai/responses/resp_2", RESPONSE_ITEM, null, "resp_2", ""),
            Arguments.of("POST", "/v1/chat/completions/", CHAT_COMPLETIONS, null, null, ""),
            Arguments.of("POST", "/openai/deployments/gpt-4o/chat/completions/", CHAT_COMPLETIONS, "gpt-4o", null,
                ""),
            Arguments.of("GET", "/v1/responses/resp_1/", RESPONSE_ITEM, null, "resp_1", ""));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("understoodPaths")
    void understandsOperationModelAndResponseIdFromThePath(String method, String path, Operation operation,
            String pathModel, String responseId, String subPath) {
        Inbound.Parsed parsed = Inbound.parse(method, path);

        assertNull(parsed.error(), () -> String.valueOf(parsed.error()));
        assertEquals(new Inbound(operation, pathModel, responseId, subPath), parsed.inbound());
    }

    /** method, path → the status and code of the error to answer. */
    static Stream<Arguments> rejectedPaths() {
        return Stream.of(
            Arguments.of("GET", "/v1/chat/completions", 405),
            Arguments.of("PUT", "/v1/embeddings", 405),
            Arguments.of("GET", "/v1/responses", 405),
            Arguments.of("POST", "/v1/responses/resp_1", 405),
            Arguments.of("DELETE", "/v1/responses/resp_1/input_items", 405),
            Arguments.of("GET", "/openai/deployments/gpt-4o/chat/completions", 405),
            Arguments.of("GET", "/openai/deployments/gpt-4o/embeddings", 405),
            Arguments.of("POST", "/v1/../admin", 404),
            Arguments.of("POST", "/v1/..", 404),
            Arguments.of("POST", "/v1/./chat/completions", 404),
            Arguments.of("POST", "/v1/%2e%2e/admin", 404),
            Arguments.of("POST", "/v1/%2e%2e", 404),
            Arguments.of("POST", "/v1/responses/..", 404),
            Arguments.of("POST", "/openai/deployments/../chat/completions", 404),
            Arguments.of("POST", "/v1//chat/completions", 404),
            Arguments.of("POST", "/v1/chat/completions//", 404),
            Arguments.of("POST", "/v1/chat completions", 404),
            Arguments.of("POST", "/v1/chat/completions?x=1", 404),
            Arguments.of("POST", "/openai/unknown", 404),
            Arguments.of("POST", "/openai/v1", 404),
            Arguments.of("POST", "/openai/deployments/gpt-4o", 404),
            Arguments.of("POST", "/openai/deployments/gpt-4o/images/generations", 404),
            Arguments.of("GET", "/v1/models/gpt-4o/extra", 404),
            Arguments.of("POST", "/v1", 404),
            Arguments.of("POST", "/v1/", 404),
            Arguments.of("POST", "/", 404),
            Arguments.of("POST", "", 404),
            Arguments.of("POST", "/v2/chat/completions", 404),
            Arguments.of("POST", "v1/chat/completions", 404));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("rejectedPaths")
    void rejectsUnknownPathsWith404AndWrongMethodsWith405(String method, String path, int status) {
        Inbound.Parsed parsed = Inbound.parse(method, path);

        assertNull(parsed.inbound(), () -> String.valueOf(parsed.inbound()));
        ApiError error = parsed.error();
        assertNotNull(error);
        assertEquals(status, error.status());
        assertEquals(status == 404 ? "unknown_url" : "method_not_allowed", error.code());
    }
}

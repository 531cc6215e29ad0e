package io.aigateway.security;

import io.aigateway.testing.Json;
import jakarta.json.JsonObject;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Asserts that an answer is the gateway's own error: the status, JSON, and OpenAI's four fields. */
final class OpenAiErrorShape {
    private OpenAiErrorShape() {
    }

    static JsonObject assertError(HttpResponse<String> response, int status, String code) {
        return assertError(status, code, response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), response.body());
    }

    static JsonObject assertError(RawHttp.Response response, int status, String code) {
        return assertError(status, code, response.status(), response.header("content-type"), response.text());
    }

    /** @param code the expected {@code error.code}, or null to accept any */
    static JsonObject assertError(int status, String code, int actualStatus, String contentType, String body) {
        assertEquals(status, actualStatus, body);
        assertTrue(contentType != null && contentType.startsWith("application/json"), "content type " + contentType + ": " + body);
        JsonObject error = Json.parse(body).getJsonObject("error");
        assertTrue(error != null && error.containsKey("message") && error.containsKey("type") && error.containsKey("param")
            && error.containsKey("code"), "OpenAI error shape: " + body);
        if (code != null)
            assertEquals(code, error.getString("code"), body);
        return error;
    }
}

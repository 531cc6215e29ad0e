package io.aigateway.proxy.stream;

import io.aigateway.json.Json;
import jakarta.json.JsonValue;
import jakarta.json.JsonWriter;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Compact JSON text, as OpenAI writes it. */
final class Jsons {
    private Jsons() {
    }

    static String text(JsonValue value) {
        StringWriter out = new StringWriter();
        try (JsonWriter writer = Json.createWriter(out)) {
            writer.write(value);
        }
        return out.toString();
    }

    static byte[] bytes(JsonValue value) {
        return text(value).getBytes(StandardCharsets.UTF_8);
    }
}

package io.aigateway.testing;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import java.io.StringReader;

/** Parses JSON replies and builds minimal request bodies for the OpenAI endpoints. */
public final class Json {

    private Json() {
    }

    /** Parses a JSON object; throws {@link jakarta.json.JsonException} if the text is not one. */
    public static JsonObject parse(String text) {
        try (JsonReader reader = jakarta.json.Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    /** A fresh builder, for bodies the helpers below do not cover. */
    public static JsonObjectBuilder object() {
        return jakarta.json.Json.createObjectBuilder();
    }

    /** {@code {"model":…,"messages":[{"role":"user","content":"Say hello"}],"stream":…}}. */
    public static String chat(String model, boolean stream) {
        return chatBuilder(model, stream).build().toString();
    }

    /** A streamed chat request that also asks for the final usage chunk. */
    public static String chatWithUsage(String model) {
        return chatBuilder(model, true)
                .add("stream_options", object().add("include_usage", true))
                .build().toString();
    }

    /** {@code {"model":…,"prompt":"Say hello","stream":…}} for the legacy completions endpoint. */
    public static String completion(String model, boolean stream) {
        return withModel(model).add("prompt", "Say hello").add("stream", stream).build().toString();
    }

    /** {@code {"model":…,"input":"…"}} with one input, or an array when given several. */
    public static String embeddings(String model, String... inputs) {
        JsonObjectBuilder body = withModel(model);
        if (inputs.length == 1) {
            body.add("input", inputs[0]);
        } else {
            JsonArrayBuilder array = jakarta.json.Json.createArrayBuilder();
            for (String input : inputs) {
                array.add(input);
            }
            body.add("input", array);
        }
        return body.build().toString();
    }

    /** {@code {"model":…,"input":"Say hello","stream":…}} for the Responses API. */
    public static String response(String model, boolean stream) {
        return withModel(model).add("input", "Say hello").add("stream", stream).build().toString();
    }

    private static JsonObjectBuilder chatBuilder(String model, boolean stream) {
        return withModel(model)
                .add("messages", jakarta.json.Json.createArrayBuilder()
                        .add(object().add("role", "user").add("content", "Say hello")))
                .add("stream", stream);
    }

    // Azure dated deployment paths carry the model in the URL, so a body without one is legitimate.
    private static JsonObjectBuilder withModel(String model) {
        JsonObjectBuilder body = object();
        if (model != null) {
            body.add("model", model);
        }
        return body;
    }
}

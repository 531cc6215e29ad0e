package io.aigateway.proxy.stream;

import io.aigateway.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Synthesises the OpenAI event stream of a non-stream reply, for a client that asked {@code stream:true} of a
 * deployment that only answers JSON. A {@code chat.completion} becomes {@code chat.completion.chunk}s (per choice: a
 * role chunk, one content chunk, one chunk per tool call, a finish chunk), then a usage chunk when the request asked
 * {@code stream_options.include_usage}, then {@code data: [DONE]}; a {@code text_completion} likewise; a Responses
 * API {@code response} becomes the named event sequence of a real stream, from {@code response.created} to
 * {@code response.completed}. Chunks keep the reply's id, model and created time.
 */
public final class JsonToStream {
    private JsonToStream() {
    }

    /**
     * The event stream for {@code json}, UTF-8.
     *
     * @param includeUsage whether the client asked {@code stream_options.include_usage} (chat and completions)
     * @throws IllegalArgumentException when {@code json} is not a chat completion, completion or response object
     */
    public static byte[] convert(byte[] json, boolean includeUsage) {
        JsonObject reply;
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(json))) {
            reply = reader.readObject();
        } catch (JsonException | IllegalStateException x) {
            throw new IllegalArgumentException("the reply is not a JSON object", x);
        }
        Events out = new Events();
        switch (reply.getString("object", "")) {
            case "chat.completion" -> chat(reply, includeUsage, out);
            case "text_completion" -> completions(reply, includeUsage, out);
            case "response" -> ResponseEvents.write(reply, out);
            default -> throw new IllegalArgumentException("not a chat.completion, text_completion or response object");
        }
        return out.bytes();
    }

    /** The bytes of an event stream being written. */
    static final class Events {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        void data(JsonValue value) {
            write("data: " + Jsons.text(value) + "\n\n");
        }

        void event(String name, JsonValue value) {
            write("event: " + name + "\ndata: " + Jsons.text(value) + "\n\n");
        }

        void done() {
            write("data: [DONE]\n\n");
        }

        private void write(String text) {
            bytes.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    private static void chat(JsonObject reply, boolean includeUsage, Events out) {
        Chunks chunks = new Chunks(reply, "chat.completion.chunk", includeUsage);
        if (reply.get("prompt_filter_results") instanceof JsonArray filters)
            out.data(chunks.chunk(Json.createArrayBuilder(), null).add("prompt_filter_results", filters).build());
        for (JsonObject choice : objects(reply.get("choices"))) {
            int index = choice.getInt("index", 0);
            JsonObject message = choice.get("message") instanceof JsonObject m ? m : JsonValue.EMPTY_JSON_OBJECT;
            JsonValue content = message.getOrDefault("content", JsonValue.NULL);
            JsonObjectBuilder role = Json.createObjectBuilder()
                .add("role", message.getOrDefault("role", Json.createValue("assistant")))
                .add("content", content instanceof JsonString ? Json.createValue("") : JsonValue.NULL);
            if (message.containsKey("refusal"))
                role.add("refusal", JsonValue.NULL);
            if (message.get("annotations") instanceof JsonArray annotations)
                role.add("annotations", annotations);
            out.data(chunks.choiceChunk(index, role, JsonValue.NULL, JsonValue.NULL));
            if (content instanceof JsonString text && !text.getString().isEmpty())
                out.data(chunks.choiceChunk(index, Json.createObjectBuilder().add("content", text), choice.getOrDefault("logprobs", JsonValue.NULL), JsonValue.NULL));
            if (message.get("refusal") instanceof JsonString refusal)
                out.data(chunks.choiceChunk(index, Json.createObjectBuilder().add("refusal", refusal), JsonValue.NULL, JsonValue.NULL));
            int at = 0;
            for (JsonObject call : objects(message.get("tool_calls"))) {
                JsonObjectBuilder delta = Json.createObjectBuilder().add("index", at++);
                call.forEach(delta::add);
                out.data(chunks.choiceChunk(index, Json.createObjectBuilder().add("tool_calls", Json.createArrayBuilder().add(delta)), JsonValue.NULL, JsonValue.NULL));
            }
            if (message.get("function_call") instanceof JsonObject call)
                out.data(chunks.choiceChunk(index, Json.createObjectBuilder().add("function_call", call), JsonValue.NULL, JsonValue.NULL));
            JsonObjectBuilder finish = chunks.choice(index, Json.createObjectBuilder(), JsonValue.NULL, choice.getOrDefault("finish_reason", JsonValue.NULL));
            if (choice.get("content_filter_results") instanceof JsonObject filter)
                finish.add("content_filter_results", filter);
            out.data(chunks.chunk(Json.createArrayBuilder().add(finish), null).build());
        }
        chunks.usage(out);
        out.done();
    }

    private static void completions(JsonObject reply, boolean includeUsage, Events out) {
        Chunks chunks = new Chunks(reply, "text_completion", includeUsage);
        for (JsonObject choice : objects(reply.get("choices"))) {
            int index = choice.getInt("index", 0);
            JsonObjectBuilder text = Json.createObjectBuilder()
                .add("text", choice.getOrDefault("text", Json.createValue("")))
                .add("index", index)
                .add("logprobs", choice.getOrDefault("logprobs", JsonValue.NULL))
                .add("finish_reason", JsonValue.NULL);
            out.data(chunks.chunk(Json.createArrayBuilder().add(text), null).build());
            JsonObjectBuilder finish = Json.createObjectBuilder()
                .add("text", "")
                .add("index", index)
                .add("logprobs", JsonValue.NULL)
                .add("finish_reason", choice.getOrDefault("finish_reason", JsonValue.NULL));
            if (choice.get("content_filter_results") instanceof JsonObject filter)
                finish.add("content_filter_results", filter);
            out.data(chunks.chunk(Json.createArrayBuilder().add(finish), null).build());
        }
        chunks.usage(out);
        out.done();
    }

    /** Chunk objects with the reply's top-level fields, in OpenAI's order. */
    private static final class Chunks {
        private final JsonObject reply;
        private final String object;
        private final boolean includeUsage;

        Chunks(JsonObject reply, String object, boolean includeUsage) {
            this.reply = reply;
            this.object = object;
            this.includeUsage = includeUsage;
        }

        JsonObjectBuilder chunk(JsonArrayBuilder choices, JsonValue usage) {
            JsonObjectBuilder chunk = Json.createObjectBuilder()
                .add("id", reply.getOrDefault("id", JsonValue.NULL))
                .add("object", object)
                .add("created", reply.getOrDefault("created", JsonValue.NULL))
                .add("model", reply.getOrDefault("model", JsonValue.NULL));
            for (String key : new String[] {"service_tier", "system_fingerprint"}) {
                if (reply.containsKey(key))
                    chunk.add(key, reply.get(key));
            }
            chunk.add("choices", choices);
            // OpenAI sends "usage": null in every chunk but the last only when the client asked for usage.
            if (includeUsage)
                chunk.add("usage", usage == null ? JsonValue.NULL : usage);
            return chunk;
        }

        JsonObjectBuilder choice(int index, JsonObjectBuilder delta, JsonValue logprobs, JsonValue finishReason) {
            return Json.createObjectBuilder()
                .add("index", index)
                .add("delta", delta)
                .add("logprobs", logprobs)
                .add("finish_reason", finishReason);
        }

        JsonObject choiceChunk(int index, JsonObjectBuilder delta, JsonValue logprobs, JsonValue finishReason) {
            return chunk(Json.createArrayBuilder().add(choice(index, delta, logprobs, finishReason)), null).build();
        }

        void usage(Events out) {
            if (includeUsage && reply.get("usage") instanceof JsonObject usage)
                out.data(chunk(Json.createArrayBuilder(), usage).build());
        }
    }

    static Iterable<JsonObject> objects(JsonValue value) {
        if (!(value instanceof JsonArray array))
            return java.util.List.of();
        return array.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast).toList();
    }

    /** A copy of {@code object} with some members replaced, in the original order. */
    static JsonObject with(JsonObject object, Map<String, JsonValue> replacements) {
        JsonObjectBuilder copy = Json.createObjectBuilder();
        object.forEach((key, value) -> copy.add(key, replacements.getOrDefault(key, value)));
        return copy.build();
    }
}

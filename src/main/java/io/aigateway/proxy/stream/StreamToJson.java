package io.aigateway.proxy.stream;

import io.aigateway.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Assembles the non-stream reply from an OpenAI event stream, for a client that asked {@code stream:false} of a
 * deployment that only streams. Chat completion chunks become a {@code chat.completion} (content and refusals
 * concatenated, tool calls merged by index, the usage of the usage chunk), completion chunks a
 * {@code text_completion}, and a Responses API stream the {@code response} of its final event. Feed the bytes as
 * they arrive, then call {@link #toJson()}. A stream that carried an error event yields {@code {"error":{...}}}.
 */
public final class StreamToJson {
    private enum Api { CHAT, COMPLETIONS, RESPONSES }

    private final SseEventScanner scanner;
    private Api api;
    private final Map<String, JsonValue> top = new LinkedHashMap<>();
    private final TreeMap<Integer, ChoiceAssembler> choices = new TreeMap<>();
    private JsonObject response;
    private JsonObject error;
    private boolean complete;

    public StreamToJson() {
        this(SseEventScanner.DEFAULT_MAX_EVENT_BYTES);
    }

    public StreamToJson(int maxEventBytes) {
        this.scanner = new SseEventScanner(maxEventBytes);
    }

    /** Reads the remaining bytes of {@code chunk}. */
    public void feed(ByteBuffer chunk) throws SseEventScanner.EventTooLargeException {
        scanner.feed(chunk, this::accept);
    }

    /** Ends the input, reading a last event that the server did not end with a blank line. */
    public void finish() {
        scanner.finish(this::accept);
    }

    /** Whether the stream reached its end: {@code data: [DONE]}, or the final event of a Responses stream. */
    public boolean complete() {
        return complete;
    }

    /** The error object the stream carried, or null. */
    public JsonObject error() {
        return error;
    }

    /**
     * The assembled reply as UTF-8 JSON: {@code {"error":{...}}} if the stream carried an error; otherwise what was
     * assembled so far, even if the stream is not {@link #complete()}.
     */
    public byte[] toJson() {
        JsonObject reply;
        if (error != null)
            reply = Json.createObjectBuilder().add("error", error).build();
        else if (api == Api.RESPONSES)
            reply = response;
        else
            reply = assembleChoices();
        return Jsons.bytes(reply);
    }

    private void accept(SseEvent event) {
        String data = event.data();
        if (data == null)
            return;
        if (data.strip().equals("[DONE]")) {
            complete = true;
            return;
        }
        JsonObject object;
        try (JsonReader reader = Json.createReader(new StringReader(data))) {
            object = reader.readObject();
        } catch (JsonException | IllegalStateException x) {
            return;  // Not an OpenAI event; the stream's own JSON is what the reply is made of.
        }
        String type = object.get("type") instanceof JsonString string ? string.getString() : event.name();
        if (object.get("error") instanceof JsonObject errorObject && !(object.get("response") instanceof JsonObject)) {
            error = errorObject;
        } else if ("error".equals(type)) {
            error = responsesError(object);
        } else if (type != null && type.startsWith("response.")) {
            api = Api.RESPONSES;
            if (object.get("response") instanceof JsonObject r) {
                response = r;
                if (type.equals("response.completed") || type.equals("response.incomplete") || type.equals("response.failed"))
                    complete = true;
            }
        } else if (object.get("choices") instanceof JsonArray array) {
            acceptChunk(object, array);
        }
    }

    /** A Responses API {@code error} event, in the shape of an API error object. */
    private static JsonObject responsesError(JsonObject event) {
        JsonObjectBuilder error = Json.createObjectBuilder();
        for (String key : new String[] {"message", "param", "code"})
            error.add(key, event.getOrDefault(key, JsonValue.NULL));
        return error.build();
    }

    private void acceptChunk(JsonObject chunk, JsonArray array) {
        if (api == null)
            api = "text_completion".equals(chunk.getString("object", "")) ? Api.COMPLETIONS : Api.CHAT;
        for (String key : new String[] {"id", "created", "model", "system_fingerprint", "service_tier", "prompt_filter_results"}) {
            JsonValue value = chunk.get(key);
            if (value != null && value != JsonValue.NULL)
                top.put(key, value);
        }
        if (chunk.get("usage") instanceof JsonObject usage)
            top.put("usage", usage);
        for (JsonValue value : array) {
            if (value instanceof JsonObject choice) {
                int index = choice.get("index") instanceof JsonNumber n ? n.intValue() : 0;
                choices.computeIfAbsent(index, ChoiceAssembler::new).accept(choice);
            }
        }
    }

    private JsonObject assembleChoices() {
        boolean chat = api != Api.COMPLETIONS;
        JsonObjectBuilder reply = Json.createObjectBuilder();
        reply.add("id", top.getOrDefault("id", JsonValue.NULL));
        reply.add("object", chat ? "chat.completion" : "text_completion");
        reply.add("created", top.getOrDefault("created", JsonValue.NULL));
        reply.add("model", top.getOrDefault("model", JsonValue.NULL));
        var list = Json.createArrayBuilder();
        for (ChoiceAssembler choice : choices.values())
            list.add(chat ? choice.chatChoice() : choice.completionChoice());
        reply.add("choices", list);
        for (String key : new String[] {"usage", "service_tier", "system_fingerprint", "prompt_filter_results"}) {
            if (top.containsKey(key))
                reply.add(key, top.get(key));
        }
        return reply.build();
    }
}

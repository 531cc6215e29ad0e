package io.aigateway.proxy.stream;

import io.aigateway.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One choice of a chat completion or completion stream, merged chunk by chunk the way OpenAI's SDKs merge them:
 * strings concatenated, tool calls merged by their index, the last finish reason kept. A message field that no
 * chunk mentioned ({@code refusal}, {@code annotations}) is left out of the result, so a backend's own shape is
 * kept; {@code content} is always there, null when no chunk carried text.
 */
final class ChoiceAssembler {
    private final int index;
    private String role;
    private StringBuilder content;
    private StringBuilder refusal;
    private boolean refusalSeen;
    private JsonArrayBuilder annotations;
    private final TreeMap<Integer, ToolCall> toolCalls = new TreeMap<>();
    private ToolCall functionCall;
    private JsonValue finishReason = JsonValue.NULL;
    private JsonValue contentFilterResults;
    private Map<String, JsonArrayBuilder> logprobs;
    private StringBuilder text;

    ChoiceAssembler(int index) {
        this.index = index;
    }

    /** A tool call (or a legacy {@code function_call}) being assembled. */
    private static final class ToolCall {
        String id;
        String type;
        String name;
        final StringBuilder arguments = new StringBuilder();

        void accept(JsonObject delta) {
            if (id == null && nonEmpty(delta.get("id")))
                id = string(delta.get("id"));
            if (nonEmpty(delta.get("type")))
                type = string(delta.get("type"));
            JsonObject function = delta.get("function") instanceof JsonObject f ? f : delta;
            if (name == null && nonEmpty(function.get("name")))
                name = string(function.get("name"));
            if (function.get("arguments") instanceof JsonString piece)
                arguments.append(piece.getString());
        }

        JsonObject function() {
            return Json.createObjectBuilder().add("name", name == null ? "" : name).add("arguments", arguments.toString()).build();
        }
    }

    void accept(JsonObject choice) {
        if (choice.get("delta") instanceof JsonObject delta)
            acceptDelta(delta);
        if (choice.get("text") instanceof JsonString piece) {
            if (text == null)
                text = new StringBuilder();
            text.append(piece.getString());
        }
        if (choice.get("finish_reason") instanceof JsonString reason)
            finishReason = reason;
        if (choice.get("logprobs") instanceof JsonObject object)
            appendLogprobs(object);
        if (choice.get("content_filter_results") instanceof JsonObject filter && !filter.isEmpty())
            contentFilterResults = filter;
    }

    private void acceptDelta(JsonObject delta) {
        if (role == null && nonEmpty(delta.get("role")))
            role = string(delta.get("role"));
        if (delta.get("content") instanceof JsonString piece) {
            if (content == null)
                content = new StringBuilder();
            content.append(piece.getString());
        }
        if (delta.containsKey("refusal"))
            refusalSeen = true;
        if (delta.get("refusal") instanceof JsonString piece) {
            if (refusal == null)
                refusal = new StringBuilder();
            refusal.append(piece.getString());
        }
        if (delta.get("annotations") instanceof JsonArray array) {
            if (annotations == null)
                annotations = Json.createArrayBuilder();
            array.forEach(annotations::add);
        }
        if (delta.get("tool_calls") instanceof JsonArray calls) {
            for (JsonValue value : calls) {
                if (value instanceof JsonObject call) {
                    int at = call.get("index") instanceof JsonNumber n ? n.intValue() : toolCalls.size();
                    toolCalls.computeIfAbsent(at, i -> new ToolCall()).accept(call);
                }
            }
        }
        if (delta.get("function_call") instanceof JsonObject call) {
            if (functionCall == null)
                functionCall = new ToolCall();
            functionCall.accept(call);
        }
    }

    /** Stream logprobs come in pieces: every array (chat {@code content}, completion {@code tokens}...) is joined. */
    private void appendLogprobs(JsonObject object) {
        if (logprobs == null)
            logprobs = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> entry : object.entrySet()) {
            if (entry.getValue() instanceof JsonArray array) {
                JsonArrayBuilder joined = logprobs.computeIfAbsent(entry.getKey(), key -> Json.createArrayBuilder());
                array.forEach(joined::add);
            } else
                logprobs.putIfAbsent(entry.getKey(), null);
        }
    }

    private JsonValue logprobsValue() {
        if (logprobs == null)
            return JsonValue.NULL;
        JsonObjectBuilder object = Json.createObjectBuilder();
        logprobs.forEach((key, array) -> object.add(key, array == null ? JsonValue.NULL : array.build()));
        return object.build();
    }

    /** The choice of a {@code chat.completion}. */
    JsonObject chatChoice() {
        JsonObjectBuilder message = Json.createObjectBuilder();
        message.add("role", role == null ? "assistant" : role);
        message.add("content", content == null ? JsonValue.NULL : Json.createValue(content.toString()));
        if (refusalSeen)
            message.add("refusal", refusal == null ? JsonValue.NULL : Json.createValue(refusal.toString()));
        if (annotations != null)
            message.add("annotations", annotations);
        if (!toolCalls.isEmpty()) {
            JsonArrayBuilder calls = Json.createArrayBuilder();
            for (ToolCall call : toolCalls.values()) {
                JsonObjectBuilder built = Json.createObjectBuilder();
                built.add("id", call.id == null ? JsonValue.NULL : Json.createValue(call.id));
                built.add("type", call.type == null ? "function" : call.type);
                built.add("function", call.function());
                calls.add(built);
            }
            message.add("tool_calls", calls);
        }
        if (functionCall != null)
            message.add("function_call", functionCall.function());
        JsonObjectBuilder choice = Json.createObjectBuilder()
            .add("index", index)
            .add("message", message)
            .add("logprobs", logprobsValue())
            .add("finish_reason", finishReason);
        if (contentFilterResults != null)
            choice.add("content_filter_results", contentFilterResults);
        return choice.build();
    }

    /** The choice of a {@code text_completion}. */
    JsonObject completionChoice() {
        JsonObjectBuilder choice = Json.createObjectBuilder()
            .add("text", text == null ? "" : text.toString())
            .add("index", index)
            .add("logprobs", logprobsValue())
            .add("finish_reason", finishReason);
        if (contentFilterResults != null)
            choice.add("content_filter_results", contentFilterResults);
        return choice.build();
    }

    private static boolean nonEmpty(JsonValue value) {
        return value instanceof JsonString string && !string.getString().isEmpty();
    }

    private static String string(JsonValue value) {
        return ((JsonString)value).getString();
    }
}

package io.aigateway.proxy.stream;

import io.aigateway.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.Map;

/**
 * The Responses API event sequence of a finished {@code response}, as a real stream sends it: created and in
 * progress, then for every output item its added event, its content parts with their deltas and done events, its
 * done event, and last the terminal event for the response's status. SDK stream helpers rebuild their snapshot from
 * the added events, so those are sent too, not only the deltas.
 */
final class ResponseEvents {
    private final JsonToStream.Events out;
    private int sequence;

    private ResponseEvents(JsonToStream.Events out) {
        this.out = out;
    }

    static void write(JsonObject response, JsonToStream.Events out) {
        new ResponseEvents(out).response(response);
    }

    private void response(JsonObject response) {
        JsonObject started = JsonToStream.with(response, Map.of(
            "status", Json.createValue("in_progress"),
            "output", JsonValue.EMPTY_JSON_ARRAY,
            "usage", JsonValue.NULL));
        emit("response.created", event().add("response", started));
        emit("response.in_progress", event().add("response", started));
        int outputIndex = 0;
        for (JsonObject item : JsonToStream.objects(response.get("output")))
            item(outputIndex++, item);
        String terminal = switch (response.getString("status", "completed")) {
            case "incomplete" -> "response.incomplete";
            case "failed" -> "response.failed";
            default -> "response.completed";
        };
        emit(terminal, event().add("response", response));
    }

    private void item(int outputIndex, JsonObject item) {
        String type = item.getString("type", "");
        JsonValue itemId = item.getOrDefault("id", JsonValue.NULL);
        JsonObject added = switch (type) {
            case "message" -> JsonToStream.with(item, Map.of("status", Json.createValue("in_progress"), "content", JsonValue.EMPTY_JSON_ARRAY));
            case "function_call" -> JsonToStream.with(item, Map.of("status", Json.createValue("in_progress"), "arguments", Json.createValue("")));
            default -> item;
        };
        emit("response.output_item.added", event().add("output_index", outputIndex).add("item", added));
        if (type.equals("message")) {
            int contentIndex = 0;
            for (JsonObject part : JsonToStream.objects(item.get("content")))
                part(itemId, outputIndex, contentIndex++, part);
        } else if (type.equals("function_call")) {
            JsonValue arguments = item.getOrDefault("arguments", Json.createValue(""));
            emit("response.function_call_arguments.delta", event().add("item_id", itemId).add("output_index", outputIndex).add("delta", arguments));
            emit("response.function_call_arguments.done", event().add("item_id", itemId).add("output_index", outputIndex).add("arguments", arguments));
        }
        emit("response.output_item.done", event().add("output_index", outputIndex).add("item", item));
    }

    private void part(JsonValue itemId, int outputIndex, int contentIndex, JsonObject part) {
        String type = part.getString("type", "");
        String field = type.equals("output_text") ? "text" : type.equals("refusal") ? "refusal" : null;
        JsonObject empty = field == null ? part : JsonToStream.with(part, Map.of(field, Json.createValue(""),
            "annotations", JsonValue.EMPTY_JSON_ARRAY, "logprobs", JsonValue.EMPTY_JSON_ARRAY));
        emit("response.content_part.added", located(itemId, outputIndex, contentIndex).add("part", empty));
        if (field != null) {
            JsonValue whole = part.get(field) instanceof JsonString string ? string : Json.createValue("");
            String prefix = field.equals("text") ? "response.output_text" : "response.refusal";
            emit(prefix + ".delta", located(itemId, outputIndex, contentIndex).add("delta", whole));
            emit(prefix + ".done", located(itemId, outputIndex, contentIndex).add(field, whole));
        }
        emit("response.content_part.done", located(itemId, outputIndex, contentIndex).add("part", part));
    }

    private JsonObjectBuilder located(JsonValue itemId, int outputIndex, int contentIndex) {
        return event().add("item_id", itemId).add("output_index", outputIndex).add("content_index", contentIndex);
    }

    /** A new event body; its type and sequence number are filled in by {@link #emit}. */
    private static JsonObjectBuilder event() {
        return Json.createObjectBuilder();
    }

    private void emit(String type, JsonObjectBuilder body) {
        JsonObjectBuilder event = Json.createObjectBuilder().add("type", type).add("sequence_number", sequence++);
        body.build().forEach(event::add);
        out.event(type, event.build());
    }
}

package io.aigateway.routing;

import io.aigateway.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.ByteArrayInputStream;
import java.util.Locale;

/**
 * The codes of an error body, in OpenAI's shape ({@code {"error":{"code","type"}}}) or Azure's (which adds
 * {@code innererror}/{@code inner_error}). Lower-cased; empty strings when absent or when the body is not JSON.
 */
public record UpstreamError(String code, String type, String innerCode) {
    public static final UpstreamError NONE = new UpstreamError("", "", "");

    public static UpstreamError parse(byte[] body) {
        if (body == null || body.length == 0 || body[0] != '{')
            return NONE;
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(body))) {
            JsonValue root = reader.readValue();
            if (!(root instanceof JsonObject object) || !(object.get("error") instanceof JsonObject error))
                return NONE;
            JsonObject inner = error.get("innererror") instanceof JsonObject a ? a
                : error.get("inner_error") instanceof JsonObject b ? b : null;
            return new UpstreamError(text(error, "code"), text(error, "type"), inner == null ? "" : text(inner, "code"));
        } catch (RuntimeException notJson) {
            return NONE;
        }
    }

    private static String text(JsonObject object, String name) {
        return object.get(name) instanceof JsonString s ? s.getString().toLowerCase(Locale.ROOT) : "";
    }

    /** Whether any of the codes is this one (case-insensitive). */
    public boolean is(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        return code.equals(v) || type.equals(v) || innerCode.equals(v);
    }
}

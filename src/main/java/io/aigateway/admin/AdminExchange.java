package io.aigateway.admin;

import io.aigateway.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One admin request: its method and path segments below {@code admin.path}, the caller's admin key id, and readers
 * for its JSON body and query that report bad fields by path.
 */
final class AdminExchange {
    /** Admin bodies are small; a larger one is a mistake or an attack. */
    private static final int MAX_BODY_BYTES = 256 * 1024;

    final HttpServletRequest request;
    final HttpServletResponse response;
    final String method;
    final List<String> path;
    /** The admin key id: who, in the audit log. */
    final String actor;
    private String bodyText;

    AdminExchange(HttpServletRequest request, HttpServletResponse response, String actor) {
        this.request = request;
        this.response = response;
        this.method = request.getMethod();
        this.actor = actor;
        List<String> segments = new ArrayList<>();
        String info = request.getPathInfo();
        if (info != null) {
            for (String segment : info.split("/")) {
                if (!segment.isEmpty()) {
                    segments.add(segment);
                }
            }
        }
        this.path = List.copyOf(segments);
    }

    /** Whether the path is exactly these segments, {@code *} matching any one. */
    boolean matches(String... pattern) {
        if (pattern.length != path.size()) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            if (!pattern[i].equals("*") && !pattern[i].equals(path.get(i))) {
                return false;
            }
        }
        return true;
    }

    String segment(int index) {
        return path.get(index);
    }

    /** The raw body text (read once). */
    String bodyText() {
        if (bodyText == null) {
            try (InputStream in = request.getInputStream()) {
                byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
                if (bytes.length > MAX_BODY_BYTES) {
                    throw AdminProblem.invalid(null, "the body is larger than " + MAX_BODY_BYTES + " bytes");
                }
                bodyText = new String(bytes, StandardCharsets.UTF_8);
            } catch (IOException x) {
                throw AdminProblem.invalid(null, "the body could not be read");
            }
        }
        return bodyText;
    }

    /** The body as a JSON object (an empty body is an empty object when {@code optional}). */
    JsonObject body(boolean optional) {
        String text = bodyText();
        if (text.isBlank()) {
            if (optional) {
                return JsonValue.EMPTY_JSON_OBJECT;
            }
            throw AdminProblem.invalid(null, "a JSON object body is required");
        }
        try (var reader = Json.createReader(new StringReader(text))) {
            JsonStructure json = reader.read();
            if (!(json instanceof JsonObject object)) {
                throw AdminProblem.invalid(null, "the body must be a JSON object");
            }
            return object;
        } catch (JsonParsingException x) {
            throw AdminProblem.invalid(null, "the body is not valid JSON (" + x.getLocation() + ")");
        } catch (JsonException x) {
            throw AdminProblem.invalid(null, "the body is not valid JSON");
        }
    }

    static void expectFields(JsonObject body, Set<String> known) {
        for (String field : body.keySet()) {
            if (!known.contains(field)) {
                throw AdminProblem.invalid(field, "unknown field (known: " + new java.util.TreeSet<>(known) + ")");
            }
        }
    }

    static String string(JsonObject body, String field, boolean required) {
        JsonValue value = body.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            if (required) {
                throw AdminProblem.invalid(field, "is required");
            }
            return null;
        }
        if (!(value instanceof JsonString text)) {
            throw AdminProblem.invalid(field, "must be a string");
        }
        return text.getString();
    }

    static List<String> strings(JsonObject body, String field, boolean required) {
        JsonValue value = body.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            if (required) {
                throw AdminProblem.invalid(field, "is required");
            }
            return null;
        }
        if (!(value instanceof JsonArray array)) {
            throw AdminProblem.invalid(field, "must be a list of strings");
        }
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof JsonString text)) {
                throw AdminProblem.invalid(field + "[" + i + "]", "must be a string");
            }
            strings.add(text.getString());
        }
        return strings;
    }

    static Instant instant(JsonObject body, String field) {
        String text = string(body, field, false);
        return text == null ? null : parseInstant(field, text);
    }

    static Instant parseInstant(String field, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException x) {
            throw AdminProblem.invalid(field, "must be an ISO-8601 instant such as 2027-01-01T00:00:00Z");
        }
    }

    String query(String name) {
        String value = request.getParameter(name);
        return value == null || value.isBlank() ? null : value;
    }

    Instant queryInstant(String name) {
        String text = query(name);
        return text == null ? null : parseInstant(name, text);
    }

    int queryInt(String name, int fallback, int min, int max) {
        String text = query(name);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw AdminProblem.invalid(name, "must be between " + min + " and " + max);
            }
            return value;
        } catch (NumberFormatException x) {
            throw AdminProblem.invalid(name, "must be a number");
        }
    }

    Long queryLong(String name) {
        String text = query(name);
        if (text == null) {
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException x) {
            throw AdminProblem.invalid(name, "must be a number");
        }
    }

    /** Writes a JSON answer. */
    void send(int status, JsonValue json) throws IOException {
        byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    void noContent() {
        response.setStatus(204);
    }
}

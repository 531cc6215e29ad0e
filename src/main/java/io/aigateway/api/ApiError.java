package io.aigateway.api;

import io.aigateway.json.Json;
import jakarta.json.stream.JsonGenerator;

import java.io.StringWriter;
import java.util.Objects;

/**
 * An error the gateway answers on its own, in OpenAI's shape:
 * {@code {"error":{"message","type","code","param"}}} with the HTTP status it belongs to.
 *
 * <p>Messages are written for the caller and must never contain a key: build them from names and ids only.
 */
public record ApiError(int status, String type, String code, String param, String message, long retryAfterSeconds) {
    public static final String INVALID_REQUEST = "invalid_request_error";
    public static final String AUTHENTICATION = "authentication_error";
    public static final String PERMISSION = "permission_error";
    public static final String NOT_FOUND = "not_found_error";
    public static final String RATE_LIMIT = "rate_limit_error";
    public static final String SERVER = "server_error";

    public ApiError {
        if (status < 400 || status > 599)
            throw new IllegalArgumentException("not an error status: " + status);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
    }

    public ApiError(int status, String type, String code, String param, String message) {
        this(status, type, code, param, message, -1);
    }

    /** The same error with a {@code Retry-After} the client should honour. */
    public ApiError withRetryAfter(long seconds) {
        return new ApiError(status, type, code, param, message, seconds);
    }

    /** The JSON body. */
    public String toJson() {
        StringWriter out = new StringWriter(96 + message.length());
        try (JsonGenerator json = Json.createGenerator(out)) {
            json.writeStartObject().writeStartObject("error").write("message", message).write("type", type);
            if (code == null)
                json.writeNull("code");
            else
                json.write("code", code);
            if (param == null)
                json.writeNull("param");
            else
                json.write("param", param);
            json.writeEnd().writeEnd();
        }
        return out.toString();
    }

    /** The same error as a server-sent event, for failures after a stream has started. */
    public String toSseEvent() {
        return "event: error\ndata: " + toJson() + "\n\n";
    }
}

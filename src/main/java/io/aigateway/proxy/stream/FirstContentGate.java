package io.aigateway.proxy.stream;

import io.aigateway.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.jetty.ee10.proxy.AsyncMiddleManServlet;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Holds an OpenAI event stream (chat completions, completions or Responses API) until its first event that carries
 * content, so that until then nothing has reached the client and the request can still fail over to another
 * deployment. A role-only first chunk, an Azure prompt-filter chunk or a {@code response.created} event is held; a
 * content, refusal or tool-call delta releases the stream, and so do its end ({@code [DONE]},
 * {@code response.completed}) and an error event (so that the error is relayed). At release every held byte is
 * emitted, in order and unchanged, and from then on input passes through without being copied.
 *
 * <p>The hold is bounded: past {@code maxHoldBytes} the stream is released anyway, and at the end of the input
 * whatever is held is emitted. The listener is called once, at release, before the held bytes are handed on.
 */
public final class FirstContentGate implements AsyncMiddleManServlet.ContentTransformer {
    /** The default bound on the bytes held before release: 1 MiB. */
    public static final int DEFAULT_MAX_HOLD_BYTES = 1024 * 1024;

    /** Why the gate opened. */
    public enum Release {
        /** An event carried content: text, a refusal or a tool call. */
        CONTENT,
        /** The stream ended normally before any content: {@code data: [DONE]}, {@code response.completed|incomplete}. */
        DONE,
        /** An error event: {@code data: {"error":...}}, {@code event: error}, {@code response.failed}. */
        ERROR,
        /** More than the hold bound arrived without content. */
        OVERFLOW,
        /** The input ended without any of the above (a truncated or non-SSE reply). */
        END
    }

    private final int maxHoldBytes;
    private final Consumer<Release> onRelease;
    private SseEventScanner scanner;
    private byte[] held = new byte[4096];
    private int heldLength;
    private Release found;
    // Read by other threads (a first-content timer) while Jetty drives transform().
    private volatile Release release;

    public FirstContentGate(Consumer<Release> onRelease) {
        this(DEFAULT_MAX_HOLD_BYTES, onRelease);
    }

    public FirstContentGate(int maxHoldBytes, Consumer<Release> onRelease) {
        if (maxHoldBytes < 1)
            throw new IllegalArgumentException("maxHoldBytes must be greater than 0");
        this.maxHoldBytes = maxHoldBytes;
        this.onRelease = onRelease;
        this.scanner = new SseEventScanner(maxHoldBytes);
    }

    /** Whether the held bytes have been emitted and input now passes through. */
    public boolean released() {
        return release != null;
    }

    /** Why the gate opened, or null while it holds. */
    public Release reason() {
        return release;
    }

    /** The number of bytes held so far (zero after release). */
    public int heldBytes() {
        return heldLength;
    }

    @Override
    public void transform(ByteBuffer input, boolean finished, List<ByteBuffer> output) {
        if (release != null) {
            output.add(input);
            return;
        }
        int from = heldLength;
        int length = input.remaining();
        if (heldLength + length > held.length)
            held = Arrays.copyOf(held, Math.max(held.length * 2, heldLength + length));
        input.duplicate().get(held, heldLength, length);
        heldLength += length;
        try {
            scanner.feed(ByteBuffer.wrap(held, from, length), this::inspect);
        } catch (SseEventScanner.EventTooLargeException x) {
            found = Release.OVERFLOW;
        }
        if (found == null && heldLength > maxHoldBytes)
            found = Release.OVERFLOW;
        if (found == null && finished)
            found = Release.END;
        if (found != null)
            release(found, output);
    }

    private void release(Release reason, List<ByteBuffer> output) {
        release = reason;
        if (onRelease != null)
            onRelease.accept(reason);
        if (heldLength > 0)
            output.add(ByteBuffer.wrap(held, 0, heldLength));
        held = null;
        heldLength = 0;
        scanner = null;
    }

    private void inspect(SseEvent event) {
        if (found == null)
            found = classify(event);
    }

    /** What the event means for the gate, or null when it is to be held. */
    static Release classify(SseEvent event) {
        String data = event.data();
        boolean errorEvent = "error".equals(event.name());
        if (data == null)
            return errorEvent ? Release.ERROR : null;
        if (data.strip().equals("[DONE]"))
            return Release.DONE;
        JsonValue value;
        try (JsonReader reader = Json.createReader(new StringReader(data))) {
            value = reader.readValue();
        } catch (JsonException | IllegalStateException x) {
            return errorEvent ? Release.ERROR : null;
        }
        if (errorEvent)
            return Release.ERROR;
        if (!(value instanceof JsonObject object))
            return null;
        if (isPresent(object.get("error")))
            return Release.ERROR;
        String type = object.get("type") instanceof JsonString string ? string.getString() : event.name();
        if (type != null) {
            Release release = classifyResponsesEvent(type, object);
            if (release != null)
                return release;
        }
        return object.get("choices") instanceof JsonArray choices && hasContent(choices) ? Release.CONTENT : null;
    }

    private static Release classifyResponsesEvent(String type, JsonObject event) {
        return switch (type) {
            case "response.output_text.delta", "response.refusal.delta", "response.function_call_arguments.delta",
                 "response.custom_tool_call_input.delta" -> Release.CONTENT;
            case "response.output_item.added" -> event.get("item") instanceof JsonObject item && isToolCall(item) ? Release.CONTENT : null;
            case "response.completed", "response.incomplete" -> Release.DONE;
            case "error", "response.failed" -> Release.ERROR;
            default -> null;
        };
    }

    private static boolean isToolCall(JsonObject item) {
        JsonValue type = item.get("type");
        return type instanceof JsonString string && (string.getString().equals("function_call") || string.getString().equals("custom_tool_call"));
    }

    private static boolean hasContent(JsonArray choices) {
        for (JsonValue value : choices) {
            if (!(value instanceof JsonObject choice))
                continue;
            if (isNonEmptyString(choice.get("text")))
                return true;
            if (choice.get("delta") instanceof JsonObject delta) {
                if (isNonEmptyString(delta.get("content")) || isNonEmptyString(delta.get("refusal")))
                    return true;
                if (delta.get("tool_calls") instanceof JsonArray calls && !calls.isEmpty())
                    return true;
                if (delta.get("function_call") instanceof JsonObject)
                    return true;
            }
        }
        return false;
    }

    private static boolean isNonEmptyString(JsonValue value) {
        return value instanceof JsonString string && !string.getString().isEmpty();
    }

    private static boolean isPresent(JsonValue value) {
        return value != null && value != JsonValue.NULL;
    }
}

package io.aigateway.proxy;

import io.aigateway.proxy.stream.JsonSkip;
import io.aigateway.proxy.stream.SseEvent;
import io.aigateway.proxy.stream.SseEventScanner;
import io.aigateway.usage.UsageCounter;
import io.aigateway.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import org.eclipse.jetty.ee10.proxy.AsyncMiddleManServlet;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Reads usage from a reply on its way to the client: the {@code usage} of each stream chunk (or the
 * {@code response.usage} of a Responses API event) and the text generated, or the {@code usage} of a JSON reply
 * (read from the whole reply up to {@value #MAX_JSON} bytes, else from its last {@value #MAX_TAIL}, where the usage
 * is). A stream passes event by event, as it arrives; the usage-only
 * chunk the gateway asked for on the client's behalf ({@code stream_options.include_usage}) is dropped when
 * {@code stripUsageChunk} is set. Everything else passes unchanged.
 */
final class UsageTap implements AsyncMiddleManServlet.ContentTransformer {
    static final int MAX_JSON = 256 * 1024;
    /** Of a larger reply, the bytes kept from its end: its usage comes last. */
    static final int MAX_TAIL = 16 * 1024;

    private final boolean eventStream;
    private final boolean stripUsageChunk;
    private final UsageCounter counter;
    private final SseEventScanner events = new SseEventScanner();
    private byte[] json = new byte[0];
    private int jsonLength;
    private boolean jsonTooLarge;

    UsageTap(boolean eventStream, boolean stripUsageChunk, UsageCounter counter) {
        this.eventStream = eventStream;
        this.stripUsageChunk = stripUsageChunk;
        this.counter = counter;
    }

    @Override
    public void transform(ByteBuffer input, boolean finished, List<ByteBuffer> output) throws IOException {
        if (!eventStream) {
            keepJson(input);
            output.add(input);
            if (finished) {
                readJson();
            }
            return;
        }
        if (!stripUsageChunk) {
            events.feed(input.duplicate(), this::inspect);
            output.add(input);
            if (finished) {
                events.finish(this::inspect);
            }
            return;
        }
        events.feed(input.duplicate(), event -> relay(event, output));
        if (finished) {
            events.finish(event -> relay(event, output));
        }
    }

    /** Hands the event on unless it is the usage-only chunk; the scanner's view is copied, it does not outlive this call. */
    private void relay(SseEvent event, List<ByteBuffer> output) {
        JsonObject chunk = inspect(event);
        if (chunk != null && isUsageOnly(chunk)) {
            return;
        }
        output.add(ByteBuffer.wrap(event.rawBytes()));
    }

    /** Reads the event's usage and generated text; returns its JSON object, or null. */
    private JsonObject inspect(SseEvent event) {
        String data = event.data();
        if (data == null || event.isDone() || data.isBlank()) {
            return null;
        }
        JsonObject chunk;
        try (JsonReader reader = Json.createReader(new StringReader(data))) {
            if (!(reader.readValue() instanceof JsonObject object)) {
                return null;
            }
            chunk = object;
        } catch (JsonException | IllegalStateException notJson) {
            return null;
        }
        if (chunk.get("usage") instanceof JsonObject usage) {
            counter.report(usage);
        } else if (chunk.get("response") instanceof JsonObject response && response.get("usage") instanceof JsonObject usage) {
            counter.report(usage);
        }
        if (chunk.get("choices") instanceof JsonArray choices) {
            for (JsonValue value : choices) {
                if (value instanceof JsonObject choice) {
                    generatedText(choice);
                }
            }
        } else if (chunk.get("delta") instanceof JsonString delta) {
            counter.generated(delta.getString());
        }
        return chunk;
    }

    private void generatedText(JsonObject choice) {
        if (choice.get("text") instanceof JsonString text) {
            counter.generated(text.getString());
        }
        JsonObject delta = choice.get("delta") instanceof JsonObject d ? d
                : choice.get("message") instanceof JsonObject m ? m : null;
        if (delta == null) {
            return;
        }
        if (delta.get("content") instanceof JsonString content) {
            counter.generated(content.getString());
        }
        if (delta.get("refusal") instanceof JsonString refusal) {
            counter.generated(refusal.getString());
        }
        if (delta.get("tool_calls") instanceof JsonArray calls) {
            counter.generated(calls.toString());
        }
    }

    /** OpenAI's extra chunk: no choices, a usage. */
    static boolean isUsageOnly(JsonObject chunk) {
        return chunk.get("choices") instanceof JsonArray choices && choices.isEmpty()
                && chunk.get("usage") instanceof JsonObject;
    }

    private void keepJson(ByteBuffer input) {
        if (!input.hasRemaining()) {
            return;
        }
        int length = input.remaining();
        if (!jsonTooLarge && jsonLength + length <= MAX_JSON) {
            if (jsonLength + length > json.length) {
                json = Arrays.copyOf(json, Math.min(MAX_JSON, Math.max(json.length * 2, jsonLength + length)));
            }
            input.duplicate().get(json, jsonLength, length);
            jsonLength += length;
            return;
        }
        if (!jsonTooLarge) {
            // Too large to keep whole (a big embeddings reply): keep only its tail, where the usage is.
            jsonTooLarge = true;
            byte[] tail = new byte[MAX_TAIL];
            int keep = Math.min(jsonLength, MAX_TAIL);
            System.arraycopy(json, jsonLength - keep, tail, 0, keep);
            json = tail;
            jsonLength = keep;
        }
        ByteBuffer bytes = input.duplicate();
        if (length >= MAX_TAIL) {
            bytes.position(bytes.limit() - MAX_TAIL);
            bytes.get(json, 0, MAX_TAIL);
            jsonLength = MAX_TAIL;
            return;
        }
        int keep = Math.min(jsonLength, MAX_TAIL - length);
        System.arraycopy(json, jsonLength - keep, json, 0, keep);
        bytes.get(json, keep, length);
        jsonLength = keep + length;
    }

    private void readJson() {
        if (jsonLength == 0) {
            return;
        }
        String text = new String(json, 0, jsonLength, StandardCharsets.UTF_8);
        json = null;
        if (jsonTooLarge) {
            JsonObject usage = lastUsage(text);
            if (usage != null) {
                counter.report(usage);
            }
            return;
        }
        try {
            JsonObject usage = topLevelUsage(text);
            if (usage != null) {
                counter.report(usage);
                return;
            }
            // No usage: the generated text stands in, so the reply is read whole (rare: OpenAI and Azure report usage).
            try (JsonReader reader = Json.createReader(new StringReader(text))) {
                if (reader.readValue() instanceof JsonObject reply && reply.get("choices") instanceof JsonArray choices) {
                    for (JsonValue value : choices) {
                        if (value instanceof JsonObject choice) {
                            generatedText(choice);
                        }
                    }
                }
            }
        } catch (JsonException | IllegalStateException | java.util.NoSuchElementException notJson) {
            // Not JSON (an audio file, say): no usage to read.
        }
    }

    /**
     * The top-level {@code usage} object of a JSON reply, or null. A streaming read that builds only that object and
     * walks past the rest (the choices and their text), since the usage is all a reply that has one is read for.
     */
    static JsonObject topLevelUsage(String reply) {
        try (JsonParser parser = Json.createParser(new StringReader(reply))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                return null;
            }
            while (true) {
                JsonParser.Event event = parser.next();
                if (event == JsonParser.Event.END_OBJECT) {
                    return null;
                }
                String key = parser.getString();
                JsonParser.Event value = parser.next();
                if (value == JsonParser.Event.START_OBJECT && "usage".equals(key)) {
                    return parser.getObject();
                }
                JsonSkip.skip(parser, value);
            }
        }
    }

    /** The object after the last {@code "usage":} of a reply's tail, or null. */
    static JsonObject lastUsage(String tail) {
        int at = tail.lastIndexOf("\"usage\"");
        if (at < 0) {
            return null;
        }
        int brace = tail.indexOf('{', at);
        if (brace < 0) {
            return null;
        }
        try (JsonParser parser = Json.createParser(new StringReader(tail.substring(brace)))) {
            return parser.next() == JsonParser.Event.START_OBJECT ? parser.getObject() : null;
        } catch (JsonException | IllegalStateException | java.util.NoSuchElementException x) {
            return null;
        }
    }
}

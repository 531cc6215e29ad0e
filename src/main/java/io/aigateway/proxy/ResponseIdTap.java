package io.aigateway.proxy;

import io.aigateway.proxy.stream.SseEventScanner;
import io.aigateway.json.Json;
import jakarta.json.stream.JsonParser;
import org.eclipse.jetty.ee10.proxy.AsyncMiddleManServlet;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * Passes a Responses API reply through untouched while reading the response id from its first bytes: the top-level
 * {@code id} of a JSON reply, or {@code response.id} of the first event of a stream. Looks at no more than the
 * first {@value #MAX_PREFIX} bytes and stops looking once the id is found.
 */
final class ResponseIdTap implements AsyncMiddleManServlet.ContentTransformer {
    static final int MAX_PREFIX = 16 * 1024;

    private final boolean eventStream;
    private final Consumer<String> onId;
    private final SseEventScanner events = new SseEventScanner(MAX_PREFIX);
    private byte[] prefix = new byte[1024];
    private int length;
    private boolean done;

    ResponseIdTap(boolean eventStream, Consumer<String> onId) {
        this.eventStream = eventStream;
        this.onId = onId;
    }

    @Override
    public void transform(ByteBuffer input, boolean finished, List<ByteBuffer> output) {
        if (!done && input.hasRemaining()) {
            if (eventStream)
                scanFirstEvent(input.duplicate());
            else
                scanJsonPrefix(input);
        }
        output.add(input);
    }

    private void scanFirstEvent(ByteBuffer input) {
        try {
            events.feed(input, event -> {
                if (done || event.data() == null)
                    return;
                done = true;
                String id = idFromJson(event.data(), true);
                if (id != null)
                    onId.accept(id);
            });
        } catch (java.io.IOException tooLarge) {
            done = true;
        }
        if (events.pendingBytes() > MAX_PREFIX)
            done = true;
    }

    private void scanJsonPrefix(ByteBuffer input) {
        int take = Math.min(input.remaining(), MAX_PREFIX - length);
        if (length + take > prefix.length)
            prefix = java.util.Arrays.copyOf(prefix, Math.min(MAX_PREFIX, Math.max(prefix.length * 2, length + take)));
        input.duplicate().get(prefix, length, take);
        length += take;
        String id = idFromJson(new String(prefix, 0, length, StandardCharsets.UTF_8), false);
        if (id != null) {
            done = true;
            onId.accept(id);
        } else if (length >= MAX_PREFIX) {
            done = true;
        }
    }

    /** The top-level {@code id}, or with {@code nested} the {@code id} of the top-level {@code response} object. */
    static String idFromJson(String json, boolean nested) {
        try (JsonParser parser = Json.createParser(new StringReader(json))) {
            if (parser.next() != JsonParser.Event.START_OBJECT)
                return null;
            int depth = 1;
            boolean inResponse = !nested;
            while (parser.hasNext()) {
                JsonParser.Event event = parser.next();
                switch (event) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case KEY_NAME -> {
                        String key = parser.getString();
                        int wanted = nested ? 2 : 1;
                        if (nested && depth == 1 && key.equals("response"))
                            inResponse = true;
                        else if (inResponse && depth == wanted && key.equals("id")) {
                            return parser.next() == JsonParser.Event.VALUE_STRING ? parser.getString() : null;
                        }
                    }
                    default -> {
                    }
                }
            }
        } catch (RuntimeException truncatedOrInvalid) {
            // A prefix ends mid-value; the id, when present, comes before that.
        }
        return null;
    }
}

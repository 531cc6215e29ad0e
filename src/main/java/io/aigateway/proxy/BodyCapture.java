package io.aigateway.proxy;

import io.aigateway.log.CapturedBodies;
import io.aigateway.log.SecretRedactor;
import io.aigateway.proxy.stream.SseEvent;
import io.aigateway.proxy.stream.SseEventScanner;
import io.aigateway.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.jetty.ee10.proxy.AsyncMiddleManServlet.ContentTransformer;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The bodies of one exchange whose tenant captures them ({@code request_log.capture_bodies}): the client's request
 * body, and what the client got, copied by a tap at the end of each attempt's transformer chain. Only exchanges
 * that capture have one, so the others copy nothing. The tap never holds or delays content: it copies what passes,
 * at most the cap plus a little slack (so that a secret cut by the cap is still whole when it is masked), and stops
 * looking once it has that much.
 */
final class BodyCapture {
    /** Kept beyond the cap so that a secret across the cut is still recognised, and masked, before the cut. */
    static final int SLACK = 512;

    private final int maxBytes;
    private volatile byte[] request;
    private volatile Tap tap;
    private volatile byte[] heldReply;

    BodyCapture(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The client's request body, as read (not copied: the exchange keeps it anyway). */
    void request(byte[] body) {
        this.request = body;
    }

    /**
     * The tap of a new attempt, which replaces the previous attempt's: only the attempt whose reply reaches the client
     * counts.
     *
     * @param clientStream whether the client gets a server-sent event stream (after any conversion)
     */
    ContentTransformer tap(boolean clientStream) {
        Tap next = clientStream ? new StreamTap(maxBytes + SLACK) : new JsonTap(maxBytes + SLACK);
        tap = next;
        heldReply = null;
        return next;
    }

    /** A backend's reply that was held back for a retry and then given to the client as it was. */
    void heldReply(byte[] body) {
        tap = null;
        heldReply = body;
    }

    /** The captured bodies, cut to the cap and with every secret masked. */
    CapturedBodies result() {
        boolean[] truncated = new boolean[1];
        byte[] requestBytes = request;
        String requestText = requestBytes == null || requestBytes.length == 0 ? null
            : capped(decode(requestBytes, Math.min(requestBytes.length, maxBytes + SLACK)), truncated,
                requestBytes.length > maxBytes + SLACK);
        String responseText = null;
        Tap current = tap;
        byte[] held = heldReply;
        if (current != null) {
            responseText = capped(current.text(), truncated, current.overflowed());
        } else if (held != null) {
            responseText = capped(decode(held, Math.min(held.length, maxBytes + SLACK)), truncated,
                held.length > maxBytes + SLACK);
        }
        return new CapturedBodies(requestText, responseText, truncated[0]);
    }

    /** Masks the secrets of the text, then cuts it to the cap on a character boundary. */
    private String capped(String text, boolean[] truncated, boolean cutBefore) {
        String redacted = SecretRedactor.redact(text);
        byte[] bytes = redacted.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes && !cutBefore)
            return redacted;
        truncated[0] = true;
        return bytes.length <= maxBytes ? redacted : decode(bytes, maxBytes);
    }

    /** The first {@code length} bytes as text, without a character cut in half at the end. */
    static String decode(byte[] bytes, int length) {
        int end = length;
        if (end < bytes.length) {
            // Back off over the continuation bytes (10xxxxxx) of a character the cut falls inside.
            while (end > 0 && (bytes[end] & 0xC0) == 0x80)
                end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** One attempt's copy of the reply. */
    private abstract static class Tap implements ContentTransformer {
        abstract String text();

        /** Whether more passed than was kept. */
        abstract boolean overflowed();
    }

    /** The first bytes of a plain reply, as the client got them. */
    private static final class JsonTap extends Tap {
        private final byte[] kept;
        private int length;
        private boolean overflowed;

        JsonTap(int max) {
            this.kept = new byte[max];
        }

        @Override
        public synchronized void transform(ByteBuffer input, boolean finished, List<ByteBuffer> output) {
            int remaining = input.remaining();
            int room = kept.length - length;
            if (remaining > room)
                overflowed = true;
            int copy = Math.min(room, remaining);
            if (copy > 0) {
                input.duplicate().get(kept, length, copy);
                length += copy;
            }
            output.add(input);
        }

        @Override
        synchronized String text() {
            return decode(kept, length);
        }

        @Override
        synchronized boolean overflowed() {
            return overflowed;
        }
    }

    /**
     * The text of a stream as the client got it: the {@code choices[].delta.content} (or {@code choices[].text}) of
     * chat completion chunks, the {@code delta} of {@code response.output_text.delta} events.
     */
    private static final class StreamTap extends Tap {
        private final int max;
        private final SseEventScanner events = new SseEventScanner();
        private final StringBuilder text = new StringBuilder();
        private boolean full;

        StreamTap(int max) {
            this.max = max;
        }

        @Override
        public synchronized void transform(ByteBuffer input, boolean finished, List<ByteBuffer> output) {
            if (!full) {
                try {
                    events.feed(input.duplicate(), this::read);
                    if (finished)
                        events.finish(this::read);
                } catch (SseEventScanner.EventTooLargeException tooLarge) {
                    // Not ours to refuse: the capture stops, the stream goes on.
                    full = true;
                }
            }
            output.add(input);
        }

        private void read(SseEvent event) {
            String data = event.data();
            if (full || data == null || event.isDone() || data.isBlank())
                return;
            JsonObject chunk;
            try (JsonReader reader = Json.createReader(new StringReader(data))) {
                if (!(reader.readValue() instanceof JsonObject object))
                    return;
                chunk = object;
            } catch (JsonException | IllegalStateException notJson) {
                return;
            }
            if (chunk.get("choices") instanceof JsonArray choices) {
                for (JsonValue value : choices) {
                    if (value instanceof JsonObject choice)
                        append(choice);
                }
            } else if (chunk.get("type") instanceof JsonString type && type.getString().equals("response.output_text.delta")
                && chunk.get("delta") instanceof JsonString delta) {
                add(delta.getString());
            }
        }

        private void append(JsonObject choice) {
            if (choice.get("text") instanceof JsonString legacy)
                add(legacy.getString());
            if (choice.get("delta") instanceof JsonObject delta && delta.get("content") instanceof JsonString content)
                add(content.getString());
        }

        private void add(String piece) {
            text.append(piece);
            // A char is at least one UTF-8 byte: beyond max chars the text is surely beyond max bytes.
            if (text.length() > max) {
                text.setLength(max);
                full = true;
            }
        }

        @Override
        synchronized String text() {
            return text.toString();
        }

        @Override
        synchronized boolean overflowed() {
            return full;
        }
    }
}

package io.aigateway.proxy.stream;

import java.nio.ByteBuffer;

/**
 * One server-sent event as framed by {@link SseEventScanner}: its {@code event:} name, its {@code data:} lines, and
 * the exact bytes it was framed from.
 */
public final class SseEvent {
    private final String name;
    private final String data;
    private final ByteBuffer raw;

    SseEvent(String name, String data, ByteBuffer raw) {
        this.name = name;
        this.data = data;
        this.raw = raw;
    }

    /** The value of the last {@code event:} line, or null when there is none (the SSE default type, "message"). */
    public String name() {
        return name;
    }

    /** The {@code data:} lines joined by {@code \n}, or null when there is none (a comment or keep-alive). */
    public String data() {
        return data;
    }

    /** Whether this is OpenAI's end-of-stream marker, {@code data: [DONE]}. */
    public boolean isDone() {
        return "[DONE]".equals(data);
    }

    /**
     * The bytes of this event, from the end of the previous one through the blank line that ends this one, so that
     * the raw bytes of consecutive events add up to the stream. A read-only view that is valid only while the
     * callback that delivered the event runs (it may share the scanner's buffer or the caller's input); copy it, or
     * use {@link #rawBytes()}, to keep it.
     */
    public ByteBuffer raw() {
        return raw.duplicate();
    }

    /** A copy of {@link #raw()}. */
    public byte[] rawBytes() {
        byte[] bytes = new byte[raw.remaining()];
        raw.duplicate().get(bytes);
        return bytes;
    }

    @Override
    public String toString() {
        return "SseEvent[" + (name == null ? "" : name + " ") + data + "]";
    }
}

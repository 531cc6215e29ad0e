package io.aigateway.proxy.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Frames a server-sent event stream that arrives in chunks of any size, split anywhere (inside a multi-byte
 * character, between the {@code \r} and {@code \n} of a line end). Lines end with {@code \n}, {@code \r\n} or
 * {@code \r}; a blank line ends an event. An event that lies wholly inside one chunk is handed on as a view of that
 * chunk; only the unfinished tail of a chunk is copied aside, and never more than {@code maxEventBytes} of it.
 *
 * <p>Every blank-line-terminated block is delivered, including comment-only keep-alives (with null data), so the
 * raw bytes of the delivered events always add up to everything fed so far except the unfinished tail. A blank
 * line ending in {@code \r} is delivered at once; if the {@code \n} of a {@code \r\n} arrives in the next chunk it
 * becomes the first raw byte of the next event. Not thread-safe; unusable after it has thrown.
 */
public final class SseEventScanner {
    /** The default bound on one event, in bytes, including its line ends: 1 MiB. */
    public static final int DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;

    private static final byte[] NO_BYTES = new byte[0];

    private final int maxEventBytes;
    private byte[] pending = NO_BYTES;
    private int pendingLength;
    private int lineLength;
    private boolean afterCr;
    private boolean first = true;

    public SseEventScanner() {
        this(DEFAULT_MAX_EVENT_BYTES);
    }

    public SseEventScanner(int maxEventBytes) {
        if (maxEventBytes < 1)
            throw new IllegalArgumentException("maxEventBytes must be greater than 0");
        this.maxEventBytes = maxEventBytes;
    }

    /** Thrown when one event grows beyond the bound; an {@link IOException} so that it ends a transformer's stream. */
    public static final class EventTooLargeException extends IOException {
        EventTooLargeException(int max) {
            super("a server-sent event is longer than " + max + " bytes");
        }
    }

    /**
     * Reads all remaining bytes of {@code chunk} (its position ends at its limit) and hands each event they complete
     * to {@code sink}, in order.
     */
    public void feed(ByteBuffer chunk, Consumer<SseEvent> sink) throws EventTooLargeException {
        int limit = chunk.limit();
        int start = chunk.position();
        for (int i = start; i < limit; i++) {
            byte b = chunk.get(i);
            if (afterCr) {
                afterCr = false;
                if (b == '\n')
                    continue;
            }
            if (b != '\n' && b != '\r') {
                lineLength++;
                continue;
            }
            afterCr = b == '\r';
            if (lineLength > 0) {
                lineLength = 0;
                continue;
            }
            int end = i + 1;
            if (afterCr && end < limit && chunk.get(end) == '\n') {
                afterCr = false;
                end++;
                i++;
            }
            dispatch(chunk, start, end, sink);
            start = end;
        }
        int rest = limit - start;
        if (pendingLength + rest > maxEventBytes)
            throw new EventTooLargeException(maxEventBytes);
        append(chunk, start, rest);
        chunk.position(limit);
    }

    /**
     * Ends the stream: an unfinished last event (one the server did not end with a blank line) is handed to
     * {@code sink} if there is one.
     */
    public void finish(Consumer<SseEvent> sink) {
        if (pendingLength == 0)
            return;
        ByteBuffer raw = ByteBuffer.wrap(pending, 0, pendingLength).slice();
        pendingLength = 0;
        lineLength = 0;
        sink.accept(parse(raw));
    }

    /** The number of bytes held for an event that has not ended yet. */
    public int pendingBytes() {
        return pendingLength;
    }

    private void dispatch(ByteBuffer chunk, int start, int end, Consumer<SseEvent> sink) throws EventTooLargeException {
        int length = end - start;
        if (pendingLength + length > maxEventBytes)
            throw new EventTooLargeException(maxEventBytes);
        ByteBuffer raw;
        if (pendingLength == 0)
            raw = chunk.slice(start, length);
        else {
            append(chunk, start, length);
            raw = ByteBuffer.wrap(pending, 0, pendingLength).slice();
        }
        pendingLength = 0;
        sink.accept(parse(raw));
    }

    private void append(ByteBuffer chunk, int start, int length) {
        if (length == 0)
            return;
        if (pendingLength + length > pending.length)
            pending = Arrays.copyOf(pending, Math.min(maxEventBytes, Math.max(pending.length * 2, Math.max(256, pendingLength + length))));
        chunk.get(start, pending, pendingLength, length);
        pendingLength += length;
    }

    private SseEvent parse(ByteBuffer raw) {
        String name = null;
        String data = null;
        StringBuilder lines = null;
        int end = raw.limit();
        int lineStart = 0;
        if (first) {
            first = false;
            // A UTF-8 byte order mark may open the stream; it is not part of the first field name.
            if (end >= 3 && raw.get(0) == (byte)0xEF && raw.get(1) == (byte)0xBB && raw.get(2) == (byte)0xBF)
                lineStart = 3;
        }
        while (lineStart < end) {
            int lineEnd = lineStart;
            while (lineEnd < end && raw.get(lineEnd) != '\n' && raw.get(lineEnd) != '\r')
                lineEnd++;
            if (lineEnd > lineStart && raw.get(lineStart) != ':') {
                int colon = lineStart;
                while (colon < lineEnd && raw.get(colon) != ':')
                    colon++;
                int valueStart = Math.min(colon + 1, lineEnd);
                if (valueStart < lineEnd && raw.get(valueStart) == ' ')
                    valueStart++;
                if (isField(raw, lineStart, colon, "data")) {
                    String value = decode(raw, valueStart, lineEnd);
                    if (data == null)
                        data = value;
                    else {
                        if (lines == null)
                            lines = new StringBuilder(data);
                        lines.append('\n').append(value);
                    }
                } else if (isField(raw, lineStart, colon, "event"))
                    name = decode(raw, valueStart, lineEnd);
            }
            lineStart = lineEnd < end && raw.get(lineEnd) == '\r' && lineEnd + 1 < end && raw.get(lineEnd + 1) == '\n' ? lineEnd + 2 : lineEnd + 1;
        }
        return new SseEvent(name, lines != null ? lines.toString() : data, raw.asReadOnlyBuffer());
    }

    private static boolean isField(ByteBuffer raw, int start, int end, String field) {
        if (end - start != field.length())
            return false;
        for (int i = 0; i < field.length(); i++) {
            if (raw.get(start + i) != field.charAt(i))
                return false;
        }
        return true;
    }

    private static String decode(ByteBuffer raw, int start, int end) {
        if (raw.hasArray())
            return new String(raw.array(), raw.arrayOffset() + start, end - start, StandardCharsets.UTF_8);
        byte[] bytes = new byte[end - start];
        raw.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

package io.aigateway.bench.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.aigateway.bench.mock.ChatPayloads;

/**
 * Splits one stream's bytes into events and checks each against the mock's: content chunks {@code 0..chunks-1}
 * in order, then {@code [DONE]}, every byte unchanged. Also counts events that arrived in the same read as the one
 * before, which a proxy that gathers chunks would cause (the mock writes each event a gap apart).
 */
final class SseReader {

    interface EventSink {
        /** Event {@code index} was completed by bytes that arrived at {@code nanos}. */
        void onEvent(int index, long nanos);
    }

    private final int chunks;
    private final StringBuilder pending = new StringBuilder(512);
    private int next;
    private int mismatches;
    private int coalesced;

    SseReader(int chunks) {
        this.chunks = chunks;
    }

    void onBytes(ByteBuffer bytes, long nanos, EventSink sink) {
        pending.append(StandardCharsets.ISO_8859_1.decode(bytes));
        int eventsInRead = 0;
        int end;
        while ((end = pending.indexOf("\n\n")) >= 0) {
            String event = pending.substring(0, end + 2);
            pending.delete(0, end + 2);
            String expected = next < chunks ? ChatPayloads.chunkEvent(next) : next == chunks ? ChatPayloads.DONE_EVENT : null;
            if (!event.equals(expected)) {
                mismatches++;
            }
            if (++eventsInRead > 1) {
                coalesced++;
            }
            sink.onEvent(next++, nanos);
        }
    }

    /** Whether every event arrived, in order, unchanged, and nothing followed. */
    boolean complete() {
        return mismatches == 0 && next == chunks + 1 && pending.length() == 0;
    }

    int eventsSeen() {
        return next;
    }

    int coalesced() {
        return coalesced;
    }
}

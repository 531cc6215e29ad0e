package io.aigateway.proxy.stream;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SseEventScannerTest {
    /** Events, keep-alive comment, multi-line data, multi-byte characters, an event name and the end marker. */
    private static final String STREAM = "data: {\"a\":\"caf\u00e9\"}\n\n"
        + ": keep-alive\n\n"
        + "event: response.output_text.delta\ndata: {\"delta\":\"\uD83D\uDE00 \u4e16\u754c\"}\n\n"
        + "data: line one\ndata: line two\nid: 7\nretry: 10\n\n"
        + "data:no-space\ndata\n\n"
        + "data: [DONE]\n\n";

    private static final List<String> EXPECTED = List.of(
        "null|{\"a\":\"caf\u00e9\"}",
        "null|null",
        "response.output_text.delta|{\"delta\":\"\uD83D\uDE00 \u4e16\u754c\"}",
        "null|line one\nline two",
        "null|no-space\n",
        "null|[DONE]");

    @Test
    void framesEveryEventWhateverTheSplitPoint() throws Exception {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= bytes.length; split++) {
            Collected collected = scan(bytes, split);

            assertEquals(EXPECTED, collected.events, "split at " + split);
            assertArrayEquals(bytes, collected.raw.toByteArray(), "split at " + split);
        }
    }

    @Test
    void framesEveryEventWhateverTheTwoSplitPoints() throws Exception {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        for (int first = 0; first <= bytes.length; first++) {
            for (int second = first; second <= bytes.length; second++) {
                Collected collected = scan(bytes, first, second);

                assertEquals(EXPECTED, collected.events, "split at " + first + ", " + second);
                assertArrayEquals(bytes, collected.raw.toByteArray());
            }
        }
    }

    @Test
    void acceptsCrLfCrAndMixedLineEndsAtEverySplitPoint() throws Exception {
        for (String stream : List.of(
            "event: a\r\ndata: x\r\n\r\ndata: y\r\n\r\n",
            "event: a\rdata: x\r\rdata: y\r\r",
            "event: a\r\ndata: x\n\rdata: y\r\n\n",
            "event: a\ndata: x\r\n\ndata: y\r\r\n")) {
            byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
            for (int split = 0; split <= bytes.length; split++) {
                Collected collected = scan(bytes, split);

                assertEquals(List.of("a|x", "null|y"), collected.events.subList(0, 2), escape(stream) + " split at " + split);
                assertTrue(collected.events.subList(2, collected.events.size()).stream().allMatch("null|null"::equals));
                assertArrayEquals(bytes, collected.raw.toByteArray(), escape(stream) + " split at " + split);
            }
        }
    }

    @Test
    void aCrLfSplitBetweenItsBytesEndsTheEventAtOnceAndLeadsTheNextOne() throws Exception {
        SseEventScanner scanner = new SseEventScanner();
        List<SseEvent> events = new ArrayList<>();
        scanner.feed(utf8("data: x\r\n\r"), events::add);

        assertEquals(1, events.size());
        assertEquals("data: x\r\n\r", new String(events.get(0).rawBytes(), StandardCharsets.UTF_8));

        scanner.feed(utf8("\ndata: y\r\n\r\n"), events::add);

        assertEquals("y", events.get(1).data());
        assertEquals("\ndata: y\r\n\r\n", new String(events.get(1).rawBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void keepsOnlyTheUnfinishedTail() throws Exception {
        SseEventScanner scanner = new SseEventScanner();
        List<String> data = new ArrayList<>();
        scanner.feed(utf8("data: one\n\ndata: tw"), event -> data.add(event.data()));

        assertEquals(List.of("one"), data);
        assertEquals("data: tw".length(), scanner.pendingBytes());
    }

    @Test
    void anEventInsideOneChunkIsAViewOfThatChunk() throws Exception {
        byte[] bytes = "data: abc\n\n".getBytes(StandardCharsets.UTF_8);
        List<Byte> seen = new ArrayList<>();

        new SseEventScanner().feed(ByteBuffer.wrap(bytes), event -> {
            bytes[6] = 'X';
            seen.add(event.raw().get(6));
        });

        assertEquals(List.of((byte)'X'), seen);
    }

    @Test
    void finishDeliversAnUnterminatedLastEvent() throws Exception {
        SseEventScanner scanner = new SseEventScanner();
        List<String> data = new ArrayList<>();
        scanner.feed(utf8("data: one\n\ndata: [DONE]\n"), event -> data.add(event.data()));
        scanner.finish(event -> data.add(event.data()));

        assertEquals(List.of("one", "[DONE]"), data);
        assertEquals(0, scanner.pendingBytes());
    }

    @Test
    void skipsAByteOrderMarkAtTheStart() throws Exception {
        List<SseEvent> events = new ArrayList<>();
        new SseEventScanner().feed(utf8("\uFEFFevent: e\ndata: d\n\n"), events::add);

        assertEquals("e", events.get(0).name());
        assertEquals("d", events.get(0).data());
    }

    @Test
    void anEventOverTheBoundIsAnErrorWhetherWholeOrSplit() throws Exception {
        String event = "data: 0123456789\n\n";  // 18 bytes

        assertEquals(List.of("null|0123456789"), scanWith(18, event).events);
        assertThrows(SseEventScanner.EventTooLargeException.class, () -> scanWith(17, event));
        assertThrows(SseEventScanner.EventTooLargeException.class, () -> scanWith(17, "data: 0123", "456789\n\n"));
        assertThrows(SseEventScanner.EventTooLargeException.class, () -> scanWith(17, "data: 0123456789ab"));
    }

    @Test
    void theBoundAppliesToEachEventNotToTheStream() throws Exception {
        assertEquals(3, scanWith(18, "data: 0123456789\n\ndata: 0123456789\n\ndata: 0123456789\n\n").events.size());
    }

    @Test
    void aCommentOnlyBlockHasNoData() throws Exception {
        List<SseEvent> events = new ArrayList<>();
        new SseEventScanner().feed(utf8(": ping\n\n"), events::add);

        assertNull(events.get(0).data());
        assertNull(events.get(0).name());
    }

    private static final class Collected {
        final List<String> events = new ArrayList<>();
        final ByteArrayOutputStream raw = new ByteArrayOutputStream();
    }

    private static Collected scan(byte[] bytes, int... splits) throws Exception {
        Collected collected = new Collected();
        SseEventScanner scanner = new SseEventScanner();
        int from = 0;
        for (int i = 0; i <= splits.length; i++) {
            int to = i < splits.length ? splits[i] : bytes.length;
            // A chunk that is a window of a larger buffer, as a transformer gets it.
            scanner.feed(ByteBuffer.wrap(bytes, from, to - from), event -> collect(collected, event));
            from = to;
        }
        // A CRLF split between its bytes leaves the LF as the start of an event that never comes.
        scanner.finish(event -> collect(collected, event));
        return collected;
    }

    private static Collected scanWith(int max, String... chunks) throws Exception {
        Collected collected = new Collected();
        SseEventScanner scanner = new SseEventScanner(max);
        for (String chunk : chunks)
            scanner.feed(utf8(chunk), event -> collect(collected, event));
        return collected;
    }

    private static void collect(Collected collected, SseEvent event) {
        collected.events.add(event.name() + "|" + event.data());
        collected.raw.writeBytes(event.rawBytes());
    }

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String escape(String text) {
        return text.replace("\r", "\\r").replace("\n", "\\n");
    }
}

package io.aigateway.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SseTest {

    @Test
    void joinsDataLinesSkipsCommentsAndDropsAnEventCutOffByTheEnd() {
        try (Sse sse = new Sse(bytes(": keep-alive\r\nevent: x\r\ndata: a\r\ndata: b\r\n\r\ndata: [DONE]\n\ndata: cut"))) {
            assertEquals(new Sse.Event("x", "a\nb"), sse.next());
            assertTrue(sse.next().isDone());
            assertNull(sse.next());
            assertNull(sse.next());
        }
    }

    @Test
    void handsOverAnEventBeforeTheStreamEnds() throws Exception {
        PipedOutputStream out = new PipedOutputStream();
        try (Sse sse = new Sse(new PipedInputStream(out))) {
            out.write("data: first\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertEquals("first", sse.next().data());
            out.close();
            assertNull(sse.next());
        }
    }

    @Test
    void failsWhenNoEventArrivesInTime() throws Exception {
        PipedOutputStream out = new PipedOutputStream();
        try (Sse sse = new Sse(new PipedInputStream(out), Duration.ofMillis(50))) {
            assertThrows(AssertionError.class, sse::next);
        } finally {
            out.close();
        }
    }

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}

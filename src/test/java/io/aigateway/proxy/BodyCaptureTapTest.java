package io.aigateway.proxy;

import io.aigateway.log.CapturedBodies;
import io.aigateway.log.SecretRedactor;
import org.eclipse.jetty.ee10.proxy.AsyncMiddleManServlet.ContentTransformer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The body capture's taps copy without changing what passes, and cut, decode and mask what they kept. */
class BodyCaptureTapTest {
    static final String CHAT = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Grüße, \"}}]}\n\n"
        + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Welt €\"}}]}\n\n"
        + ": keep-alive\n\n"
        + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1}}\n\n"
        + "data: [DONE]\n\n";
    static final String RESPONSES = "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{}}\n\n"
        + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"hi \"}\n\n"
        + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"there\"}\n\n"
        + "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"output_text\":\"x\"}}\n\n";

    /** Feeds the text one byte at a time (splitting every character and line end) and returns what came out. */
    private static byte[] byteByByte(ContentTransformer tap, String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < bytes.length; i++) {
            List<ByteBuffer> output = new ArrayList<>();
            tap.transform(ByteBuffer.wrap(bytes, i, 1).slice(), i == bytes.length - 1, output);
            for (ByteBuffer buffer : output) {
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                out.write(chunk);
            }
        }
        return out.toByteArray();
    }

    @Test
    void aStreamIsAssembledFromChatDeltasWhatEverTheChunkingAndPassesUnchanged() throws Exception {
        BodyCapture capture = new BodyCapture(100);
        capture.request("{\"stream\":true}".getBytes(StandardCharsets.UTF_8));
        ContentTransformer tap = capture.tap(true);
        assertEquals(CHAT, new String(byteByByte(tap, CHAT), StandardCharsets.UTF_8));
        CapturedBodies bodies = capture.result();
        assertEquals("{\"stream\":true}", bodies.request());
        assertEquals("Grüße, Welt €", bodies.response());
        assertFalse(bodies.truncated());
    }

    @Test
    void aResponsesStreamIsAssembledFromItsOutputTextDeltas() throws Exception {
        BodyCapture capture = new BodyCapture(100);
        byteByByte(capture.tap(true), RESPONSES);
        assertEquals("hi there", capture.result().response());
        assertNull(capture.result().request(), "no body, no request text");
    }

    @Test
    void onlyTheLastAttemptCountsAndAHeldReplyReplacesIt() throws Exception {
        BodyCapture capture = new BodyCapture(100);
        byteByByte(capture.tap(false), "{\"first\":1}");
        byteByByte(capture.tap(false), "{\"second\":2}");
        assertEquals("{\"second\":2}", capture.result().response());
        capture.heldReply("{\"error\":{}}".getBytes(StandardCharsets.UTF_8));
        assertEquals("{\"error\":{}}", capture.result().response());
    }

    @Test
    void theCapCutsOnACharacterBoundaryAndMarksIt() throws Exception {
        BodyCapture capture = new BodyCapture(5);
        // "ab€€": the cut at 5 bytes falls inside the second €.
        capture.request("ab€€".getBytes(StandardCharsets.UTF_8));
        byteByByte(capture.tap(true), CHAT);
        CapturedBodies bodies = capture.result();
        assertEquals("ab€", bodies.request());
        assertEquals("Grü", bodies.response()); // 4 bytes: ß would make 6
        assertTrue(bodies.truncated());

        BodyCapture big = new BodyCapture(10);
        String reply = "x".repeat(BodyCapture.SLACK + 100);
        assertEquals(reply, new String(byteByByte(big.tap(false), reply), StandardCharsets.UTF_8), "passes whole");
        assertEquals("x".repeat(10), big.result().response());
        assertTrue(big.result().truncated());
    }

    @Test
    void aSecretAcrossTheCutIsMaskedBeforeItIsCut() {
        String key = "backend-key-across-the-cut";
        SecretRedactor.rememberSecrets(List.of(key));
        try {
            BodyCapture capture = new BodyCapture(12);
            capture.request(("prompt: " + key + " and more").getBytes(StandardCharsets.UTF_8));
            CapturedBodies bodies = capture.result();
            assertEquals("prompt: [RED", bodies.request());
            assertTrue(bodies.truncated());
        } finally {
            SecretRedactor.rememberSecrets(List.of());
        }
    }

    @Test
    void anOversizedEventStopsTheCaptureButNotTheStream() throws Exception {
        BodyCapture capture = new BodyCapture(100);
        ContentTransformer tap = capture.tap(true);
        String huge = "data: {\"choices\":[{\"delta\":{\"content\":\"" + "y".repeat(2 * 1024 * 1024) + "\"}}]}\n\n";
        List<ByteBuffer> output = new ArrayList<>();
        tap.transform(ByteBuffer.wrap(huge.getBytes(StandardCharsets.UTF_8)), true, output);
        assertEquals(huge.length(), output.get(0).remaining());
        assertTrue(capture.result().truncated());
    }
}

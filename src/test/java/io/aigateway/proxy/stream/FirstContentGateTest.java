package io.aigateway.proxy.stream;

import io.aigateway.proxy.stream.FirstContentGate.Release;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.aigateway.proxy.stream.StreamSamples.CHAT_TEXT_STREAM;
import static io.aigateway.proxy.stream.StreamSamples.CHAT_TOOL_STREAM;
import static io.aigateway.proxy.stream.StreamSamples.COMPLETION_STREAM;
import static io.aigateway.proxy.stream.StreamSamples.ROLE_CHUNK;
import static io.aigateway.proxy.stream.StreamSamples.chatChunk;
import static io.aigateway.proxy.stream.StreamSamples.chatDelta;
import static io.aigateway.proxy.stream.StreamSamples.completionChunk;
import static io.aigateway.proxy.stream.StreamSamples.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FirstContentGateTest {
    private final List<Release> releases = new ArrayList<>();
    private final FirstContentGate gate = new FirstContentGate(releases::add);

    @Test
    void holdsARoleOnlyFirstChunkAndReleasesEverythingAtTheFirstContentChunk() throws Exception {
        List<ByteBuffer> output = new ArrayList<>();
        String content = chatDelta("{\"content\":\"Hi\"}", "null");

        gate.transform(ByteBuffer.wrap(utf8(ROLE_CHUNK)), false, output);

        assertTrue(output.isEmpty());
        assertFalse(gate.released());
        assertNull(gate.reason());
        assertTrue(releases.isEmpty());

        gate.transform(ByteBuffer.wrap(utf8(content)), false, output);

        assertTrue(gate.released());
        assertEquals(List.of(Release.CONTENT), releases);
        assertArrayEquals(utf8(ROLE_CHUNK + content), concat(output));
    }

    @Test
    void passesInputThroughWithoutCopyingAfterRelease() throws Exception {
        List<ByteBuffer> output = new ArrayList<>();
        gate.transform(ByteBuffer.wrap(utf8(chatDelta("{\"role\":\"assistant\",\"content\":\"Hi\"}", "null"))), false, output);
        ByteBuffer next = ByteBuffer.wrap(utf8(chatDelta("{\"content\":\" there\"}", "null")));
        ByteBuffer last = ByteBuffer.allocateDirect(14).put(utf8("data: [DONE]\n\n")).flip();
        output.clear();

        gate.transform(next, false, output);
        gate.transform(last, true, output);

        assertEquals(2, output.size());
        assertSame(next, output.get(0));
        assertSame(last, output.get(1));
        assertEquals(List.of(Release.CONTENT), releases);
    }

    @Test
    void releasesWhereTheFirstContentEventCompletesWhateverTheSplitPoint() throws Exception {
        // Each stream with the number of the event that first carries content.
        for (var sample : java.util.Map.of(CHAT_TEXT_STREAM, 2, CHAT_TOOL_STREAM, 1, COMPLETION_STREAM, 1).entrySet()) {
            String stream = sample.getKey();
            byte[] bytes = utf8(stream);
            int firstContentEnd = 0;
            for (int n = 0; n < sample.getValue(); n++)
                firstContentEnd = stream.indexOf("\n\n", firstContentEnd) + 2;
            for (int split = 0; split <= bytes.length; split++) {
                List<Release> seen = new ArrayList<>();
                FirstContentGate gate = new FirstContentGate(seen::add);
                List<ByteBuffer> output = new ArrayList<>();
                gate.transform(ByteBuffer.wrap(bytes, 0, split), false, output);

                assertEquals(split >= firstContentEnd, gate.released(), "split at " + split);

                gate.transform(ByteBuffer.wrap(bytes, split, bytes.length - split), true, output);

                assertArrayEquals(bytes, concat(output), "split at " + split);
                assertEquals(List.of(Release.CONTENT), seen);
            }
        }
    }

    @Test
    void releasesOnDoneWhenNoContentCame() throws Exception {
        List<ByteBuffer> output = new ArrayList<>();
        String stream = ROLE_CHUNK + chatDelta("{}", "\"stop\"") + "data: [DONE]\n\n";

        gate.transform(ByteBuffer.wrap(utf8(stream)), false, output);

        assertEquals(List.of(Release.DONE), releases);
        assertArrayEquals(utf8(stream), concat(output));
    }

    @Test
    void releasesOnAnErrorEventSoThatTheErrorIsRelayed() throws Exception {
        List<ByteBuffer> output = new ArrayList<>();
        String stream = ROLE_CHUNK + "data: {\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n";

        gate.transform(ByteBuffer.wrap(utf8(stream)), false, output);

        assertEquals(List.of(Release.ERROR), releases);
        assertArrayEquals(utf8(stream), concat(output));
    }

    @Test
    void holdsPromptFilterAndEmptyContentChunks() throws Exception {
        List<ByteBuffer> output = new ArrayList<>();
        String azureFilter = "data: {\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\",\"prompt_filter_results\":"
            + "[{\"prompt_index\":0,\"content_filter_results\":{}}]}\n\n";

        gate.transform(ByteBuffer.wrap(utf8(azureFilter + ROLE_CHUNK + chatDelta("{\"content\":\"\"}", "null")
            + chatDelta("{\"tool_calls\":[]}", "null") + completionChunk("", "null") + ": keep-alive\n\n")), false, output);

        assertFalse(gate.released());
        assertTrue(output.isEmpty());
    }

    @Test
    void releasesOnRefusalToolCallAndLegacyFunctionCallDeltas() throws Exception {
        for (String delta : List.of("{\"refusal\":\"I can't\"}", "{\"tool_calls\":[{\"index\":0,\"id\":\"c\",\"type\":\"function\"}]}",
            "{\"role\":\"assistant\",\"content\":null,\"function_call\":{\"name\":\"f\",\"arguments\":\"\"}}")) {
            assertEquals(Release.CONTENT, FirstContentGate.classify(event(chatDelta(delta, "null"))), delta);
        }
        assertEquals(Release.CONTENT, FirstContentGate.classify(event(completionChunk("x", "null"))));
        assertNull(FirstContentGate.classify(event(chatChunk("[]", StreamSamples.USAGE))));
    }

    @Test
    void classifiesResponsesApiEvents() throws Exception {
        assertNull(FirstContentGate.classify(event("event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,"
            + "\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\",\"error\":null,\"output\":[]}}\n\n")));
        assertNull(FirstContentGate.classify(event("event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\","
            + "\"output_index\":0,\"item\":{\"id\":\"msg_1\",\"type\":\"message\",\"status\":\"in_progress\",\"content\":[],\"role\":\"assistant\"}}\n\n")));
        assertNull(FirstContentGate.classify(event("event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\","
            + "\"output_index\":0,\"item\":{\"id\":\"rs_1\",\"type\":\"reasoning\",\"summary\":[]}}\n\n")));
        assertEquals(Release.CONTENT, FirstContentGate.classify(event("event: response.output_item.added\ndata: {\"type\":"
            + "\"response.output_item.added\",\"output_index\":0,\"item\":{\"id\":\"fc_1\",\"type\":\"function_call\",\"arguments\":\"\"}}\n\n")));
        for (String type : List.of("response.output_text.delta", "response.refusal.delta", "response.function_call_arguments.delta"))
            assertEquals(Release.CONTENT, FirstContentGate.classify(event("event: " + type + "\ndata: {\"type\":\"" + type + "\",\"delta\":\"x\"}\n\n")));
        assertEquals(Release.DONE, FirstContentGate.classify(event("event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{}}\n\n")));
        assertEquals(Release.ERROR, FirstContentGate.classify(event("event: error\ndata: {\"type\":\"error\",\"code\":\"server_error\",\"message\":\"boom\"}\n\n")));
        assertEquals(Release.ERROR, FirstContentGate.classify(event("event: response.failed\ndata: {\"type\":\"response.failed\",\"response\":{}}\n\n")));
        assertEquals(Release.ERROR, FirstContentGate.classify(event("event: error\ndata: not json\n\n")));
    }

    @Test
    void releasesAnywayPastTheHoldBound() throws Exception {
        List<ByteBuffer> output = new ArrayList<>();
        FirstContentGate small = new FirstContentGate(100, releases::add);
        String keepAlives = ": keep-alive\n\n".repeat(10);

        small.transform(ByteBuffer.wrap(utf8(keepAlives)), false, output);

        assertEquals(List.of(Release.OVERFLOW), releases);
        assertArrayEquals(utf8(keepAlives), concat(output));
    }

    @Test
    void releasesAnywayWhenOneEventIsLongerThanTheHoldBound() throws Exception {
        List<ByteBuffer> output = new ArrayList<>();
        FirstContentGate small = new FirstContentGate(100, releases::add);
        String longEvent = "data: " + "x".repeat(200);

        small.transform(ByteBuffer.wrap(utf8(longEvent)), false, output);

        assertEquals(List.of(Release.OVERFLOW), releases);
        assertArrayEquals(utf8(longEvent), concat(output));
    }

    @Test
    void emitsWhatItHoldsAtTheEndOfTheInput() throws Exception {
        List<ByteBuffer> output = new ArrayList<>();
        gate.transform(ByteBuffer.wrap(utf8(ROLE_CHUNK)), false, output);
        gate.transform(ByteBuffer.allocate(0), true, output);

        assertEquals(List.of(Release.END), releases);
        assertArrayEquals(utf8(ROLE_CHUNK), concat(output));
    }

    @Test
    void copiesWhatItHoldsBecauseJettyReusesTheInputBuffer() throws Exception {
        List<ByteBuffer> output = new ArrayList<>();
        byte[] reused = utf8(ROLE_CHUNK);
        gate.transform(ByteBuffer.wrap(reused), false, output);
        java.util.Arrays.fill(reused, (byte)'!');
        gate.transform(ByteBuffer.wrap(utf8("data: [DONE]\n\n")), false, output);

        assertArrayEquals(utf8(ROLE_CHUNK + "data: [DONE]\n\n"), concat(output));
    }

    private static SseEvent event(String text) throws Exception {
        List<SseEvent> events = new ArrayList<>();
        new SseEventScanner().feed(ByteBuffer.wrap(utf8(text)), events::add);
        assertEquals(1, events.size());
        return events.get(0);
    }

    static byte[] concat(List<ByteBuffer> buffers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuffer buffer : buffers) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }
}

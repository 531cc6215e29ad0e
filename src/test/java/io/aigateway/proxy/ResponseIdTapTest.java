package io.aigateway.proxy;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class ResponseIdTapTest {
    private static final String JSON_REPLY = "{\"id\":\"resp_67ccd2bed1ec8190\",\"object\":\"response\","
        + "\"output\":[{\"id\":\"msg_1\",\"type\":\"message\"}],\"metadata\":{\"id\":\"meta\"}}";
    private static final String SSE_REPLY = "event: response.created\n"
        + "data: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"object\":\"response\","
        + "\"metadata\":{\"id\":\"meta\"},\"id\":\"resp_stream_1\",\"status\":\"in_progress\"}}\n\n"
        + "event: response.output_item.added\n"
        + "data: {\"type\":\"response.output_item.added\",\"item\":{\"id\":\"msg_2\"}}\n\n";

    private final List<String> ids = new ArrayList<>();

    @Test
    void findsTheIdOfAJsonReplyInOneChunk() throws IOException {
        feed(new ResponseIdTap(false, ids::add), JSON_REPLY);

        assertEquals(List.of("resp_67ccd2bed1ec8190"), ids);
    }

    @Test
    void findsTheIdOfAJsonReplyWhenItIsNotTheFirstField() throws IOException {
        feed(new ResponseIdTap(false, ids::add),
            "{\"object\":\"response\",\"output\":[{\"id\":\"msg_1\"}],\"usage\":{\"id\":\"u\"},\"id\":\"resp_late\"}");

        assertEquals(List.of("resp_late"), ids);
    }

    @Test
    void findsTheIdOfAJsonReplySplitAcrossChunks() throws IOException {
        for (int split = 1; split < JSON_REPLY.length(); split++) {
            List<String> found = new ArrayList<>();

            feed(new ResponseIdTap(false, found::add), JSON_REPLY.substring(0, split), JSON_REPLY.substring(split));

            assertEquals(List.of("resp_67ccd2bed1ec8190"), found, "split at " + split);
        }
    }

    @Test
    void findsTheIdOfAJsonReplyArrivingByteByByte() throws IOException {
        feed(new ResponseIdTap(false, ids::add), JSON_REPLY.split(""));

        assertEquals(List.of("resp_67ccd2bed1ec8190"), ids);
    }

    @Test
    void findsTheResponseIdOfTheFirstServerSentEvent() throws IOException {
        feed(new ResponseIdTap(true, ids::add), SSE_REPLY);

        assertEquals(List.of("resp_stream_1"), ids);
    }

    @Test
    void findsTheResponseIdOfAnEventSplitAcrossChunks() throws IOException {
        for (int split = 1; split < SSE_REPLY.length(); split++) {
            List<String> found = new ArrayList<>();

            feed(new ResponseIdTap(true, found::add), SSE_REPLY.substring(0, split), SSE_REPLY.substring(split));

            assertEquals(List.of("resp_stream_1"), found, "split at " + split);
        }
    }

    @Test
    void looksOnlyAtTheFirstEvent() throws IOException {
        feed(new ResponseIdTap(true, ids::add), "event: ping\ndata: {}\n\n" + SSE_REPLY);

        assertEquals(List.of(), ids);
    }

    @Test
    void findsTheResponseIdOfAnEventStreamWithCrlfLineEnds() throws IOException {
        feed(new ResponseIdTap(true, ids::add), SSE_REPLY.replace("\n", "\r\n"));

        assertEquals(List.of("resp_stream_1"), ids);
    }

    @Test
    void passesEveryByteThroughUnchanged() throws IOException {
        byte[] reply = (SSE_REPLY + "data: caf\u00e9 \uD83D\uDE00\n\n").getBytes(StandardCharsets.UTF_8);
        ResponseIdTap tap = new ResponseIdTap(true, ids::add);
        ByteArrayOutputStream passed = new ByteArrayOutputStream();

        for (int start = 0; start < reply.length; start += 7) {
            ByteBuffer chunk = ByteBuffer.wrap(reply, start, Math.min(7, reply.length - start)).slice();
            List<ByteBuffer> output = new ArrayList<>();
            tap.transform(chunk, start + 7 >= reply.length, output);

            assertEquals(1, output.size());
            assertSame(chunk, output.get(0), "the input buffer itself is passed on");
            ByteBuffer out = output.get(0);
            byte[] bytes = new byte[out.remaining()];
            out.get(bytes);
            passed.writeBytes(bytes);
        }

        assertArrayEquals(reply, passed.toByteArray());
        assertEquals(List.of("resp_stream_1"), ids);
    }

    @Test
    void reportsTheIdOnlyOnce() throws IOException {
        feed(new ResponseIdTap(false, ids::add), JSON_REPLY, JSON_REPLY, JSON_REPLY);

        assertEquals(List.of("resp_67ccd2bed1ec8190"), ids);
    }

    @Test
    void stopsLookingAfterSixteenKibibytesOfJson() throws IOException {
        String padding = "x".repeat(ResponseIdTap.MAX_PREFIX);
        ResponseIdTap tap = new ResponseIdTap(false, ids::add);

        List<ByteBuffer> output = feed(tap, "{\"object\":\"response\",\"instructions\":\"" + padding + "\",",
            "\"id\":\"resp_too_late\"}");

        assertEquals(List.of(), ids);
        assertEquals(2, output.size(), "the bytes still pass through");
    }

    @Test
    void stopsLookingAfterSixteenKibibytesWithoutAnEventEnd() throws IOException {
        String longComment = ": " + "x".repeat(ResponseIdTap.MAX_PREFIX) + "\n";

        feed(new ResponseIdTap(true, ids::add), longComment, SSE_REPLY);

        assertEquals(List.of(), ids);
    }

    @Test
    void findsAnIdEndingJustInsideTheSixteenKibibytes() throws IOException {
        String head = "{\"object\":\"response\",\"instructions\":\"";
        String tail = "\",\"id\":\"resp_edge\"";
        String padding = "x".repeat(ResponseIdTap.MAX_PREFIX - head.length() - tail.length());

        feed(new ResponseIdTap(false, ids::add), head + padding + tail, "}");

        assertEquals(List.of("resp_edge"), ids);
    }

    @Test
    void ignoresAnIdThatIsNotAString() throws IOException {
        feed(new ResponseIdTap(false, ids::add), "{\"id\":42,\"object\":\"response\"}");

        assertEquals(List.of(), ids);
    }

    @Test
    void findsNoIdInAnErrorReply() throws IOException {
        feed(new ResponseIdTap(false, ids::add),
            "{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\"}}");

        assertEquals(List.of(), ids);
    }

    private static List<ByteBuffer> feed(ResponseIdTap tap, String... chunks) throws IOException {
        List<ByteBuffer> output = new ArrayList<>();
        for (int i = 0; i < chunks.length; i++) {
            tap.transform(ByteBuffer.wrap(chunks[i].getBytes(StandardCharsets.UTF_8)), i == chunks.length - 1, output);
        }
        return output;
    }
}

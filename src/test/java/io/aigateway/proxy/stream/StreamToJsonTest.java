package io.aigateway.proxy.stream;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static io.aigateway.proxy.stream.StreamSamples.CHAT_TEXT_REPLY;
import static io.aigateway.proxy.stream.StreamSamples.CHAT_TEXT_STREAM;
import static io.aigateway.proxy.stream.StreamSamples.CHAT_TOOL_REPLY;
import static io.aigateway.proxy.stream.StreamSamples.CHAT_TOOL_STREAM;
import static io.aigateway.proxy.stream.StreamSamples.COMPLETION_REPLY;
import static io.aigateway.proxy.stream.StreamSamples.COMPLETION_STREAM;
import static io.aigateway.proxy.stream.StreamSamples.RESPONSE;
import static io.aigateway.proxy.stream.StreamSamples.ROLE_CHUNK;
import static io.aigateway.proxy.stream.StreamSamples.chatChunk;
import static io.aigateway.proxy.stream.StreamSamples.chatDelta;
import static io.aigateway.proxy.stream.StreamSamples.json;
import static io.aigateway.proxy.stream.StreamSamples.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamToJsonTest {

    @Test
    void assemblesAChatCompletionFromContentDeltasAndTheUsageChunk() throws Exception {
        StreamToJson converter = feed(CHAT_TEXT_STREAM, 7);

        assertTrue(converter.complete());
        assertNull(converter.error());
        assertEquals(json(CHAT_TEXT_REPLY), json(converter.toJson()));
    }

    @Test
    void mergesToolCallsSplitAcrossChunksByIndex() throws Exception {
        for (int chunkSize = 1; chunkSize <= 64; chunkSize *= 2)
            assertEquals(json(CHAT_TOOL_REPLY), json(feed(CHAT_TOOL_STREAM, chunkSize).toJson()), "chunk size " + chunkSize);
    }

    @Test
    void assemblesATextCompletion() throws Exception {
        assertEquals(json(COMPLETION_REPLY), json(feed(COMPLETION_STREAM, 5).toJson()));
    }

    @Test
    void keepsChoicesApartAndRefusalsWhole() throws Exception {
        String stream = chatChunk("[{\"index\":1,\"delta\":{\"role\":\"assistant\",\"content\":\"B\"},\"logprobs\":null,\"finish_reason\":null}]", "null")
            + chatChunk("[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"refusal\":\"I can\"},\"logprobs\":null,\"finish_reason\":null}]", "null")
            + chatChunk("[{\"index\":0,\"delta\":{\"refusal\":\"not.\"},\"logprobs\":null,\"finish_reason\":\"stop\"},"
                + "{\"index\":1,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"length\"}]", "null")
            + "data: [DONE]\n\n";

        JsonObject reply = json(feed(stream, 1000).toJson()).asJsonObject();

        assertEquals(json("[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"refusal\":\"I cannot.\"},"
            + "\"logprobs\":null,\"finish_reason\":\"stop\"},{\"index\":1,\"message\":{\"role\":\"assistant\",\"content\":\"B\"},"
            + "\"logprobs\":null,\"finish_reason\":\"length\"}]"), reply.get("choices"));
        assertFalse(reply.containsKey("usage"));
    }

    @Test
    void joinsLogprobsArrays() throws Exception {
        String stream = ROLE_CHUNK
            + chatChunk("[{\"index\":0,\"delta\":{\"content\":\"A\"},\"logprobs\":{\"content\":[{\"token\":\"A\",\"logprob\":-0.1,"
                + "\"bytes\":[65],\"top_logprobs\":[]}],\"refusal\":null},\"finish_reason\":null}]", "null")
            + chatChunk("[{\"index\":0,\"delta\":{\"content\":\"B\"},\"logprobs\":{\"content\":[{\"token\":\"B\",\"logprob\":-0.2,"
                + "\"bytes\":[66],\"top_logprobs\":[]}],\"refusal\":null},\"finish_reason\":\"stop\"}]", "null")
            + "data: [DONE]\n\n";

        JsonObject choice = json(feed(stream, 1000).toJson()).asJsonObject().getJsonArray("choices").getJsonObject(0);

        assertEquals(json("{\"content\":[{\"token\":\"A\",\"logprob\":-0.1,\"bytes\":[65],\"top_logprobs\":[]},"
            + "{\"token\":\"B\",\"logprob\":-0.2,\"bytes\":[66],\"top_logprobs\":[]}],\"refusal\":null}"), choice.get("logprobs"));
    }

    @Test
    void takesTheResponseOfTheCompletedEvent() throws Exception {
        String stream = "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":"
            + "{\"id\":\"resp_67c\",\"object\":\"response\",\"status\":\"in_progress\",\"output\":[]}}\n\n"
            + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":4,"
            + "\"item_id\":\"msg_67c\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hi\"}\n\n"
            + "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":9,\"response\":" + RESPONSE + "}\n\n";

        StreamToJson converter = feed(stream, 13);

        assertTrue(converter.complete());
        assertEquals(json(RESPONSE), json(converter.toJson()));
    }

    @Test
    void anErrorInTheStreamBecomesAnErrorReply() throws Exception {
        String error = "{\"message\":\"The server had an error\",\"type\":\"server_error\",\"param\":null,\"code\":null}";
        StreamToJson converter = feed(ROLE_CHUNK + chatDelta("{\"content\":\"Hi\"}", "null") + "data: {\"error\":" + error + "}\n\n", 1000);

        assertEquals(json(error), converter.error());
        assertEquals(json("{\"error\":" + error + "}"), json(converter.toJson()));
    }

    @Test
    void aResponsesErrorEventBecomesAnErrorReply() throws Exception {
        StreamToJson converter = feed("event: error\ndata: {\"type\":\"error\",\"sequence_number\":1,\"code\":\"server_error\","
            + "\"message\":\"boom\",\"param\":null}\n\n", 1000);

        assertEquals(json("{\"error\":{\"message\":\"boom\",\"param\":null,\"code\":\"server_error\"}}"), json(converter.toJson()));
    }

    @Test
    void aStreamCutShortIsNotComplete() throws Exception {
        StreamToJson converter = feed(ROLE_CHUNK + chatDelta("{\"content\":\"Hi\"}", "null"), 1000);

        assertFalse(converter.complete());
        assertEquals("Hi", json(converter.toJson()).asJsonObject().getJsonArray("choices").getJsonObject(0)
            .getJsonObject("message").getString("content"));
    }

    static StreamToJson feed(String stream, int chunkSize) throws Exception {
        StreamToJson converter = new StreamToJson();
        byte[] bytes = utf8(stream);
        for (int at = 0; at < bytes.length; at += chunkSize)
            converter.feed(ByteBuffer.wrap(bytes, at, Math.min(chunkSize, bytes.length - at)));
        converter.finish();
        return converter;
    }
}

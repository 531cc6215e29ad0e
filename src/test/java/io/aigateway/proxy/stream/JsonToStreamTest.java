package io.aigateway.proxy.stream;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.aigateway.proxy.stream.StreamSamples.CHAT_TEXT_REPLY;
import static io.aigateway.proxy.stream.StreamSamples.CHAT_TOOL_REPLY;
import static io.aigateway.proxy.stream.StreamSamples.COMPLETION_REPLY;
import static io.aigateway.proxy.stream.StreamSamples.RESPONSE;
import static io.aigateway.proxy.stream.StreamSamples.json;
import static io.aigateway.proxy.stream.StreamSamples.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonToStreamTest {

    @Test
    void writesChatChunksInOpenAisShape() {
        String reply = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1727000000,\"model\":\"gpt-4o\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi\",\"refusal\":null},"
            + "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2},"
            + "\"system_fingerprint\":\"fp_1\"}";
        String head = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1727000000,\"model\":\"gpt-4o\","
            + "\"system_fingerprint\":\"fp_1\",\"choices\":";

        String stream = new String(JsonToStream.convert(utf8(reply), true), StandardCharsets.UTF_8);

        assertEquals("data: " + head + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
                + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
            + "data: " + head + "[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
            + "data: " + head + "[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"
            + "data: " + head + "[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}\n\n"
            + "data: [DONE]\n\n", stream);
    }

    @Test
    void sendsUsageOnlyWhenTheRequestAskedForIt() {
        String stream = new String(JsonToStream.convert(utf8(CHAT_TEXT_REPLY), false), StandardCharsets.UTF_8);

        assertFalse(stream.contains("\"usage\""));
        assertTrue(stream.endsWith("\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"));
    }

    @Test
    void chatRepliesRoundTripThroughStreamToJson() throws Exception {
        for (String reply : List.of(CHAT_TEXT_REPLY, CHAT_TOOL_REPLY))
            assertEquals(json(reply), json(roundTrip(reply, true)));
    }

    @Test
    void roundTripsAzureFilterResultsAndSeveralChoices() throws Exception {
        String reply = "{\"choices\":[{\"content_filter_results\":{\"hate\":{\"filtered\":false,\"severity\":\"safe\"}},"
            + "\"finish_reason\":\"stop\",\"index\":0,\"logprobs\":null,\"message\":{\"content\":\"One\",\"role\":\"assistant\"}},"
            + "{\"finish_reason\":\"stop\",\"index\":1,\"logprobs\":null,\"message\":{\"content\":\"Two\",\"role\":\"assistant\"}}],"
            + "\"created\":1727000000,\"id\":\"chatcmpl-az\",\"model\":\"gpt-4o-2024-08-06\",\"object\":\"chat.completion\","
            + "\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{}}],\"system_fingerprint\":\"fp_az\","
            + "\"usage\":{\"completion_tokens\":2,\"prompt_tokens\":3,\"total_tokens\":5}}";

        assertEquals(json(reply), json(roundTrip(reply, true)));
    }

    @Test
    void completionRepliesRoundTrip() throws Exception {
        assertEquals(json(COMPLETION_REPLY), json(roundTrip(COMPLETION_REPLY, true)));
    }

    @Test
    void aSynthesisedChatStreamOpensTheGateAtItsContent() throws Exception {
        List<FirstContentGate.Release> releases = new ArrayList<>();
        FirstContentGate gate = new FirstContentGate(releases::add);
        byte[] stream = JsonToStream.convert(utf8(CHAT_TOOL_REPLY), true);
        List<ByteBuffer> output = new ArrayList<>();

        gate.transform(ByteBuffer.wrap(stream), false, output);

        assertEquals(List.of(FirstContentGate.Release.CONTENT), releases);
        assertArrayEquals(stream, FirstContentGateTest.concat(output));
    }

    @Test
    void writesTheResponsesEventSequence() throws Exception {
        byte[] stream = JsonToStream.convert(utf8(RESPONSE), false);
        List<SseEvent> events = new ArrayList<>();
        List<String> names = new ArrayList<>();
        new SseEventScanner().feed(ByteBuffer.wrap(stream), event -> {
            events.add(event);
            names.add(event.name());
        });

        assertEquals(List.of("response.created", "response.in_progress",
            "response.output_item.added", "response.content_part.added", "response.output_text.delta",
            "response.output_text.done", "response.content_part.done", "response.output_item.done",
            "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.done",
            "response.output_item.done", "response.completed"), names);
        for (int i = 0; i < events.size(); i++) {
            JsonObject data = json(events.get(i).data()).asJsonObject();
            assertEquals(names.get(i), data.getString("type"));
            assertEquals(i, data.getInt("sequence_number"));
        }
        JsonObject created = json(events.get(0).data()).asJsonObject().getJsonObject("response");
        assertEquals("in_progress", created.getString("status"));
        assertTrue(created.getJsonArray("output").isEmpty());
        assertEquals(json("{\"type\":\"response.output_text.delta\",\"sequence_number\":4,\"item_id\":\"msg_67c\","
            + "\"output_index\":0,\"content_index\":0,\"delta\":\"Hi there! \u00a1Hola!\"}"), json(events.get(4).data()));
        assertEquals(json("{\"id\":\"msg_67c\",\"type\":\"message\",\"status\":\"in_progress\",\"role\":\"assistant\",\"content\":[]}"),
            json(events.get(2).data()).asJsonObject().get("item"));
    }

    @Test
    void responsesRoundTripThroughStreamToJson() throws Exception {
        assertEquals(json(RESPONSE), json(roundTrip(RESPONSE, false)));
    }

    @Test
    void anIncompleteResponseEndsWithTheIncompleteEvent() {
        String incomplete = RESPONSE.replace("\"status\":\"completed\",\"error\"", "\"status\":\"incomplete\",\"error\"");

        String stream = new String(JsonToStream.convert(utf8(incomplete), false), StandardCharsets.UTF_8);

        assertTrue(stream.contains("event: response.incomplete\n"));
        assertFalse(stream.contains("event: response.completed\n"));
    }

    @Test
    void refusesWhatIsNotAReply() {
        assertThrows(IllegalArgumentException.class, () -> JsonToStream.convert(utf8("{\"error\":{\"message\":\"x\"}}"), false));
        assertThrows(IllegalArgumentException.class, () -> JsonToStream.convert(utf8("not json"), false));
    }

    private static byte[] roundTrip(String reply, boolean includeUsage) throws Exception {
        StreamToJson converter = StreamToJsonTest.feed(new String(JsonToStream.convert(utf8(reply), includeUsage), StandardCharsets.UTF_8), 9);
        assertTrue(converter.complete());
        return converter.toJson();
    }
}

package io.aigateway.proxy.stream;

import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;

/** Streams and replies shaped like OpenAI's, for the stream tests. */
final class StreamSamples {
    private StreamSamples() {
    }

    private static final String CHAT_HEAD = "{\"id\":\"chatcmpl-AB1\",\"object\":\"chat.completion.chunk\",\"created\":1727000000,"
        + "\"model\":\"gpt-4o-2024-08-06\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_50cad350e4\",\"choices\":";

    static String chatChunk(String choices, String usage) {
        return "data: " + CHAT_HEAD + choices + ",\"usage\":" + usage + "}\n\n";
    }

    static String chatDelta(String delta, String finishReason) {
        return chatChunk("[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":" + finishReason + "}]", "null");
    }

    static final String ROLE_CHUNK = chatDelta("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", "null");

    static final String USAGE = "{\"prompt_tokens\":19,\"completion_tokens\":10,\"total_tokens\":29,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}";

    static final String CHAT_TEXT_STREAM = ROLE_CHUNK
        + chatDelta("{\"content\":\"Hel\"}", "null")
        + chatDelta("{\"content\":\"lo w\u00f6rld \uD83D\uDE00\"}", "null")
        + chatDelta("{}", "\"stop\"")
        + chatChunk("[]", USAGE)
        + "data: [DONE]\n\n";

    static final String CHAT_TEXT_REPLY = "{\"id\":\"chatcmpl-AB1\",\"object\":\"chat.completion\",\"created\":1727000000,"
        + "\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
        + "\"content\":\"Hello w\u00f6rld \uD83D\uDE00\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
        + "\"usage\":" + USAGE + ",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_50cad350e4\"}";

    static final String CHAT_TOOL_STREAM = chatDelta("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,"
            + "\"id\":\"call_Xa1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}],\"refusal\":null}", "null")
        + chatDelta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"loc\"}}]}", "null")
        + chatDelta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"ation\\\":\\\"Par\"}}]}", "null")
        + chatDelta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"is\\\"}\"}}]}", "null")
        + chatDelta("{\"tool_calls\":[{\"index\":1,\"id\":\"call_Yb2\",\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"arguments\":\"\"}}]}", "null")
        + chatDelta("{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"{}\"}}]}", "null")
        + chatDelta("{}", "\"tool_calls\"")
        + chatChunk("[]", USAGE)
        + "data: [DONE]\n\n";

    static final String CHAT_TOOL_REPLY = "{\"id\":\"chatcmpl-AB1\",\"object\":\"chat.completion\",\"created\":1727000000,"
        + "\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
        + "\"refusal\":null,\"tool_calls\":[{\"id\":\"call_Xa1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
        + "\"arguments\":\"{\\\"location\\\":\\\"Paris\\\"}\"}},{\"id\":\"call_Yb2\",\"type\":\"function\",\"function\":"
        + "{\"name\":\"get_time\",\"arguments\":\"{}\"}}]},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}],"
        + "\"usage\":" + USAGE + ",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_50cad350e4\"}";

    private static final String COMPLETION_HEAD = "data: {\"id\":\"cmpl-9x\",\"object\":\"text_completion\",\"created\":1727000001,\"choices\":";

    static String completionChunk(String text, String finishReason) {
        return COMPLETION_HEAD + "[{\"text\":\"" + text + "\",\"index\":0,\"logprobs\":null,\"finish_reason\":" + finishReason
            + "}],\"model\":\"gpt-3.5-turbo-instruct\",\"system_fingerprint\":null}\n\n";
    }

    static final String COMPLETION_STREAM = completionChunk("Once", "null")
        + completionChunk(" upon", "null")
        + completionChunk(" a time", "\"length\"")
        + COMPLETION_HEAD + "[],\"model\":\"gpt-3.5-turbo-instruct\",\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":3,\"total_tokens\":7}}\n\n"
        + "data: [DONE]\n\n";

    static final String COMPLETION_REPLY = "{\"id\":\"cmpl-9x\",\"object\":\"text_completion\",\"created\":1727000001,"
        + "\"model\":\"gpt-3.5-turbo-instruct\",\"choices\":[{\"text\":\"Once upon a time\",\"index\":0,\"logprobs\":null,"
        + "\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":3,\"total_tokens\":7}}";

    static final String RESPONSE = "{\"id\":\"resp_67c\",\"object\":\"response\",\"created_at\":1741290958,\"status\":\"completed\","
        + "\"error\":null,\"incomplete_details\":null,\"instructions\":null,\"max_output_tokens\":null,\"model\":\"gpt-4.1-2025-04-14\","
        + "\"output\":[{\"id\":\"msg_67c\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":"
        + "[{\"type\":\"output_text\",\"text\":\"Hi there! \u00a1Hola!\",\"annotations\":[]}]},"
        + "{\"id\":\"fc_12\",\"type\":\"function_call\",\"status\":\"completed\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\","
        + "\"call_id\":\"call_12\",\"name\":\"get_weather\"}],"
        + "\"parallel_tool_calls\":true,\"previous_response_id\":null,\"store\":true,\"temperature\":1.0,\"text\":{\"format\":{\"type\":\"text\"}},"
        + "\"tool_choice\":\"auto\",\"tools\":[],\"top_p\":1.0,\"truncation\":\"disabled\",\"usage\":{\"input_tokens\":37,"
        + "\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":11,\"output_tokens_details\":{\"reasoning_tokens\":0},"
        + "\"total_tokens\":48},\"user\":null,\"metadata\":{}}";

    static JsonValue json(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readValue();
        }
    }

    static JsonValue json(byte[] bytes) {
        return json(new String(bytes, StandardCharsets.UTF_8));
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

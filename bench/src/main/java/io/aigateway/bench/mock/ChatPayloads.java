package io.aigateway.bench.mock;

import java.nio.charset.StandardCharsets;

/**
 * The exact bytes the mock sends, shared with the load generator so that it can check every stream chunk arrived
 * unchanged. Chunk {@code i} carries its index in its content, so a lost, repeated or reordered chunk is seen.
 */
public final class ChatPayloads {

    /** The public model name the benchmark asks for, and the name both mock backends serve. */
    public static final String MODEL = "gpt-4o-mini";

    /** The final event of every stream, as OpenAI sends it. */
    public static final String DONE_EVENT = "data: [DONE]\n\n";

    private static final int CACHED_CHUNKS = 4096;
    private static final byte[][] CHUNKS = new byte[CACHED_CHUNKS][];
    private static final byte[] DONE = DONE_EVENT.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMPLETION = ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,"
        + "\"model\":\"" + MODEL + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
        + "\"content\":\"Hello from the benchmark's mock backend.\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":9,\"total_tokens\":21}}")
        .getBytes(StandardCharsets.US_ASCII);

    static {
        for (int i = 0; i < CACHED_CHUNKS; i++) {
            CHUNKS[i] = chunkEvent(i).getBytes(StandardCharsets.US_ASCII);
        }
    }

    private ChatPayloads() {
    }

    /** The server-sent event of content chunk {@code index}, its blank line included. */
    public static String chunkEvent(int index) {
        return "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\""
            + MODEL + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok" + index + " \"},\"finish_reason\":null}]}\n\n";
    }

    static byte[] chunkBytes(int index) {
        return index < CACHED_CHUNKS ? CHUNKS[index] : chunkEvent(index).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] doneBytes() {
        return DONE;
    }

    static byte[] completionBytes() {
        return COMPLETION;
    }

    /** A chat request body as a client sends it. */
    public static byte[] chatRequest(boolean stream) {
        return ("{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello to the benchmark.\"}],"
            + "\"max_tokens\":64,\"stream\":" + stream + "}").getBytes(StandardCharsets.US_ASCII);
    }
}

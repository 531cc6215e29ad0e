package io.aigateway.usage;

import io.aigateway.json.Json;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;

import java.io.ByteArrayInputStream;
import java.util.NoSuchElementException;

/**
 * What a request body is expected to use, read once on admission: its prompt tokens (the text of its messages,
 * prompt or input, counted with the model's tokenizer) and the completion tokens it may generate
 * ({@code max_completion_tokens}, {@code max_tokens} or {@code max_output_tokens}; the configured default when it
 * sets none).
 *
 * @param promptTokens     the estimated prompt tokens
 * @param maxOutputTokens  the completion tokens reserved
 */
public record RequestEstimate(long promptTokens, long maxOutputTokens) {

    /** Reserved for the request: prompt plus completion. */
    public long reservedTokens() {
        return promptTokens + maxOutputTokens;
    }

    /**
     * Estimates a JSON body. A body that is not JSON (a multipart upload of audio or an image) has no prompt text to
     * count: it reserves only the default completion tokens, since its size says nothing about tokens.
     */
    public static RequestEstimate of(String model, byte[] body, boolean json, int defaultMaxTokens) {
        if (body == null || body.length == 0) {
            return new RequestEstimate(0, 0);
        }
        if (!json) {
            return new RequestEstimate(0, defaultMaxTokens);
        }
        StringBuilder text = new StringBuilder();
        Long maxTokens = null;
        int messages = 0;
        try (JsonParser parser = Json.createParser(new ByteArrayInputStream(body))) {
            int depth = 0;
            String key = null;
            while (parser.hasNext()) {
                JsonParser.Event event = parser.next();
                switch (event) {
                    case START_OBJECT, START_ARRAY -> {
                        if (event == JsonParser.Event.START_OBJECT && "messages".equals(key)) {
                            messages++;
                        }
                        depth++;
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    case KEY_NAME -> key = parser.getString();
                    case VALUE_STRING -> {
                        if (depth == 1 ? isPromptField(key) : isTextField(key)) {
                            text.append(parser.getString()).append('\n');
                        }
                    }
                    case VALUE_NUMBER -> {
                        if (depth == 1 && isMaxTokens(key) && parser.isIntegralNumber()) {
                            long value = parser.getLong();
                            if (maxTokens == null || "max_completion_tokens".equals(key)) {
                                maxTokens = value;
                            }
                        }
                    }
                    default -> {
                    }
                }
            }
        } catch (JsonParsingException | NoSuchElementException | IllegalStateException x) {
            return new RequestEstimate(body.length / 4, defaultMaxTokens);
        }
        // Each chat message costs a few tokens of framing (role, separators) on top of its text.
        long prompt = Tokenizer.count(model, text.toString()) + 4L * messages;
        return new RequestEstimate(prompt, maxTokens == null || maxTokens <= 0 ? defaultMaxTokens : maxTokens);
    }

    private static boolean isPromptField(String key) {
        return "prompt".equals(key) || "input".equals(key) || "instructions".equals(key);
    }

    private static boolean isTextField(String key) {
        return "content".equals(key) || "text".equals(key) || "input".equals(key) || "prompt".equals(key)
                || "arguments".equals(key) || key == null;
    }

    private static boolean isMaxTokens(String key) {
        return "max_tokens".equals(key) || "max_completion_tokens".equals(key) || "max_output_tokens".equals(key);
    }
}

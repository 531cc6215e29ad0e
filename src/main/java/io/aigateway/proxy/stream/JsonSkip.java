package io.aigateway.proxy.stream;

import jakarta.json.stream.JsonParser;

/**
 * Walks past a JSON value event by event, validating it. Not Parsson's {@code skipObject()}/{@code skipArray()}:
 * they do not check for the end of input, so a truncated body would make them loop forever, and they do not
 * validate what they skip.
 */
public final class JsonSkip {
    private JsonSkip() {
    }

    /** @param value the event that starts the value (scalars are already complete and need nothing) */
    public static void skip(JsonParser parser, JsonParser.Event value) {
        if (value != JsonParser.Event.START_OBJECT && value != JsonParser.Event.START_ARRAY)
            return;
        int depth = 1;
        while (depth > 0) {
            switch (parser.next()) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                default -> {
                }
            }
        }
    }
}

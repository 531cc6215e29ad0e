package io.aigateway.proxy;

import io.aigateway.api.ApiErrors;
import io.aigateway.proxy.stream.JsonSkip;
import io.aigateway.json.Json;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A JSON request body, validated in full by a streaming parse that looks only at the top-level fields routing
 * needs ({@code model}, {@code stream}); nested values are skipped, not built. The model is replaced by splicing
 * the original text, so everything else reaches the backend byte for byte as the client wrote it.
 */
public final class JsonBody implements RoutableBody {
    private final byte[] bytes;
    private final String text;
    private final String model;
    private final int modelStart;
    private final int modelEnd;
    private final boolean stream;
    private final boolean includeUsage;

    private JsonBody(byte[] bytes, String text, String model, int modelStart, int modelEnd, boolean stream, boolean includeUsage) {
        this.bytes = bytes;
        this.text = text;
        this.model = model;
        this.modelStart = modelStart;
        this.modelEnd = modelEnd;
        this.stream = stream;
        this.includeUsage = includeUsage;
    }

    public static JsonBody parse(byte[] bytes) throws InvalidBodyException {
        String text = decode(bytes);
        String model = null;
        int modelStart = -1;
        int modelEnd = -1;
        Boolean stream = null;
        boolean includeUsage = false;
        try (JsonParser parser = Json.createParser(new java.io.StringReader(text))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT)
                throw new InvalidBodyException(ApiErrors.invalidJson("the body must be a JSON object"));
            while (true) {
                JsonParser.Event event = parser.next();
                if (event == JsonParser.Event.END_OBJECT)
                    break;
                String key = parser.getString();
                int keyEnd = (int)parser.getLocation().getStreamOffset();
                JsonParser.Event value = parser.next();
                switch (key) {
                    case "model" -> {
                        if (model != null)
                            throw new InvalidBodyException(ApiErrors.invalidField("model", "'model' is given more than once."));
                        if (value != JsonParser.Event.VALUE_STRING)
                            throw new InvalidBodyException(ApiErrors.invalidField("model", "'model' must be a string."));
                        model = parser.getString();
                        modelStart = text.indexOf('"', keyEnd);
                        modelEnd = (int)parser.getLocation().getStreamOffset();
                    }
                    case "stream" -> {
                        if (stream != null)
                            throw new InvalidBodyException(ApiErrors.invalidField("stream", "'stream' is given more than once."));
                        if (value == JsonParser.Event.VALUE_TRUE)
                            stream = Boolean.TRUE;
                        else if (value == JsonParser.Event.VALUE_FALSE || value == JsonParser.Event.VALUE_NULL)
                            stream = Boolean.FALSE;
                        else
                            throw new InvalidBodyException(ApiErrors.invalidField("stream", "'stream' must be a boolean."));
                    }
                    case "stream_options" -> includeUsage = value == JsonParser.Event.START_OBJECT && readIncludeUsage(parser);
                    default -> JsonSkip.skip(parser, value);
                }
            }
            if (parser.hasNext())
                throw new InvalidBodyException(ApiErrors.invalidJson("unexpected content after the JSON object"));
        } catch (JsonParsingException | java.util.NoSuchElementException | IllegalStateException x) {
            throw new InvalidBodyException(ApiErrors.invalidJson(describe(x)));
        } catch (RuntimeException x) {
            // Parsson reports nesting beyond its depth limit (1,000) as a bare RuntimeException; escaping, it would
            // leave the exchange unanswered. Any other parser failure on client input is a bad body too.
            throw new InvalidBodyException(ApiErrors.invalidJson("the JSON is nested too deeply or malformed."));
        }
        return new JsonBody(bytes, text, model, modelStart, modelEnd, stream != null && stream, includeUsage);
    }

    /** Reads a {@code stream_options} object to its end; whether it holds {@code "include_usage": true}. */
    private static boolean readIncludeUsage(JsonParser parser) {
        boolean includeUsage = false;
        while (true) {
            JsonParser.Event event = parser.next();
            if (event == JsonParser.Event.END_OBJECT)
                return includeUsage;
            String key = parser.getString();
            JsonParser.Event value = parser.next();
            if (key.equals("include_usage"))
                includeUsage = value == JsonParser.Event.VALUE_TRUE;
            JsonSkip.skip(parser, value);
        }
    }

    private static String describe(Exception x) {
        if (x instanceof JsonParsingException parsing && parsing.getLocation() != null)
            return "syntax error at line " + parsing.getLocation().getLineNumber() + ", column " + parsing.getLocation().getColumnNumber() + ".";
        return "the JSON ends too early.";
    }

    private static String decode(byte[] bytes) throws InvalidBodyException {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException x) {
            throw new InvalidBodyException(ApiErrors.invalidJson("the body is not valid UTF-8."));
        }
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public boolean stream() {
        return stream;
    }

    /** Whether the client asked for the usage chunk at the end of a stream ({@code stream_options.include_usage}). */
    public boolean includeUsage() {
        return includeUsage;
    }

    /** The body as text, for rewrites beyond the model. */
    String text() {
        return text;
    }

    @Override
    public byte[] withModel(String upstreamModel) {
        if (upstreamModel.equals(model))
            return bytes;
        String quoted = quote(upstreamModel);
        String rewritten;
        if (model != null)
            rewritten = text.substring(0, modelStart) + quoted + text.substring(modelEnd);
        else {
            // The model came from an Azure path: add it, so that every flavor receives the same body shape.
            int brace = text.indexOf('{');
            boolean empty = text.substring(brace + 1).trim().startsWith("}");
            rewritten = text.substring(0, brace + 1) + "\"model\":" + quoted + (empty ? "" : ",") + text.substring(brace + 1);
        }
        return rewritten.getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20)
                        out.append(String.format("\\u%04x", (int)c));
                    else
                        out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }
}

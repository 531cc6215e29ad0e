package io.aigateway.proxy.stream;

import io.aigateway.json.Json;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Rewrites the top-level {@code stream} and {@code stream_options} members of a JSON request body, for a request
 * converted between streaming and non-streaming on its way to a deployment. Like {@code JsonBody}'s model rewrite,
 * it splices the original text: every other byte reaches the backend as the client wrote it. A member that is
 * added goes first, right after the opening brace.
 */
public final class RequestStreamFlag {
    private static final String INCLUDE_USAGE = "{\"include_usage\":true}";

    private RequestStreamFlag() {
    }

    /** One top-level member: where its key and value start, where its value ends, and whether it is null. */
    private record Member(String key, int keyStart, int valueStart, int valueEnd, boolean isNull) {
    }

    /**
     * {@code body} with {@code "stream"} set to {@code stream}: the value replaced when the member exists, the member
     * added when it does not.
     *
     * @throws IllegalArgumentException when {@code body} is not a JSON object
     */
    public static String withStream(String body, boolean stream) {
        return withValue(body, "stream", Boolean.toString(stream));
    }

    /**
     * {@code body} with {@code "stream_options":{"include_usage":true}} added when it has no stream options (or
     * {@code null} ones). Stream options the client gave are never changed: the client then gets what it asked for.
     */
    public static String withIncludeUsage(String body) {
        Member options = find(body, "stream_options");
        if (options != null && !options.isNull())
            return body;
        return withValue(body, "stream_options", INCLUDE_USAGE);
    }

    /**
     * {@code body} without its {@code stream_options} member, for a streaming request sent to a deployment as a
     * non-streaming one: OpenAI rejects stream options when {@code stream} is not true.
     */
    public static String withoutStreamOptions(String body) {
        List<Member> members = members(body);
        for (int i = 0; i < members.size(); i++) {
            Member member = members.get(i);
            if (!member.key().equals("stream_options"))
                continue;
            // Take the comma on one side along with the member, and keep the whitespace that framed the object.
            if (i > 0)
                return body.substring(0, members.get(i - 1).valueEnd()) + body.substring(member.valueEnd());
            if (members.size() > 1)
                return body.substring(0, member.keyStart()) + body.substring(members.get(1).keyStart());
            return body.substring(0, member.keyStart()) + body.substring(member.valueEnd());
        }
        return body;
    }

    private static String withValue(String body, String key, String value) {
        Member member = find(body, key);
        if (member != null)
            return body.substring(0, member.valueStart()) + value + body.substring(member.valueEnd());
        int brace = body.indexOf('{');
        boolean empty = body.substring(brace + 1).trim().startsWith("}");
        return body.substring(0, brace + 1) + "\"" + key + "\":" + value + (empty ? "" : ",") + body.substring(brace + 1);
    }

    private static Member find(String body, String key) {
        for (Member member : members(body)) {
            if (member.key().equals(key))
                return member;
        }
        return null;
    }

    private static List<Member> members(String body) {
        List<Member> members = new ArrayList<>();
        try (JsonParser parser = Json.createParser(new StringReader(body))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT)
                throw new IllegalArgumentException("the body is not a JSON object");
            int previousEnd = (int)parser.getLocation().getStreamOffset();
            while (true) {
                JsonParser.Event event = parser.next();
                if (event == JsonParser.Event.END_OBJECT)
                    break;
                String key = parser.getString();
                int keyStart = body.indexOf('"', previousEnd);
                int keyEnd = (int)parser.getLocation().getStreamOffset();
                JsonParser.Event value = parser.next();
                JsonSkip.skip(parser, value);
                int valueEnd = (int)parser.getLocation().getStreamOffset();
                members.add(new Member(key, keyStart, valueStart(body, keyEnd), valueEnd, value == JsonParser.Event.VALUE_NULL));
                previousEnd = valueEnd;
            }
        } catch (JsonParsingException | NoSuchElementException | IllegalStateException x) {
            throw new IllegalArgumentException("the body is not valid JSON", x);
        }
        return members;
    }

    /** The first character of the value after a key: past whitespace, the colon, and whitespace. */
    private static int valueStart(String body, int keyEnd) {
        int at = keyEnd;
        while (Character.isWhitespace(body.charAt(at)) || body.charAt(at) == ':')
            at++;
        return at;
    }
}

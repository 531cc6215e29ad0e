package io.aigateway.proxy;

import io.aigateway.api.ApiError;
import io.aigateway.proxy.RoutableBody.InvalidBodyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonBodyTest {

    @Test
    void findsModelAndStream() throws Exception {
        JsonBody body = parse("{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[]}");

        assertEquals("gpt-4o", body.model());
        assertTrue(body.stream());
    }

    @Test
    void streamIsFalseWhenAbsentFalseOrNull() throws Exception {
        assertFalse(parse("{\"model\":\"m\"}").stream());
        assertFalse(parse("{\"model\":\"m\",\"stream\":false}").stream());
        assertFalse(parse("{\"model\":\"m\",\"stream\":null}").stream());
    }

    @Test
    void modelIsNullWhenTheBodyNamesNone() throws Exception {
        assertNull(parse("{\"input\":\"hi\"}").model());
        assertNull(parse("{}").model());
    }

    @Test
    void rewritesOnlyTheModelValueLeavingEveryOtherByteIntact() throws Exception {
        String head = "{\n  \"temperature\" : 0.5,\t\"messages\": [{\"role\":\"user\","
            + "\"content\":\"h\\u00e9llo \\\"q\\\" \\n caf\u00e9 \uD83D\uDE00 \\/\"}],\n  \"model\"  :  ";
        String tail = " ,\n  \"stream\":true , \"n\":1e2 }";
        String before = head + "\"gpt-4o\"" + tail;
        String after = head + "\"gpt-4o-2024-08-06\"" + tail;

        byte[] rewritten = parse(before).withModel("gpt-4o-2024-08-06");

        assertArrayEquals(bytes(after), rewritten);
    }

    @Test
    void rewritesTheModelWhenItComesFirst() throws Exception {
        byte[] rewritten = parse("{\"model\":\"a\",\"x\":[1,2]}").withModel("deployment-b");

        assertEquals("{\"model\":\"deployment-b\",\"x\":[1,2]}", utf8(rewritten));
    }

    @Test
    void rewritesAModelWrittenWithEscapes() throws Exception {
        JsonBody body = parse("{\"messages\":[],\"model\":\"gp\\u0074-4\",\"n\":1}");

        assertEquals("gpt-4", body.model());
        assertEquals("{\"messages\":[],\"model\":\"upstream\",\"n\":1}", utf8(body.withModel("upstream")));
    }

    @Test
    void rewritesAModelWithAnEscapedQuoteOrBackslash() throws Exception {
        JsonBody body = parse("{\"model\":\"a\\\"b\\\\c\",\"n\":1}");

        assertEquals("a\"b\\c", body.model());
        assertEquals("{\"model\":\"x\",\"n\":1}", utf8(body.withModel("x")));
    }

    @Test
    void quotesTheUpstreamModelAsAJsonString() throws Exception {
        byte[] rewritten = parse("{\"model\":\"m\"}").withModel("we\"ird\\name\u0001\u00e9");

        assertEquals("{\"model\":\"we\\\"ird\\\\name\\u0001\u00e9\"}", utf8(rewritten));
        assertEquals("we\"ird\\name\u0001\u00e9", JsonBody.parse(rewritten).model());
    }

    @Test
    void rewritesAModelAfterMultiByteCharacters() throws Exception {
        JsonBody body = parse("{\"name\":\"\u00e9\u4e2d\uD83D\uDE00\",\"model\":\"m\",\"z\":\"\u00e9\"}");

        byte[] rewritten = body.withModel("dep");

        assertEquals("{\"name\":\"\u00e9\u4e2d\uD83D\uDE00\",\"model\":\"dep\",\"z\":\"\u00e9\"}", utf8(rewritten));
    }

    @Test
    void addsTheModelToAnEmptyObject() throws Exception {
        byte[] rewritten = parse("{}").withModel("dep");

        assertEquals("{\"model\":\"dep\"}", utf8(rewritten));
        assertEquals("dep", JsonBody.parse(rewritten).model());
    }

    @Test
    void addsTheModelToAnEmptyObjectWithWhitespace() throws Exception {
        byte[] rewritten = parse(" { \n } ").withModel("dep");

        assertEquals("dep", JsonBody.parse(rewritten).model());
    }

    @Test
    void addsTheModelInFrontOfExistingFields() throws Exception {
        byte[] rewritten = parse("{\"a\":1}").withModel("dep");

        assertEquals("{\"model\":\"dep\",\"a\":1}", utf8(rewritten));
        assertEquals("dep", JsonBody.parse(rewritten).model());
    }

    @Test
    void sameModelReturnsTheSameArray() throws Exception {
        byte[] bytes = bytes("{\"model\":\"gpt-4o\", \"x\":1}");

        assertSame(bytes, JsonBody.parse(bytes).withModel("gpt-4o"));
    }

    @Test
    void sameModelWrittenWithEscapesReturnsTheSameArray() throws Exception {
        byte[] bytes = bytes("{\"model\":\"gp\\u0074-4\"}");

        assertSame(bytes, JsonBody.parse(bytes).withModel("gpt-4"));
    }

    @Test
    void ignoresModelKeysInsideNestedValues() throws Exception {
        JsonBody body = parse("{\"messages\":[{\"model\":\"nested\",\"stream\":\"no\"}],"
            + "\"metadata\":{\"model\":{\"model\":1}},\"model\":\"top\"}");

        assertEquals("top", body.model());
        assertEquals("{\"messages\":[{\"model\":\"nested\",\"stream\":\"no\"}],"
            + "\"metadata\":{\"model\":{\"model\":1}},\"model\":\"dep\"}", utf8(body.withModel("dep")));
    }

    @Test
    void nestedModelKeysAloneDoNotNameAModel() throws Exception {
        assertNull(parse("{\"metadata\":{\"model\":\"nested\"}}").model());
    }

    @Test
    void skipsDeepNestingInsideAField() throws Exception {
        String deep = "[".repeat(500) + "{\"model\":\"deep\"}" + "]".repeat(500);
        String objects = "{\"a\":".repeat(500) + "1" + "}".repeat(500);
        JsonBody body = parse("{\"deep\":" + deep + ",\"objects\":" + objects + ",\"model\":\"m\",\"stream\":true}");

        assertEquals("m", body.model());
        assertTrue(body.stream());
    }

    /** body → the error code of the 400 it gets. */
    static Stream<Arguments> invalidBodies() {
        return Stream.of(
            Arguments.of("not JSON", bytes("hello"), "invalid_json"),
            Arguments.of("empty", bytes(""), "invalid_json"),
            Arguments.of("only whitespace", bytes("  \n"), "invalid_json"),
            Arguments.of("truncated in a string", bytes("{\"model\":\"gpt"), "invalid_json"),
            Arguments.of("truncated after a value", bytes("{\"model\":\"gpt-4o\","), "invalid_json"),
            Arguments.of("unclosed object", bytes("{\"model\":\"gpt-4o\""), "invalid_json"),
            Arguments.of("top-level array", bytes("[{\"model\":\"gpt-4o\"}]"), "invalid_json"),
            Arguments.of("top-level string", bytes("\"gpt-4o\""), "invalid_json"),
            Arguments.of("model a number", bytes("{\"model\":4}"), "invalid_value"),
            Arguments.of("model null", bytes("{\"model\":null}"), "invalid_value"),
            Arguments.of("model an object", bytes("{\"model\":{\"name\":\"gpt-4o\"}}"), "invalid_value"),
            Arguments.of("duplicate model", bytes("{\"model\":\"a\",\"model\":\"b\"}"), "invalid_value"),
            Arguments.of("stream a string", bytes("{\"model\":\"m\",\"stream\":\"true\"}"), "invalid_value"),
            Arguments.of("stream a number", bytes("{\"model\":\"m\",\"stream\":1}"), "invalid_value"),
            Arguments.of("duplicate stream", bytes("{\"stream\":true,\"stream\":false}"), "invalid_value"),
            Arguments.of("invalid UTF-8", new byte[] {'{', '"', 'a', '"', ':', '"', (byte)0xC3, '"', '}'},
                "invalid_json"),
            Arguments.of("UTF-8 surrogate", new byte[] {'{', '"', 'a', '"', ':', '"', (byte)0xED, (byte)0xA0,
                (byte)0x80, '"', '}'}, "invalid_json"),
            Arguments.of("trailing garbage", bytes("{\"model\":\"m\"} x"), "invalid_json"),
            Arguments.of("second object", bytes("{\"model\":\"m\"}{}"), "invalid_json"),
            Arguments.of("trailing comma", bytes("{\"model\":\"m\",}"), "invalid_json"),
            Arguments.of("single quotes", bytes("{'model':'m'}"), "invalid_json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void rejectsInvalidBodiesWith400(String description, byte[] body, String code) {
        InvalidBodyException e = assertThrows(InvalidBodyException.class, () -> JsonBody.parse(body));

        ApiError error = e.error();
        assertEquals(400, error.status());
        assertEquals(ApiError.INVALID_REQUEST, error.type());
        assertEquals(code, error.code());
    }

    /** Bodies whose error lies inside a skipped nested value. */
    static Stream<Arguments> invalidNestedValues() {
        return Stream.of(
            Arguments.of("truncated in a nested array", bytes("{\"messages\":[{\"role\":")),
            Arguments.of("unclosed nested array", bytes("{\"model\":\"m\",\"messages\":[")),
            Arguments.of("unclosed nested object", bytes("{\"model\":\"m\",\"metadata\":{")),
            Arguments.of("array closed by a brace", bytes("{\"a\":[1,2}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidNestedValues")
    void rejectsABodyTruncatedInsideANestedValueWithoutHanging(String description, byte[] body) {
        InvalidBodyException e = assertTimeoutPreemptively(Duration.ofSeconds(1),
            () -> assertThrows(InvalidBodyException.class, () -> JsonBody.parse(body)));

        assertEquals(400, e.error().status());
        assertEquals("invalid_json", e.error().code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":[1 2],\"model\":\"m\"}", "{\"a\":[1,,2],\"model\":\"m\"}",
        "{\"a\":{1:2},\"model\":\"m\"}", "{\"a\":{\"b\" \"c\"},\"model\":\"m\"}"})
    void rejectsInvalidJsonInsideNestedValues(String body) {
        InvalidBodyException e = assertThrows(InvalidBodyException.class, () -> JsonBody.parse(bytes(body)));

        assertEquals("invalid_json", e.error().code());
    }

    @Test
    void namesTheFieldInFieldErrors() {
        InvalidBodyException model = assertThrows(InvalidBodyException.class,
            () -> JsonBody.parse(bytes("{\"model\":1}")));
        InvalidBodyException stream = assertThrows(InvalidBodyException.class,
            () -> JsonBody.parse(bytes("{\"stream\":\"yes\"}")));

        assertEquals("model", model.error().param());
        assertEquals("stream", stream.error().param());
    }

    @Test
    void acceptsTrailingWhitespace() throws Exception {
        assertEquals("m", parse("{\"model\":\"m\"}\r\n\t ").model());
    }

    private static JsonBody parse(String json) throws InvalidBodyException {
        return JsonBody.parse(bytes(json));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

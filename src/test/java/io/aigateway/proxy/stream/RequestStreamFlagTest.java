package io.aigateway.proxy.stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RequestStreamFlagTest {
    private static final String BODY = "{\n  \"messages\": [{\"role\":\"user\",\"content\":\"h\\u00e9 \\\"stream\\\": true caf\u00e9 \uD83D\uDE00\"}],"
        + "\n  \"stream\"  :  %s ,\t\"n\":1e2 }";

    @Test
    void replacesOnlyTheStreamValue() {
        assertEquals(BODY.formatted("false"), RequestStreamFlag.withStream(BODY.formatted("true"), false));
        assertEquals(BODY.formatted("true"), RequestStreamFlag.withStream(BODY.formatted("false"), true));
        assertEquals(BODY.formatted("true"), RequestStreamFlag.withStream(BODY.formatted("null"), true));
        assertEquals(BODY.formatted("true"), RequestStreamFlag.withStream(BODY.formatted("true"), true));
    }

    @Test
    void addsTheStreamMemberWhenMissing() {
        assertEquals("{\"stream\":true,\"model\":\"m\", \"x\": {\"stream\": false}}",
            RequestStreamFlag.withStream("{\"model\":\"m\", \"x\": {\"stream\": false}}", true));
        assertEquals(" {\"stream\":false} ", RequestStreamFlag.withStream(" {} ", false));
        assertEquals("{\"stream\":true \n}", RequestStreamFlag.withStream("{ \n}", true));
    }

    @Test
    void addsIncludeUsageOnlyWhenTheClientGaveNoStreamOptions() {
        assertEquals("{\"stream_options\":{\"include_usage\":true},\"model\":\"m\",\"stream\":true}",
            RequestStreamFlag.withIncludeUsage("{\"model\":\"m\",\"stream\":true}"));
        assertEquals("{\"model\":\"m\",\"stream_options\" : {\"include_usage\":true}}",
            RequestStreamFlag.withIncludeUsage("{\"model\":\"m\",\"stream_options\" : null}"));
        String own = "{\"model\":\"m\",\"stream_options\":{\"include_usage\":false}}";
        assertSame(own, RequestStreamFlag.withIncludeUsage(own));
        String other = "{\"model\":\"m\",\"stream_options\":{\"include_obfuscation\":false}}";
        assertSame(other, RequestStreamFlag.withIncludeUsage(other));
    }

    @Test
    void removesStreamOptionsWhereverTheyAre() {
        assertEquals("{\"model\":\"m\", \"stream\":true}",
            RequestStreamFlag.withoutStreamOptions("{\"model\":\"m\", \"stream_options\": {\"include_usage\":true}, \"stream\":true}"));
        assertEquals("{ \"model\":\"m\"}", RequestStreamFlag.withoutStreamOptions("{ \"stream_options\":{}, \"model\":\"m\"}"));
        assertEquals("{\"model\":\"m\"\n}", RequestStreamFlag.withoutStreamOptions("{\"model\":\"m\", \"stream_options\":[1]\n}"));
        assertEquals("{  }", RequestStreamFlag.withoutStreamOptions("{ \"stream_options\":null }"));
        String none = "{\"model\":\"m\",\"x\":{\"stream_options\":{}}}";
        assertSame(none, RequestStreamFlag.withoutStreamOptions(none));
    }

    @Test
    void rejectsWhatIsNotAJsonObject() {
        assertThrows(IllegalArgumentException.class, () -> RequestStreamFlag.withStream("[1]", true));
        assertThrows(IllegalArgumentException.class, () -> RequestStreamFlag.withStream("{\"a\":", true));
    }
}

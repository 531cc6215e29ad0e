package io.aigateway.proxy;

import io.aigateway.proxy.stream.FirstContentGate;
import io.aigateway.usage.Usage;
import io.aigateway.usage.UsageCounter;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The usage tap reads usage on the way and removes only the usage chunk the gateway asked for. */
class UsageTapTest {
    static final String ROLE = "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}],\"usage\":null}\n\n";
    static final String HELLO = "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hello\"}}],\"usage\":null}\n\n";
    static final String WORLD = "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" world\"}}],\"usage\":null}\n\n";
    static final String USAGE = "data: {\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":2,\"total_tokens\":13,\"prompt_tokens_details\":{\"cached_tokens\":4}}}\n\n";
    static final String DONE = "data: [DONE]\n\n";

    private static String run(AsyncChain chain, List<String> chunks) throws Exception {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < chunks.size(); i++) {
            List<ByteBuffer> output = new ArrayList<>();
            chain.transformer.transform(ByteBuffer.wrap(chunks.get(i).getBytes(StandardCharsets.UTF_8)), i == chunks.size() - 1, output);
            for (ByteBuffer buffer : output)
                out.append(StandardCharsets.UTF_8.decode(buffer.duplicate()));
        }
        return out.toString();
    }

    record AsyncChain(org.eclipse.jetty.ee10.proxy.AsyncMiddleManServlet.ContentTransformer transformer) {
    }

    @Test
    void stripsTheUsageChunkAndPassesEveryOtherEventBehindAFirstContentGate() throws Exception {
        UsageCounter counter = new UsageCounter("gpt-4o", 99);
        AsyncChain chain = new AsyncChain(new TransformerChain(new UsageTap(true, true, counter), new FirstContentGate(r -> { })));

        String seen = run(chain, List.of(ROLE, HELLO, WORLD, USAGE, DONE));

        assertEquals(ROLE + HELLO + WORLD + DONE, seen);
        assertEquals(new Usage(11, 2, 4, false, java.math.BigDecimal.ZERO), counter.usage());
    }

    @Test
    void keepsTheUsageChunkTheClientAskedFor() throws Exception {
        UsageCounter counter = new UsageCounter("gpt-4o", 99);
        String all = ROLE + HELLO + WORLD + USAGE + DONE;
        // Split anywhere, even inside an event.
        String seen = run(new AsyncChain(new UsageTap(true, false, counter)), List.of(all.substring(0, 50), all.substring(50, 200), all.substring(200)));
        assertEquals(all, seen);
        assertEquals(13, counter.usage().totalTokens());
    }

    @Test
    void aStreamCutBeforeItsUsageIsCountedWithTheTokenizer() throws Exception {
        UsageCounter counter = new UsageCounter("gpt-4o", 7);
        new UsageTap(true, true, counter).transform(ByteBuffer.wrap((ROLE + HELLO + WORLD).getBytes(StandardCharsets.UTF_8)), false, new ArrayList<>());
        Usage usage = counter.usage();
        assertTrue(usage.estimated());
        assertEquals(7, usage.promptTokens());
        assertEquals(2, usage.completionTokens(), "'hello' and ' world' are one token each");
    }

    @Test
    void theUsageOfAJsonReplyIsItsTopLevelOneWhereverItStands() {
        String reply = "{\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":6},\"choices\":[{\"message\":"
            + "{\"content\":\"a \\\"usage\\\": {\\\"prompt_tokens\\\": 99} in the text\",\"usage\":{\"prompt_tokens\":77}}}],"
            + "\"system_fingerprint\":\"fp\"}";
        assertEquals(5, UsageTap.topLevelUsage(reply).getInt("prompt_tokens"));
        assertEquals(null, UsageTap.topLevelUsage("{\"choices\":[{\"usage\":{\"prompt_tokens\":1}}],\"usage\":null}"));
        assertEquals(null, UsageTap.topLevelUsage("[1,2]"));
    }

    @Test
    void aJsonReplyWithoutUsageIsCountedFromItsText() throws Exception {
        UsageCounter counter = new UsageCounter("gpt-4o", 3);
        String reply = "{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":\"hello world\"}}],\"usage\":null}";
        new UsageTap(false, false, counter).transform(ByteBuffer.wrap(reply.getBytes(StandardCharsets.UTF_8)), true, new ArrayList<>());
        assertTrue(counter.usage().estimated());
        assertEquals(2, counter.usage().completionTokens());
    }

    @Test
    void readsTheUsageOfAJsonReply() throws Exception {
        UsageCounter counter = new UsageCounter("gpt-4o", 0);
        String reply = "{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":\"hi\"}}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}";
        List<ByteBuffer> out = new ArrayList<>();
        UsageTap tap = new UsageTap(false, false, counter);
        tap.transform(ByteBuffer.wrap(reply.substring(0, 10).getBytes(StandardCharsets.UTF_8)), false, out);
        tap.transform(ByteBuffer.wrap(reply.substring(10).getBytes(StandardCharsets.UTF_8)), true, out);
        assertEquals(4, counter.usage().totalTokens());
        assertFalse(counter.usage().estimated());
    }

    @Test
    void readsTheUsageAtTheEndOfAReplyTooLargeToKeep() throws Exception {
        UsageCounter counter = new UsageCounter("text-embedding-3-small", 0);
        UsageTap tap = new UsageTap(false, false, counter);
        StringBuilder data = new StringBuilder("{\"object\":\"list\",\"data\":[");
        for (int i = 0; i < 20_000; i++)
            data.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":[0.0123,-0.0456]}");
        String reply = data.append("],\"model\":\"m\",\"usage\":{\"prompt_tokens\":20000,\"total_tokens\":20000}}").toString();
        byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
        assertTrue(bytes.length > UsageTap.MAX_JSON);
        List<ByteBuffer> out = new ArrayList<>();
        for (int at = 0; at < bytes.length; at += 7000)
            tap.transform(ByteBuffer.wrap(bytes, at, Math.min(7000, bytes.length - at)), at + 7000 >= bytes.length, out);
        assertEquals(20000, counter.usage().promptTokens());
        assertFalse(counter.usage().estimated());
        assertEquals(bytes.length, out.stream().mapToInt(ByteBuffer::remaining).sum(), "passed through whole");
    }
}

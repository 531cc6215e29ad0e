package io.aigateway.usage;

import io.aigateway.config.PriceConfig;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UsageCounterTest {
    private static JsonObject usage(String json) {
        return Json.createReader(new java.io.StringReader(json)).readObject();
    }

    @Test
    void oneReportIsTakenAsItIs() {
        UsageCounter counter = new UsageCounter("gpt-4o", 50);
        counter.report(usage("{\"prompt_tokens\":12,\"completion_tokens\":7,\"prompt_tokens_details\":{\"cached_tokens\":8}}"));
        assertEquals(new Usage(12, 7, 8, false, BigDecimal.ZERO), counter.usage());
    }

    @Test
    void cumulativeReportsInEveryChunkAreCountedOnce() {
        UsageCounter counter = new UsageCounter("gpt-4o", 50);
        for (int completion = 1; completion <= 5; completion++)
            counter.report(usage("{\"prompt_tokens\":20,\"completion_tokens\":" + completion + "}"));
        assertTrue(counter.cumulative());
        assertEquals(new Usage(20, 5, 0, false, BigDecimal.ZERO), counter.usage());
    }

    @Test
    void deltaReportsAreSummed() {
        UsageCounter counter = new UsageCounter("gpt-4o", 50);
        counter.report(usage("{\"prompt_tokens\":20,\"completion_tokens\":1}"));
        counter.report(usage("{\"prompt_tokens\":0,\"completion_tokens\":2}"));
        counter.report(usage("{\"prompt_tokens\":0,\"completion_tokens\":1}"));
        assertFalse(counter.cumulative());
        assertEquals(new Usage(20, 4, 0, false, BigDecimal.ZERO), counter.usage());
    }

    @Test
    void responsesApiNamesAreRead() {
        UsageCounter counter = new UsageCounter("gpt-4o", 50);
        counter.report(usage("{\"input_tokens\":9,\"output_tokens\":4,\"input_tokens_details\":{\"cached_tokens\":2}}"));
        assertEquals(new Usage(9, 4, 2, false, BigDecimal.ZERO), counter.usage());
    }

    @Test
    void withoutAReportTheTokenizerEstimates() {
        UsageCounter counter = new UsageCounter("gpt-4o", 50);
        counter.generated("Hello, world!");
        Usage usage = counter.usage();
        assertTrue(usage.estimated());
        assertEquals(50, usage.promptTokens());
        assertEquals(4, usage.completionTokens(), "o200k_base: Hello , world !");
    }

    @Test
    void textLongerThanWhatIsKeptUncountedIsCountedWhole() {
        UsageCounter counter = new UsageCounter("gpt-4o", 0);
        String piece = "hello world ";
        int pieces = UsageCounter.MAX_UNCOUNTED / piece.length() * 3;
        for (int i = 0; i < pieces; i++)
            counter.generated(piece);
        assertEquals(Tokenizer.count("gpt-4o", piece.repeat(pieces)), counter.usage().completionTokens(), 1.0 * pieces / 100);
    }

    @Test
    void aReportedUsageStandsWhateverTextCameBeforeOrAfter() {
        UsageCounter counter = new UsageCounter("gpt-4o", 50);
        counter.generated("Hello, world!");
        counter.report(usage("{\"prompt_tokens\":9,\"completion_tokens\":2}"));
        counter.generated("more text after the usage");
        assertEquals(new Usage(9, 2, 0, false, BigDecimal.ZERO), counter.usage());
    }

    @Test
    void requestEstimateCountsMessagesAndReservesMaxTokens() {
        byte[] body = "{\"model\":\"gpt-4o\",\"max_completion_tokens\":300,\"messages\":[{\"role\":\"user\",\"content\":\"Hello, world!\"}]}"
            .getBytes(StandardCharsets.UTF_8);
        RequestEstimate estimate = RequestEstimate.of("gpt-4o", body, true, 1024);
        assertEquals(300, estimate.maxOutputTokens());
        assertEquals(4 + 4, estimate.promptTokens(), "the text (its last \"!\\n\" one token) and the message framing");
        assertEquals(1024, RequestEstimate.of("gpt-4o", "{\"input\":\"hi\"}".getBytes(StandardCharsets.UTF_8), true, 1024).maxOutputTokens());
    }

    @Test
    void costUsesTheCachedInputPriceForCachedTokens() {
        Prices prices = new Prices(Map.of("gpt-4o", new PriceConfig(new BigDecimal("2.5"), new BigDecimal("10"), new BigDecimal("1.25"))));
        Usage priced = prices.price("gpt-4o", new Usage(1_000_000, 100_000, 400_000, false, BigDecimal.ZERO));
        // 600k * 2.5 + 400k * 1.25 + 100k * 10, per million
        assertEquals(0, new BigDecimal("3.0").compareTo(priced.cost()));
        assertEquals(BigDecimal.ZERO, prices.price("other", priced).cost());
    }
}

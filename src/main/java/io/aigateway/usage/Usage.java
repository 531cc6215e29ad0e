package io.aigateway.usage;

import java.math.BigDecimal;

/**
 * The tokens one request used and what they cost.
 *
 * @param promptTokens     prompt (input) tokens, cached ones included
 * @param completionTokens completion (output) tokens, reasoning ones included
 * @param cachedTokens     prompt tokens the provider served from its prompt cache
 * @param estimated        whether the numbers were counted by the gateway's tokenizer, the backend having given none
 * @param cost             what they cost by {@code prices}; zero when the model has no price
 */
public record Usage(long promptTokens, long completionTokens, long cachedTokens, boolean estimated, BigDecimal cost) {

    /** Nothing used: a request that never reached a backend. */
    public static final Usage NONE = new Usage(0, 0, 0, false, BigDecimal.ZERO);

    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    /** The same tokens at another cost. */
    public Usage withCost(BigDecimal cost) {
        return new Usage(promptTokens, completionTokens, cachedTokens, estimated, cost);
    }
}

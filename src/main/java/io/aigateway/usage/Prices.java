package io.aigateway.usage;

import io.aigateway.config.PriceConfig;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Map;

/** The price table ({@code prices.<model>}): what a usage costs. Cached prompt tokens are billed at their own price. */
public final class Prices {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private final Map<String, PriceConfig> prices;

    public Prices(Map<String, PriceConfig> prices) {
        this.prices = Map.copyOf(prices);
    }

    /** The usage with its cost for the public model; zero for a model without a price. */
    public Usage price(String model, Usage usage) {
        PriceConfig price = model == null ? null : prices.get(model);
        return price == null ? usage.withCost(BigDecimal.ZERO) : usage.withCost(cost(price, usage));
    }

    /** The cost of so many tokens at the model's price. */
    public static BigDecimal cost(PriceConfig price, Usage usage) {
        long cached = Math.min(usage.cachedTokens(), usage.promptTokens());
        BigDecimal micro = price.input().multiply(BigDecimal.valueOf(usage.promptTokens() - cached))
                .add(price.cachedInput().multiply(BigDecimal.valueOf(cached)))
                .add(price.output().multiply(BigDecimal.valueOf(usage.completionTokens())));
        return micro.divide(MILLION, MathContext.DECIMAL64).stripTrailingZeros();
    }
}

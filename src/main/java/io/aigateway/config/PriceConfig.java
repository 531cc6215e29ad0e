package io.aigateway.config;

import java.math.BigDecimal;

/**
 * {@code prices.<model>}: what one public model costs, per million tokens, in whatever currency the operator bills
 * in (quotas' {@code cost} is in the same one).
 *
 * @param input       {@code prices.<model>.input}: per million prompt tokens; zero or more, required
 * @param output      {@code prices.<model>.output}: per million completion tokens; zero or more, required
 * @param cachedInput {@code prices.<model>.cached_input}: per million prompt tokens served from the provider's
 *                    prompt cache; zero or more; default (null) the {@code input} price
 */
public record PriceConfig(BigDecimal input, BigDecimal output, BigDecimal cachedInput) {

    /** @throws ConfigException naming each price that is missing or negative */
    public PriceConfig {
        Problems problems = new Problems();
        check(problems, "input", input);
        check(problems, "output", output);
        if (cachedInput != null) {
            check(problems, "cached_input", cachedInput);
        }
        problems.throwIfAny("PriceConfig");
        cachedInput = cachedInput == null ? input : cachedInput;
    }

    private static void check(Problems problems, String field, BigDecimal price) {
        if (price == null) {
            problems.add(field, "is required");
        } else if (price.signum() < 0) {
            problems.add(field, "must be >= 0");
        }
    }
}

package io.aigateway.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code routing} section: how a request picks a deployment, and how hard the gateway tries before it gives up.
 *
 * @param strategy       {@code routing.strategy}: how a deployment is picked among those serving the requested
 *                       model: {@code weighted-round-robin} (the default), {@code priority}, {@code least-busy},
 *                       {@code latency} or {@code adaptive}
 * @param perModel       {@code routing.per_model}: public model name → the strategy for that model, in file order;
 *                       each name must be a served model or an alias; empty when absent
 * @param maxAttempts    {@code routing.max_attempts}: the most upstream attempts one request makes, the first
 *                       included, across all deployments; at least 1, default {@value #DEFAULT_MAX_ATTEMPTS}
 * @param retryBudget    {@code routing.retry_budget}: the cap on retries across all requests
 * @param requestTimeout {@code routing.request_timeout}: the deadline for a response to start, counted from the
 *                       request's arrival across all attempts; once the response has started it no longer
 *                       applies. Default 10m.
 * @param maxRetryAfter  {@code routing.max_retry_after}: the longest a backend's {@code Retry-After} may take a
 *                       deployment out of rotation; a longer value is cut to this. Default 60s.
 */
public record RoutingConfig(
        RoutingStrategy strategy,
        Map<String, RoutingStrategy> perModel,
        int maxAttempts,
        RetryBudgetConfig retryBudget,
        Duration requestTimeout,
        Duration maxRetryAfter) {

    /** Spread load by weight unless told otherwise. */
    public static final RoutingStrategy DEFAULT_STRATEGY = RoutingStrategy.WEIGHTED_ROUND_ROBIN;
    /** The first attempt and two retries. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** Ten minutes: long enough for a slow model's first token after a couple of failovers. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(10);
    /** One minute: a longer Retry-After (some quotas say hours) would empty the rotation for too long. */
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(60);

    /** @throws ConfigException naming each field that breaks its rule */
    public RoutingConfig {
        Problems problems = new Problems();
        if (strategy == null) {
            problems.add("strategy", "is required");
        }
        if (perModel == null) {
            problems.add("per_model", "is required (empty for none)");
        } else {
            perModel.forEach((model, modelStrategy) -> {
                if (model == null || model.isBlank()) {
                    problems.add("per_model", "model names must not be blank");
                } else if (modelStrategy == null) {
                    problems.add(Problems.join("per_model", model), "is required");
                }
            });
        }
        if (maxAttempts < 1) {
            problems.add("max_attempts", "must be at least 1");
        }
        if (retryBudget == null) {
            problems.add("retry_budget", "is required");
        }
        Durations.requirePositive(problems, "request_timeout", requestTimeout);
        Durations.requirePositive(problems, "max_retry_after", maxRetryAfter);
        problems.throwIfAny("RoutingConfig");
        // Map.copyOf would lose the order in which the operator wrote the models.
        perModel = Collections.unmodifiableMap(new LinkedHashMap<>(perModel));
    }

    /** The section as it is when the file leaves it out. */
    public static RoutingConfig defaults() {
        return new RoutingConfig(DEFAULT_STRATEGY, Map.of(), DEFAULT_MAX_ATTEMPTS, RetryBudgetConfig.defaults(),
                DEFAULT_REQUEST_TIMEOUT, DEFAULT_MAX_RETRY_AFTER);
    }

    /** The strategy for a public model: its {@code per_model} entry, or else {@link #strategy()}. */
    public RoutingStrategy strategyFor(String publicModel) {
        return perModel.getOrDefault(publicModel, strategy);
    }

    @Override
    public String toString() {
        StringBuilder perModelText = new StringBuilder("{");
        perModel.forEach((model, modelStrategy) -> perModelText.append(perModelText.length() > 1 ? ", " : "")
                .append(model).append('=').append(modelStrategy.configName()));
        return "RoutingConfig[strategy=" + strategy.configName() + ", per_model=" + perModelText.append('}')
                + ", max_attempts=" + maxAttempts + ", retry_budget=" + retryBudget
                + ", request_timeout=" + Durations.format(requestTimeout)
                + ", max_retry_after=" + Durations.format(maxRetryAfter) + "]";
    }
}

package io.aigateway.metrics;

import io.aigateway.limits.RateLimiter;
import io.aigateway.log.RequestListener;
import io.aigateway.log.RequestRecord;
import io.aigateway.registry.Registry;
import io.aigateway.usage.Usage;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Tokens and cost by tenant and model (from each request's record), and the limiter's refusals by scope and its
 * store failures. Estimated tokens are counted with the rest, and also on their own so that their share shows.
 */
final class UsageMetrics implements RequestListener, Consumer<RateLimiter.LimitEvent> {
    private final Supplier<Registry> registry;
    private final Counter tokens;
    private final Counter estimatedTokens;
    private final Counter cost;
    private final Counter rejections;
    private final Counter storeFailures;
    private volatile boolean closed;

    UsageMetrics(PrometheusRegistry prometheus, Supplier<Registry> registry) {
        this.registry = registry;
        tokens = Counter.builder().name("aigateway_tokens_total")
            .help("Tokens used, by tenant, public model and direction (input: prompt, output: completion)")
            .labelNames("tenant", "model", "direction").withoutExemplars().register(prometheus);
        estimatedTokens = Counter.builder().name("aigateway_tokens_estimated_total")
            .help("Tokens counted by the gateway's tokenizer because the backend reported none, by tenant and public model")
            .labelNames("tenant", "model").withoutExemplars().register(prometheus);
        cost = Counter.builder().name("aigateway_cost_total")
            .help("Cost of the tokens used by the price table (prices), by tenant and public model")
            .labelNames("tenant", "model").withoutExemplars().register(prometheus);
        rejections = Counter.builder().name("aigateway_rate_limit_rejections_total")
            .help("Requests refused by a rate limit, by scope (tenant, key, model, tenant_model, deployment)")
            .labelNames("scope").withoutExemplars().register(prometheus);
        storeFailures = Counter.builder().name("aigateway_limit_store_failures_total")
            .help("Decisions the limit store (Redis) could not make; limits.on_store_failure then applied")
            .withoutExemplars().register(prometheus);
    }

    @Override
    public void onRequest(RequestRecord record) {
        Usage usage = record.usage();
        if (closed || usage.totalTokens() == 0 && usage.cost().signum() == 0)
            return;
        String tenant = Labels.orNone(record.tenant());
        String model = Labels.model(record.model(), registry.get());
        tokens.labelValues(tenant, model, "input").inc(usage.promptTokens());
        tokens.labelValues(tenant, model, "output").inc(usage.completionTokens());
        if (usage.estimated())
            estimatedTokens.labelValues(tenant, model).inc(usage.totalTokens());
        if (usage.cost().signum() > 0)
            cost.labelValues(tenant, model).inc(usage.cost().doubleValue());
    }

    @Override
    public void accept(RateLimiter.LimitEvent event) {
        if (closed)
            return;
        if (event.storeFailed())
            storeFailures.inc();
        if (event.refusedScope() != null)
            rejections.labelValues(event.refusedScope().label()).inc();
    }

    void close() {
        closed = true;
    }
}

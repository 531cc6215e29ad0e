package io.aigateway.proxy;

import io.aigateway.api.ApiError;
import io.aigateway.api.ApiErrors;
import io.aigateway.config.Flavor;
import io.aigateway.config.GatewayConfig;
import io.aigateway.config.KeyConfig;
import io.aigateway.config.PriceConfig;
import io.aigateway.config.QuotaConfig;
import io.aigateway.config.TenantConfig;
import io.aigateway.limits.Limit;
import io.aigateway.limits.Limits;
import io.aigateway.limits.RateLimitHeaders;
import io.aigateway.limits.RateLimiter;
import io.aigateway.limits.Reservation;
import io.aigateway.quota.QuotaTicket;
import io.aigateway.registry.Deployment;
import io.aigateway.usage.Prices;
import io.aigateway.usage.RequestEstimate;
import io.aigateway.usage.Usage;
import io.aigateway.usage.UsageCounter;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The limits of one exchange: admission (quotas, then the tenant, key, model and tenant × model rate limits), the
 * deployment's own limit at each attempt, the usage read from the reply, and the settlement of everything reserved
 * when the exchange ends, whichever way it ends.
 */
final class ExchangeLimits {
    private final Limits limits;
    private final GatewayConfig config;
    private final Clock clock;
    private volatile RequestEstimate estimate;
    private String model;
    private byte[] body;
    private boolean json;
    private volatile Reservation reservation = Reservation.NONE;
    private final List<QuotaTicket> tickets = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Reservation> deploymentReservations = new ArrayList<>(1);
    private volatile UsageCounter counter;
    private volatile Map<String, String> headers = Map.of();
    private volatile Usage usage;
    private long deploymentRetryAfterMillis;

    ExchangeLimits(Limits limits, GatewayConfig config, Clock clock) {
        this.limits = limits;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Admits the request or says why not (the stage's value is null when admitted): the tenant's quota, the key's
     * quota, then every rate limit at once. A later refusal takes back what an earlier step reserved.
     */
    CompletionStage<ApiError> admit(TenantConfig tenant, KeyConfig key, String model, byte[] body, boolean json) {
        this.model = model;
        this.body = body;
        this.json = json;
        return quota(tenant.name(), tenant.quota())
            .thenCompose(refusal -> refusal != null || key == null ? CompletableFuture.completedFuture(refusal)
                : quota(tenant.name() + "/" + key.id(), key.quota()))
            .thenCompose(refusal -> refusal != null ? CompletableFuture.completedFuture(refusal) : rateLimits(tenant, key, model));
    }

    private CompletionStage<ApiError> quota(String subject, QuotaConfig quota) {
        if (quota == null)
            return CompletableFuture.completedFuture(null);
        RequestEstimate estimate = estimate();
        BigDecimal cost = cost(model, new Usage(estimate.promptTokens(), estimate.maxOutputTokens(), 0, true, BigDecimal.ZERO));
        return limits.quotas().admit(subject, quota, estimate.reservedTokens(), cost).thenApply(decision -> {
            if (decision.admitted()) {
                tickets.add(decision.ticket());
                return null;
            }
            cancelTickets();
            return decision.unavailable() ? ApiErrors.limitStoreUnavailable()
                : ApiErrors.insufficientQuota(seconds(decision.resetAt().toEpochMilli() - clock.millis()));
        });
    }

    private CompletionStage<ApiError> rateLimits(TenantConfig tenant, KeyConfig key, String model) {
        return limits.rateLimiter().acquire(RateLimiter.admissionCharges(config, tenant, key, model, () -> estimate().reservedTokens()))
            .thenApply(admission -> {
                if (admission.admitted()) {
                    reservation = admission.reservation();
                    headers = RateLimitHeaders.of(admission.decision().states());
                    return null;
                }
                cancelTickets();
                if (admission.unavailable())
                    return ApiErrors.limitStoreUnavailable();
                headers = RateLimitHeaders.of(admission.decision().states());
                Limit by = admission.decision().refusedBy();
                return ApiErrors.rateLimited(by.scope().label(), kindName(by.kind()), seconds(admission.decision().retryAfterMillis()));
            });
    }

    private void cancelTickets() {
        for (QuotaTicket ticket : tickets)
            ticket.cancel();
        tickets.clear();
    }

    /** Takes a place in the deployment's own limit: the stage's value is false when it is at its limit. */
    CompletionStage<Boolean> reserveDeployment(Deployment deployment) {
        if (!deployment.config().limits().isLimited())
            return CompletableFuture.completedFuture(true);
        return limits.rateLimiter().acquire(RateLimiter.deploymentCharges(deployment.config(), deployment.id(), () -> estimate().reservedTokens()))
            .thenApply(admission -> {
                if (admission.admitted()) {
                    synchronized (deploymentReservations) {
                        deploymentReservations.add(admission.reservation());
                    }
                    return true;
                }
                if (!admission.unavailable()) {
                    long wait = admission.decision().retryAfterMillis();
                    synchronized (deploymentReservations) {
                        deploymentRetryAfterMillis = deploymentRetryAfterMillis == 0 ? wait : Math.min(deploymentRetryAfterMillis, wait);
                    }
                }
                return false;
            });
    }

    /** Seconds until a deployment skipped for its limit takes requests again, or 0 when none was skipped. */
    long deploymentRetryAfterSeconds() {
        synchronized (deploymentReservations) {
            return deploymentRetryAfterMillis == 0 ? 0 : seconds(deploymentRetryAfterMillis);
        }
    }

    /**
     * Whether a streaming request to this deployment gets {@code stream_options.include_usage} added: OpenAI-style
     * chat and text completions whose client did not ask for it, except Azure API versions older than 2024-09-01,
     * which refuse it.
     */
    static boolean injectsUsage(Operation operation, Deployment deployment) {
        if (operation != Operation.CHAT_COMPLETIONS && operation != Operation.COMPLETIONS)
            return false;
        if (deployment.backend().flavor() == Flavor.AZURE) {
            String version = deployment.backend().config().apiVersion();
            return version == null || version.length() < 10 || version.substring(0, 10).compareTo("2024-09-01") >= 0;
        }
        return true;
    }

    /**
     * What the request is expected to use, estimated the first time it is needed (a token limit, a quota, or a reply
     * without usage): estimating tokenizes the prompt.
     */
    synchronized RequestEstimate estimate() {
        RequestEstimate known = estimate;
        if (known == null) {
            known = RequestEstimate.of(model, body, json, config.limits().defaultMaxTokens());
            estimate = known;
            body = null;
        }
        return known;
    }

    /** A new counter for a successful attempt's reply. */
    UsageCounter newCounter(String model) {
        UsageCounter next = new UsageCounter(model, () -> estimate().promptTokens());
        counter = next;
        return next;
    }

    /**
     * Puts the caller's {@code x-ratelimit-*} headers on a reply in place of the backend's: when the gateway limits
     * the caller, the backend's numbers (its account's, shared by every tenant) would only mislead.
     */
    void applyHeaders(jakarta.servlet.http.HttpServletResponse response) {
        Map<String, String> own = headers;
        if (own.isEmpty())
            return;
        for (String header : RateLimitHeaders.NAMES) {
            // Servlet 6: a null value removes the header.
            response.setHeader(header, own.get(header));
        }
    }

    /** The headers of the caller's tightest limits, for the reply or the refusal. */
    Map<String, String> headers() {
        return headers;
    }

    /**
     * Settles everything reserved against what the reply used (nothing when no reply came): the rate limits, the
     * deployments tried (the last with the usage, the others with none), the quota. Only the first call counts.
     */
    synchronized Usage settle(String model) {
        if (usage != null)
            return usage;
        UsageCounter read = counter;
        Usage used = read == null ? Usage.NONE : read.usage();
        used = used.withCost(cost(model, used));
        usage = used;
        reservation.settle(used.totalTokens());
        List<Reservation> tried;
        synchronized (deploymentReservations) {
            tried = new ArrayList<>(deploymentReservations);
        }
        for (int i = 0; i < tried.size(); i++)
            tried.get(i).settle(i == tried.size() - 1 ? used.totalTokens() : 0);
        for (QuotaTicket ticket : tickets)
            ticket.settle(used.totalTokens(), used.cost());
        return used;
    }

    /** The usage settled, or null before {@link #settle}. */
    Usage usage() {
        return usage;
    }

    private BigDecimal cost(String model, Usage usage) {
        PriceConfig price = model == null ? null : config.prices().get(model);
        return price == null ? BigDecimal.ZERO : Prices.cost(price, usage);
    }

    private static String kindName(Limit.Kind kind) {
        return switch (kind) {
            case REQUESTS -> "requests per minute";
            case TOKENS -> "tokens per minute";
            case CONCURRENCY -> "concurrent requests";
        };
    }

    private static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }
}

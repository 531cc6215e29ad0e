package io.aigateway.limits;

import io.aigateway.config.DeploymentConfig;
import io.aigateway.config.GatewayConfig;
import io.aigateway.config.KeyConfig;
import io.aigateway.config.RateLimitConfig;
import io.aigateway.config.StoreFailureMode;
import io.aigateway.config.TenantConfig;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Turns the configured limits of a request into charges and asks the store for them: on admission the tenant, key,
 * model and tenant × model limits at once; when a deployment is chosen, that deployment's. When the shared store
 * fails, {@code limits.on_store_failure} decides: admit under this instance's own local limits, or refuse.
 */
public final class RateLimiter implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(RateLimiter.class);

    private final LimitStore store;
    private final LocalLimitStore fallback;
    private final StoreFailureMode onFailure;
    private final List<Consumer<LimitEvent>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Whether the store is failing: its failure and its recovery are logged once each, not once per request. */
    private final java.util.concurrent.atomic.AtomicBoolean storeDown = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * @param store    the store in force
     * @param fallback the local store used while {@code store} fails and the mode is fail-open (may be the same)
     */
    public RateLimiter(LimitStore store, LocalLimitStore fallback, StoreFailureMode onFailure) {
        this.store = store;
        this.fallback = fallback;
        this.onFailure = onFailure;
    }

    /** What happened at admission, for metrics: a refusal by scope, or a store failure. */
    public record LimitEvent(Scope refusedScope, boolean storeFailed) {
    }

    /** Whether the store answered the last admission (false from a failure until the next success). */
    public boolean storeReachable() {
        return !storeDown.get();
    }

    public void addListener(Consumer<LimitEvent> listener) {
        listeners.add(listener);
    }

    /** The charges of a request on admission: one request, its reserved tokens, a concurrency slot where limited. */
    public static List<Charge> admissionCharges(GatewayConfig config, TenantConfig tenant, KeyConfig key,
            String model, long tokens) {
        return admissionCharges(config, tenant, key, model, () -> tokens);
    }

    /**
     * The same, with the tokens to reserve asked for only when a token limit applies: estimating them means
     * tokenizing the prompt.
     */
    public static List<Charge> admissionCharges(GatewayConfig config, TenantConfig tenant, KeyConfig key,
            String model, java.util.function.LongSupplier tokens) {
        List<Charge> charges = new ArrayList<>();
        add(charges, Scope.TENANT, tenant.name(), tenant.limits(), tokens);
        if (key != null) {
            add(charges, Scope.KEY, tenant.name() + "/" + key.id(), key.limits(), tokens);
        }
        if (model != null) {
            add(charges, Scope.MODEL, model, config.models().limits().get(model), tokens);
            add(charges, Scope.TENANT_MODEL, tenant.name() + "/" + model, tenant.modelLimits().get(model), tokens);
        }
        return charges;
    }

    /** The charges of sending a request to a deployment. */
    public static List<Charge> deploymentCharges(DeploymentConfig deployment, String deploymentId, long tokens) {
        return deploymentCharges(deployment, deploymentId, () -> tokens);
    }

    /** The same, with the tokens asked for only when the deployment has a token limit. */
    public static List<Charge> deploymentCharges(DeploymentConfig deployment, String deploymentId,
            java.util.function.LongSupplier tokens) {
        List<Charge> charges = new ArrayList<>(2);
        add(charges, Scope.DEPLOYMENT, deploymentId, deployment.limits(), tokens);
        return charges;
    }

    private static void add(List<Charge> charges, Scope scope, String subject, RateLimitConfig limits,
            java.util.function.LongSupplier tokens) {
        if (limits == null) {
            return;
        }
        if (limits.rpm() != null) {
            charges.add(new Charge(new Limit(scope, subject, Limit.Kind.REQUESTS, limits.rpm()), 1));
        }
        if (limits.tpm() != null) {
            charges.add(new Charge(new Limit(scope, subject, Limit.Kind.TOKENS, limits.tpm()), tokens.getAsLong()));
        }
        if (limits.concurrency() != null) {
            charges.add(new Charge(new Limit(scope, subject, Limit.Kind.CONCURRENCY, limits.concurrency()), 1));
        }
    }

    /** Takes all the charges or none. Completes exceptionally never: a store failure is an {@link Admission} too. */
    public CompletionStage<Admission> acquire(List<Charge> charges) {
        if (charges.isEmpty()) {
            return CompletableFuture.completedFuture(new Admission(Decision.FREE, Reservation.NONE, false));
        }
        CompletionStage<Decision> asked;
        try {
            asked = store.acquire(charges);
        } catch (RuntimeException x) {
            asked = CompletableFuture.failedFuture(x);
        }
        return asked.handle((decision, failure) -> {
            if (failure == null) {
                if (storeDown.compareAndSet(true, false)) {
                    LOG.warn("Limit store reachable again: limits are shared again");
                }
                return admission(store, charges, decision, false);
            }
            publish(new LimitEvent(null, true));
            boolean first = storeDown.compareAndSet(false, true);
            if (onFailure == StoreFailureMode.FAIL_CLOSED) {
                if (first) {
                    LOG.error("Limit store unreachable, refusing requests with 503 until it is back "
                            + "(limits.on_store_failure: fail-closed): {}", String.valueOf(rootCause(failure)));
                }
                return new Admission(null, Reservation.NONE, true);
            }
            if (first) {
                LOG.error("Limit store unreachable, admitting under this instance's local limits until it is back "
                        + "(limits.on_store_failure: fail-open): {}", String.valueOf(rootCause(failure)));
            }
            return admission(fallback, charges, fallback.acquireNow(charges), true);
        });
    }

    private Admission admission(LimitStore from, List<Charge> charges, Decision decision, boolean storeFailed) {
        if (!decision.admitted()) {
            publish(new LimitEvent(decision.refusedBy().scope(), false));
            return new Admission(decision, Reservation.NONE, storeFailed);
        }
        return new Admission(decision, new Reservation(from, charges, decision), storeFailed);
    }

    /** Another user of the store (the quota counters) found it unreachable: counted like the limiter's own failures. */
    public void storeFailed() {
        publish(new LimitEvent(null, true));
    }

    private void publish(LimitEvent event) {
        for (Consumer<LimitEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException x) {
                LOG.debug("Limit listener failed", x);
            }
        }
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    @Override
    public void close() {
        store.close();
        if (fallback != store) {
            fallback.close();
        }
    }
}
